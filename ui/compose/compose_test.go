package compose

import (
	"reflect"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/commands"
	"github.com/candor-xmpp/candor/ui/common"
)

type timer struct {
	d   time.Duration
	msg tea.Msg
}

type harness struct {
	m      *Model
	com    *common.Common
	timers []timer
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{}
	com := common.New(true)
	com.After = func(d time.Duration, msg tea.Msg) tea.Cmd {
		h.timers = append(h.timers, timer{d, msg})
		return nil
	}
	h.com = com
	h.m = New(com, commands.NewRegistry())
	h.m.SetWidth(60)
	h.m.Focus()
	return h
}

// run executes cmd and everything it batches, returning the messages.
func run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if batch, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range batch {
			out = append(out, run(c)...)
		}
		return out
	}
	if msg == nil {
		return nil
	}
	return []tea.Msg{msg}
}

// send updates the component and returns what it produced: its intents
// (handed over at once) and the messages of its commands.
func (h *harness) send(msg tea.Msg) []tea.Msg {
	out := run(h.m.Update(msg))
	return append(h.com.TakeIntents(), out...)
}

func (h *harness) typeText(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		out = append(out, h.send(tea.KeyPressMsg{Code: r, Text: string(r)})...)
	}
	return out
}

func press(code rune, mod tea.KeyMod) tea.KeyPressMsg { return tea.KeyPressMsg{Code: code, Mod: mod} }

var enter = press(tea.KeyEnter, 0)

