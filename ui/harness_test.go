package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/internal/backendtest"
)

var t0 = time.Date(2026, 3, 3, 12, 0, 0, 0, time.Local)

// harness runs the model like the program does, but synchronously: every
// command is executed at once (backend calls included) and its message fed
// back, except timers, which are recorded and fired by the test.
type harness struct {
	tb     testing.TB
	be     *backendtest.Backend
	m      *Model
	now    time.Time
	timers []tea.Msg
	quit   bool
}

func newHarness(tb testing.TB, opts Options, w, h int) *harness {
	tb.Helper()
	return newHarnessWith(tb, backendtest.New(), opts, w, h)
}

func newHarnessWith(tb testing.TB, be *backendtest.Backend, opts Options, w, h int) *harness {
	tb.Helper()
	x := &harness{tb: tb, be: be, now: t0}
	x.m = New(be, opts)
	x.m.com.Now = func() time.Time { return x.now }
	x.m.com.After = func(d time.Duration, msg tea.Msg) tea.Cmd {
		x.timers = append(x.timers, msg)
		return nil
	}
	x.run(x.m.Init())
	x.send(tea.WindowSizeMsg{Width: w, Height: h})
	return x
}

func newBackend() *backendtest.Backend { return backendtest.New() }

// loggedIn returns a harness whose backend is online as me@example.org.
func loggedIn(tb testing.TB, w, h int) *harness {
	be := backendtest.New()
	be.SetAccount(session.AccountInfo{JID: "me@example.org", State: session.Online})
	acct := session.Account{JID: "me@example.org", Password: "secret"}
	return newHarnessWith(tb, be, Options{Account: &acct}, w, h)
}

func (x *harness) send(msg tea.Msg) {
	x.tb.Helper()
	_, cmd := x.m.Update(msg)
	x.run(cmd)
}

func (x *harness) run(cmd tea.Cmd) {
	x.tb.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 100000 {
			x.tb.Fatal("commands never settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
			x.quit = true
		default:
			_, next := x.m.Update(msg)
			queue = append(queue, next)
		}
	}
}

// step updates with msg and returns the messages its commands produce,
// without feeding them back: for tests that reorder async results.
func (x *harness) step(msg tea.Msg) []tea.Msg {
	_, cmd := x.m.Update(msg)
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch m := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, m...)
		default:
			out = append(out, m)
		}
	}
	return out
}

// fire delivers the recorded timers (all of them, once).
func (x *harness) fire() {
	x.tb.Helper()
	timers := x.timers
	x.timers = nil
	for _, t := range timers {
		x.send(t)
	}
}

func (x *harness) advance(d time.Duration) { x.now = x.now.Add(d) }

func (x *harness) typeText(s string) {
	x.tb.Helper()
	for _, r := range s {
		x.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func (x *harness) press(keys ...string) {
	x.tb.Helper()
	for _, k := range keys {
		x.send(keyMsg(k))
	}
}

func keyMsg(s string) tea.KeyPressMsg {
	named := map[string]rune{
		"enter": tea.KeyEnter, "tab": tea.KeyTab, "esc": tea.KeyEscape, "up": tea.KeyUp,
		"down": tea.KeyDown, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "backspace": tea.KeyBackspace,
		"end": tea.KeyEnd, "home": tea.KeyHome, "f1": tea.KeyF1, "f12": tea.KeyF12, "space": tea.KeySpace,
	}
	var mod tea.KeyMod
	parts := strings.Split(s, "+")
	if len(parts) > 1 && parts[len(parts)-1] == "" { // "alt++"
		parts = append(parts[:len(parts)-2], "+")
	}
	for _, p := range parts[:len(parts)-1] {
		switch p {
		case "ctrl":
			mod |= tea.ModCtrl
		case "alt":
			mod |= tea.ModAlt
		case "shift":
			mod |= tea.ModShift
		}
	}
	last := parts[len(parts)-1]
	if code, ok := named[last]; ok {
		return tea.KeyPressMsg{Code: code, Mod: mod}
	}
	r := []rune(last)[0]
	if mod == 0 {
		return tea.KeyPressMsg{Code: r, Text: last}
	}
	return tea.KeyPressMsg{Code: r, Mod: mod}
}

// screen is the frame without colours, one string per row.
func (x *harness) screen() []string {
	return strings.Split(ansi.Strip(x.m.View().Content), "\n")
}

func (x *harness) text() string { return strings.Join(x.screen(), "\n") }

func (x *harness) mustShow(s string) {
	x.tb.Helper()
	if !strings.Contains(x.text(), s) {
		x.tb.Fatalf("screen does not show %q:\n%s", s, x.text())
	}
}

func (x *harness) mustNotShow(s string) {
	x.tb.Helper()
	if strings.Contains(x.text(), s) {
		x.tb.Fatalf("screen shows %q:\n%s", s, x.text())
	}
}
