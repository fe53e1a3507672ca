package ui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
)

const alice = "alice@example.org"

// withAlice is logged in, with alice in the roster and her chat open.
func withAlice(t *testing.T, w, h int) *harness {
	x := loggedIn(t, w, h)
	x.send(session.RosterChanged{Contacts: []session.Contact{
		{JID: alice, Name: "Alice", Subscription: "both", Presence: session.Presence{Available: true}},
		{JID: "bob@example.org", Name: "Bob", Subscription: "both"},
	}})
	x.send(session.ConnectionChanged{State: session.Online})
	x.typeText("/msg " + alice)
	x.press("enter")
	if x.m.sidebar.Active() != alice {
		t.Fatalf("chat with alice not open")
	}
	x.be.Reset()
	return x
}

func sends(x *harness) []session.SendRequest {
	var out []session.SendRequest
	for _, c := range x.be.Calls("Send") {
		out = append(out, c.Args[0].(session.SendRequest))
	}
	return out
}

func TestEnterSendsExactlyOnce(t *testing.T) {
	x := withAlice(t, 80, 24)
	x.typeText("hello Alice")
	x.press("enter")
	got := sends(x)
	if len(got) != 1 || got[0] != (session.SendRequest{To: alice, Body: "hello Alice"}) {
		t.Fatalf("Send calls: %#v", got)
	}
	x.mustShow("hello Alice … queued")
	x.press("enter", "enter")
	if n := len(sends(x)); n != 1 {
		t.Fatalf("extra enters sent %d messages in all", n)
	}
	// The backend's own MessageAdded for the same message is not shown twice.
	stored, _ := x.be.History(context.Background(), alice, 0, 1)
	x.send(session.MessageAdded{Message: stored[0]})
	if n := countRows(x, "hello Alice"); n != 1 {
		t.Fatalf("message shown %d times", n)
	}
	x.send(session.MessageUpdated{ID: stored[0].ID, Peer: alice, State: session.Delivered})
	x.mustShow("hello Alice ◌ not scanned ✓✓") // scanning is off: no verdict
}

func countRows(x *harness, s string) int {
	n := 0
	for _, l := range x.screen() {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}

func TestPasteWithNewlinesNeverSends(t *testing.T) {
	x := withAlice(t, 80, 24)
	x.send(tea.PasteMsg{Content: "first line\nsecond line\n"})
	if n := len(sends(x)); n != 0 {
		t.Fatalf("a paste sent %d messages", n)
	}
	if got := x.m.compose.Value(); got != "first line\nsecond line\n" {
		t.Fatalf("compose holds %q", got)
	}
	// A paste while the contact list has focus still lands in compose.
	x.press("tab", "tab")
	if x.m.focus == focusCompose {
		t.Fatal("focus did not move")
	}
	x.send(tea.PasteMsg{Content: "more\n"})
	if x.m.focus != focusCompose || len(sends(x)) != 0 {
		t.Fatal("paste outside compose sent or got lost")
	}
}

func TestNewlineKeysDoNotSend(t *testing.T) {
	for _, k := range []string{"alt+enter", "ctrl+j", "shift+enter"} {
		x := withAlice(t, 80, 24)
		x.typeText("one")
		x.press(k)
		x.typeText("two")
		if got := x.m.compose.Value(); got != "one\ntwo" {
			t.Fatalf("%s: compose holds %q", k, got)
		}
		if len(sends(x)) != 0 {
			t.Fatalf("%s sent", k)
		}
		x.press("enter")
		if got := sends(x); len(got) != 1 || got[0].Body != "one\ntwo" {
			t.Fatalf("%s: then enter sent %#v", k, got)
		}
	}
}

func TestSendErrorKeepsText(t *testing.T) {
	x := withAlice(t, 80, 24)
	x.be.Errs["Send"] = errString("store is read-only")
	x.typeText("important")
	x.press("enter")
	if x.m.compose.Value() != "important" {
		t.Fatalf("text lost: %q", x.m.compose.Value())
	}
	x.mustShow("store is read-only")
}

type errString string

func (e errString) Error() string { return string(e) }

func TestChatStatesFromTyping(t *testing.T) {
	x := withAlice(t, 80, 24)
	x.typeText("typing away")
	states := x.be.Calls("SendChatState")
	if len(states) != 1 || states[0].Args[1] != session.StateComposing {
		t.Fatalf("chat states: %#v", states)
	}
	x.fire() // every pause timer; only the last one is current
	states = x.be.Calls("SendChatState")
	if len(states) != 2 || states[1].Args[1] != session.StatePaused {
		t.Fatalf("after the pause: %#v", states)
	}
}

func TestPeerTypingShown(t *testing.T) {
	x := withAlice(t, 80, 24)
	x.send(session.ChatStateChanged{Peer: alice, State: session.StateComposing})
	x.mustShow("Alice is typing…")
	x.mustShow("Alice ✎")
	in := x.be.Store(session.Message{Peer: alice, Direction: session.Incoming, Body: "done typing", Time: t0})
	x.send(session.MessageAdded{Message: in})
	x.mustNotShow("is typing")
	x.mustShow("done typing")
}
