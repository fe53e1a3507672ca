package session

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strings"
	"time"
)

// passwordCommandTimeout bounds a password command (a prompt of a password
// manager may take a while).
const passwordCommandTimeout = 2 * time.Minute

// password returns the account's password: Password when set, else the first
// line of PasswordCommand's output (run with sh -c).
func password(ctx context.Context, acct Account) (string, error) {
	if acct.Password != "" || acct.PasswordCommand == "" {
		return acct.Password, nil
	}
	ctx, cancel := context.WithTimeout(ctx, passwordCommandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", acct.PasswordCommand)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := oneLine(stderr.String())
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee) && msg != "":
			return "", connErr(KindConfig, err, "password_command failed (%s): %s", ee.ProcessState, msg)
		case ctx.Err() != nil:
			return "", connErr(KindConfig, err, "password_command did not finish within %v", passwordCommandTimeout)
		}
		return "", connErr(KindConfig, err, "password_command failed: %v", err)
	}
	line, _, _ := strings.Cut(string(out), "\n")
	line = strings.TrimSuffix(line, "\r")
	if line == "" {
		return "", connErr(KindConfig, nil, "password_command printed no password")
	}
	return line, nil
}
