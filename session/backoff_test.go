package session

import (
	"testing"
	"time"
)

func TestBackoffSchedule(t *testing.T) {
	b := Backoff{Base: time.Second, Max: time.Minute}
	cases := []struct {
		attempt int
		r       float64
		want    time.Duration
	}{
		{1, 0, 500 * time.Millisecond},
		{1, 0.5, 750 * time.Millisecond},
		{2, 0, time.Second},
		{3, 0.5, 3 * time.Second},
		{4, 0, 4 * time.Second},
		{7, 0, 30 * time.Second}, // 64s capped at 60s, lower half
		{7, 0.5, 45 * time.Second},
		{1000, 0, 30 * time.Second}, // no overflow
		{0, 0, 500 * time.Millisecond},
		{2, 1.5, time.Second}, // r out of range counts as 0
	}
	for _, c := range cases {
		if got := b.Delay(c.attempt, c.r); got != c.want {
			t.Errorf("Delay(%d, %v) = %v, want %v", c.attempt, c.r, got, c.want)
		}
	}
	// Every wait lies in its window and the windows grow until the cap.
	prevCeil := time.Duration(0)
	for a := 1; a < 20; a++ {
		lo, hi := b.Delay(a, 0), b.Delay(a, 0.9999999)
		if hi < lo || hi > time.Minute || lo < time.Minute/2 && hi*2 < lo {
			t.Fatalf("attempt %d: window [%v, %v]", a, lo, hi)
		}
		if lo*2 < prevCeil {
			t.Fatalf("attempt %d: window shrank", a)
		}
		prevCeil = lo * 2
	}
	if d := (Backoff{}).Delay(1, 0); d != defaultBackoffBase/2 {
		t.Errorf("zero Backoff first wait = %v, want the default's lower half", d)
	}
}
