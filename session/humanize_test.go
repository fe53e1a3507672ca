package session

import "testing"

func TestHumanSize(t *testing.T) {
	for n, want := range map[int64]string{
		-1: "unknown size", 0: "0 B", 1023: "1023 B", 1536: "1.5 KiB",
		5 << 20: "5.0 MiB", 3 << 30: "3.00 GiB",
	} {
		if got := HumanSize(n); got != want {
			t.Errorf("HumanSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestTransferProgress(t *testing.T) {
	for _, c := range []struct {
		t    Transfer
		want string
	}{
		{Transfer{Total: 100, Done: 100, Rate: 10}, "100%  100 B/100 B  10 B/s"},
		{Transfer{Total: 2 << 20, Done: 1 << 20, Rate: 1 << 20}, " 50%  1.0 MiB/2.0 MiB  1.0 MiB/s  1s left"},
		{Transfer{Total: -1, Done: 2048}, "2.0 KiB"},
	} {
		if got := c.t.Progress(); got != c.want {
			t.Errorf("%+v: got %q, want %q", c.t, got, c.want)
		}
	}
}
