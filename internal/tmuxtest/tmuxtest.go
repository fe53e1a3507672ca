// Package tmuxtest drives a real terminal program inside tmux for end-to-end
// tests: it types keys and reads the screen as a user would see it.
package tmuxtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/internal/testenv"
)

// Pane is one program running in a private tmux server.
type Pane struct {
	t      testing.TB
	tmux   string
	socket string
}

// Start runs argv in a new detached tmux session of the given size, with env
// added to a clean environment (TERM, HOME and PATH are set). The tmux server
// is killed when the test ends.
func Start(t testing.TB, width, height int, env []string, argv ...string) *Pane {
	t.Helper()
	tmux := testenv.LookPath(t, "tmux")
	socket := filepath.Join(t.TempDir(), "tmux.sock")
	p := &Pane{t: t, tmux: tmux, socket: socket}

	// tmux runs the command through a shell; quote every word.
	quoted := make([]string, len(argv))
	for i, a := range argv {
		quoted[i] = shellQuote(a)
	}
	args := []string{"-S", socket, "-f", "/dev/null", "new-session", "-d",
		"-x", fmt.Sprint(width), "-y", fmt.Sprint(height)}
	// Keep the pane after the program exits, so a crash stays on screen.
	cmdline := strings.Join(quoted, " ") + "; echo \"[exited $?]\"; sleep 3600"
	args = append(args, cmdline)

	cmd := exec.Command(tmux, args...)
	cmd.Env = append([]string{
		"TERM=xterm-256color",
		"HOME=" + os.Getenv("HOME"),
		"PATH=" + os.Getenv("PATH"),
		"LANG=C.UTF-8",
	}, env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("screen at the end:\n%s", p.Screen())
		}
		exec.Command(tmux, "-S", socket, "kill-server").Run()
	})
	return p
}

// Type types text literally.
func (p *Pane) Type(text string) {
	p.t.Helper()
	p.run("send-keys", "-l", text)
}

// Keys sends named keys such as "Enter", "Tab", "C-c", "M-Enter".
func (p *Pane) Keys(keys ...string) {
	p.t.Helper()
	p.run(append([]string{"send-keys"}, keys...)...)
}

// Resize changes the window size.
func (p *Pane) Resize(width, height int) {
	p.t.Helper()
	p.run("resize-window", "-x", fmt.Sprint(width), "-y", fmt.Sprint(height))
}

// Screen is the visible text of the pane.
func (p *Pane) Screen() string {
	out, err := exec.Command(p.tmux, "-S", p.socket, "capture-pane", "-p").Output()
	if err != nil {
		return "(capture-pane failed: " + err.Error() + ")"
	}
	return string(out)
}

// WaitFor polls the screen until it contains every one of want, and returns
// it. It fails the test after timeout, showing the last screen.
func (p *Pane) WaitFor(timeout time.Duration, want ...string) string {
	p.t.Helper()
	return p.WaitUntil(timeout, strings.Join(want, " and "), func(screen string) bool {
		for _, w := range want {
			if !strings.Contains(screen, w) {
				return false
			}
		}
		return true
	})
}

// WaitUntil polls the screen until ok accepts it.
func (p *Pane) WaitUntil(timeout time.Duration, what string, ok func(screen string) bool) string {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s := p.Screen()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("waited %v for %s; screen:\n%s", timeout, what, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (p *Pane) run(args ...string) {
	p.t.Helper()
	full := append([]string{"-S", p.socket}, args...)
	if out, err := exec.Command(p.tmux, full...).CombinedOutput(); err != nil {
		p.t.Fatalf("tmux %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
