package session

import (
	"context"
	"strings"
	"testing"
)

func TestPasswordCommand(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		acct Account
		want string
		err  string
	}{
		{Account{Password: "given", PasswordCommand: "echo ignored"}, "given", ""},
		{Account{PasswordCommand: `printf 'first line\nsecond line\n'`}, "first line", ""},
		{Account{PasswordCommand: `printf 'with spaces  \r\n'`}, "with spaces  ", ""},
		{Account{PasswordCommand: `echo 'no such entry' >&2; exit 3`}, "", "password_command failed (exit status 3): no such entry"},
		{Account{PasswordCommand: `true`}, "", "password_command printed no password"},
		{Account{}, "", ""},
	}
	for _, c := range cases {
		got, err := password(ctx, c.acct)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%q: error %v, want %q", c.acct.PasswordCommand, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: %q, %v; want %q", c.acct.PasswordCommand, got, err, c.want)
		}
	}
	// The password never appears in an error, even when the command fails
	// after printing it.
	_, err := password(ctx, Account{PasswordCommand: `echo s3cret; echo oops >&2; exit 1`})
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("error %v", err)
	}
}