func only[T any](msgs []tea.Msg) []T {
	var out []T
	for _, m := range msgs {
		if v, ok := m.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

func TestEnterSendsExactlyOnce(t *testing.T) {
	h := newHarness(t)
	h.m.SetPeer("alice@example.org")
	h.typeText("hello")
	sends := only[SendRequested](h.send(enter))
	if !reflect.DeepEqual(sends, []SendRequested{{To: "alice@example.org", Body: "hello"}}) {
		t.Fatalf("sends = %#v", sends)
	}
	if !h.m.Empty() {
		t.Fatalf("compose not cleared: %q", h.m.Value())
	}
	if again := only[SendRequested](h.send(enter)); len(again) != 0 {
		t.Fatalf("a second enter sent again: %#v", again)
	}
}

func TestPasteWithNewlinesDoesNotSend(t *testing.T) {
	h := newHarness(t)
	h.m.SetPeer("alice@example.org")
	msgs := h.send(tea.PasteMsg{Content: "line one\r\nline two\nline three\n"})
	if s := only[SendRequested](msgs); len(s) != 0 {
		t.Fatalf("paste sent: %#v", s)
	}
	if got, want := h.m.Value(), "line one\nline two\nline three\n"; got != want {
		t.Fatalf("value = %q, want %q", got, want)
	}
	sends := only[SendRequested](h.send(enter))
	if len(sends) != 1 || sends[0].Body != "line one\nline two\nline three" {
		t.Fatalf("enter after paste sent %#v", sends)
	}
}

func TestNewlineKeys(t *testing.T) {
	for _, k := range []tea.KeyPressMsg{
		press(tea.KeyEnter, tea.ModAlt),
		press(tea.KeyEnter, tea.ModShift),
		press('j', tea.ModCtrl),
	} {
		h := newHarness(t)
		h.m.SetPeer("alice@example.org")
		h.typeText("a")
		if s := only[SendRequested](h.send(k)); len(s) != 0 {
			t.Fatalf("%s sent %#v", k, s)
		}
		h.typeText("b")
		if got := h.m.Value(); got != "a\nb" {
			t.Fatalf("after %s value = %q, want a newline", k, got)
		}
	}
}

func TestEnterWithoutChatKeepsText(t *testing.T) {
	h := newHarness(t)
	h.typeText("orphan")
	msgs := h.send(enter)
	if len(only[SendRequested](msgs)) != 0 || len(only[common.NoticeMsg](msgs)) != 1 {
		t.Fatalf("msgs = %#v", msgs)
	}
	if h.m.Value() != "orphan" {
		t.Fatalf("text lost: %q", h.m.Value())
	}
}

func TestCommandStaysUntilReset(t *testing.T) {
	h := newHarness(t)
	h.typeText("/frob x")
	cmds := only[CommandEntered](h.send(enter))
	if len(cmds) != 1 || cmds[0].Line != "/frob x" {
		t.Fatalf("got %#v", cmds)
	}
	if h.m.Value() != "/frob x" {
		t.Fatal("command text cleared before the root accepted it")
	}
	h.m.Reset()
	if !h.m.Empty() {
		t.Fatal("Reset did not clear")
	}
	// The command is in the history: up recalls it.
	h.send(press(tea.KeyUp, 0))
	if h.m.Value() != "/frob x" {
		t.Fatalf("up recalled %q", h.m.Value())
	}
}

func TestSlashEscapes(t *testing.T) {
	h := newHarness(t)
	h.m.SetPeer("a@b")
	h.typeText("//etc")
	if s := only[SendRequested](h.send(enter)); len(s) != 1 || s[0].Body != "/etc" {
		t.Fatalf("got %#v", s)
	}
	h.typeText("/me waves")
	if s := only[SendRequested](h.send(enter)); len(s) != 1 || s[0].Body != "/me waves" {
		t.Fatalf("/me: %#v", s)
	}
}

func TestTabCompletes(t *testing.T) {
	h := newHarness(t)
	h.m.SetSource(commands.Source{JIDs: []string{"alice@example.org"}})
	h.typeText("/ms")
	if !h.m.CanComplete() {
		t.Fatal("CanComplete false on a command")
	}
	h.send(press(tea.KeyTab, 0))
	h.typeText("al")
	h.send(press(tea.KeyTab, 0))
	if got := h.m.Value(); got != "/msg alice@example.org " {
		t.Fatalf("value = %q", got)
	}
}

func TestChatStatesAreDebounced(t *testing.T) {
	h := newHarness(t)
	h.m.SetPeer("alice@example.org")
	states := only[ChatStateRequested](h.typeText("hello there"))
	if !reflect.DeepEqual(states, []ChatStateRequested{{"alice@example.org", session.StateComposing}}) {
		t.Fatalf("typing sent %#v, want one composing", states)
	}
	// Only the last timer matters; earlier ones are stale.
	if len(h.timers) == 0 {
		t.Fatal("no pause timer")
	}
	stale := h.timers[0].msg
	if got := only[ChatStateRequested](h.send(stale)); len(got) != 0 {
		t.Fatalf("stale timer sent %#v", got)
	}
	last := h.timers[len(h.timers)-1]
	if last.d != PauseAfter {
		t.Fatalf("timer %v", last.d)
	}
	if got := only[ChatStateRequested](h.send(last.msg)); !reflect.DeepEqual(got, []ChatStateRequested{{"alice@example.org", session.StatePaused}}) {
		t.Fatalf("pause sent %#v", got)
	}
	// Typing again resumes composing; sending implies active without a
	// separate state.
	if got := only[ChatStateRequested](h.typeText("!")); len(got) != 1 || got[0].State != session.StateComposing {
		t.Fatalf("resume sent %#v", got)
	}
	msgs := h.send(enter)
	if got := only[ChatStateRequested](msgs); len(got) != 0 {
		t.Fatalf("send also sent states %#v", got)
	}
	// Erasing a draft tells the peer we are active, not still composing.
	h.typeText("x")
	if got := only[ChatStateRequested](h.send(press(tea.KeyBackspace, 0))); len(got) != 1 || got[0].State != session.StateActive {
		t.Fatalf("erase sent %#v", got)
	}
}

func TestDraftsPerChat(t *testing.T) {
	h := newHarness(t)
	h.m.SetPeer("alice@example.org")
	h.typeText("for alice")
	msgs := append(run(h.m.SetPeer("bob@example.org")), h.com.TakeIntents()...)
	if got := only[ChatStateRequested](msgs); len(got) != 1 || got[0] != (ChatStateRequested{"alice@example.org", session.StatePaused}) {
		t.Fatalf("switching sent %#v", got)
	}
	if !h.m.Empty() {
		t.Fatalf("bob's compose shows %q", h.m.Value())
	}
	run(h.m.SetPeer("alice@example.org"))
	if h.m.Value() != "for alice" {
		t.Fatalf("draft lost: %q", h.m.Value())
	}
}

func TestRestoreAfterFailedSend(t *testing.T) {
	h := newHarness(t)
	h.m.SetPeer("a@b")
	h.typeText("precious")
	h.send(enter)
	h.m.Restore("a@b", "precious")
	if h.m.Value() != "precious" {
		t.Fatalf("restored %q", h.m.Value())
	}
}
