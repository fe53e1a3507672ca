package ui

import (
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
)

func TestSlashCommandsCallTheBackend(t *testing.T) {
	cases := []struct {
		line   string
		method string
		args   []any
	}{
		{"/add bob@example.org Bob Builder", "AddContact", []any{"bob@example.org", "Bob Builder"}},
		{"/add Carol@Example.net", "AddContact", []any{"carol@example.net", ""}},
		{"/remove bob@example.org", "RemoveContact", []any{"bob@example.org"}},
		{"/accept dave@example.com", "AnswerSubscription", []any{"dave@example.com", true}},
		{"/deny dave@example.com", "AnswerSubscription", []any{"dave@example.com", false}},
		{"/status away back at 3", "SetPresence", []any{session.Presence{Available: true, Show: session.ShowAway, Status: "back at 3"}}},
		{"/status", "SetPresence", []any{session.Presence{Available: true}}},
		{"/msg zed@example.org hi there", "Send", []any{session.SendRequest{To: "zed@example.org", Body: "hi there"}}},
	}
	for _, c := range cases {
		x := loggedIn(t, 80, 24)
		x.be.Reset()
		x.typeText(c.line)
		x.press("enter")
		calls := x.be.Calls(c.method)
		if len(calls) != 1 || !reflect.DeepEqual(calls[0].Args, c.args) {
			t.Errorf("%s: %s calls %#v, want args %#v", c.line, c.method, calls, c.args)
		}
		if !x.m.compose.Empty() {
			t.Errorf("%s: compose not cleared after the command ran: %q", c.line, x.m.compose.Value())
		}
	}
}

func TestStatusShowsInTheStatusBar(t *testing.T) {
	x := loggedIn(t, 80, 24)
	x.send(session.ConnectionChanged{State: session.Online})
	x.typeText("/status dnd in a meeting")
	x.press("enter")
	x.mustShow("⊖ do not disturb")
	x.be.Errs["SetPresence"] = errString("not connected")
	x.typeText("/status away")
	x.press("enter")
	x.mustShow("set status: not connected")
	x.mustShow("⊖ do not disturb") // unchanged, since it failed
}

func TestQuitCommandAndCtrlC(t *testing.T) {
	x := loggedIn(t, 80, 24)
	x.typeText("/quit")
	x.press("enter")
	if !x.quit {
		t.Fatal("/quit did not quit")
	}
	y := loggedIn(t, 80, 24)
	y.typeText("half a thought")
	y.press("ctrl+c")
	if !y.quit {
		t.Fatal("ctrl+c did not quit")
	}
}

func TestUnknownCommandKeepsTheText(t *testing.T) {
	x := loggedIn(t, 80, 24)
	x.be.Reset()
	x.typeText("/frobnicate the widgets")
	x.press("enter")
	if got := x.m.compose.Value(); got != "/frobnicate the widgets" {
		t.Fatalf("compose holds %q", got)
	}
	x.mustShow("unknown command /frobnicate")
	for _, c := range x.be.Calls("") {
		if c.Method != "Contacts" && c.Method != "Conversations" {
			t.Fatalf("backend called: %#v", c)
		}
	}
	// A usage error keeps it too, and says how to fix it.
	x.press("ctrl+u")
	x.typeText("/add")
	x.press("enter")
	if x.m.compose.Value() != "/add" {
		t.Fatal("usage error lost the text")
	}
	x.mustShow("usage /add JID [name]")
}

func TestCommandErrorFromBackendIsANotice(t *testing.T) {
	x := loggedIn(t, 80, 24)
	x.be.Errs["AddContact"] = errString("item-not-found")
	x.typeText("/add bob@example.org")
	x.press("enter")
	x.mustShow("add bob@example.org: item-not-found")
	for _, l := range x.screen() {
		if strings.Contains(l, "item-not-found") && strings.Count(x.text(), "item-not-found") != 1 {
			t.Fatal("error shown more than once")
		}
	}
}

func TestTabCompletesCommandsAndJIDs(t *testing.T) {
	x := loggedIn(t, 80, 24)
	x.send(session.RosterChanged{Contacts: []session.Contact{{JID: "alice@example.org"}, {JID: "alfred@example.org"}, {JID: "bob@example.org"}}})
	x.typeText("/ms")
	x.press("tab")
	if got := x.m.compose.Value(); got != "/msg " {
		t.Fatalf("command completion: %q", got)
	}
	x.typeText("b")
	x.press("tab")
	if got := x.m.compose.Value(); got != "/msg bob@example.org " {
		t.Fatalf("JID completion: %q", got)
	}
	// Several candidates: they are listed above compose and tab cycles.
	x.press("ctrl+u")
	x.typeText("/msg al")
	x.press("tab")
	x.mustShow("alfred@example.org  alice@example.org")
	first := x.m.compose.Value()
	x.press("tab")
	if second := x.m.compose.Value(); second == first || !strings.HasPrefix(second, "/msg al") {
		t.Fatalf("tab did not cycle: %q then %q", first, second)
	}
	if x.m.focus != focusCompose {
		t.Fatal("tab on a command moved the focus")
	}
	// Tab on a plain message moves the focus instead.
	x.press("ctrl+u")
	x.typeText("plain")
	x.press("tab")
	if x.m.focus == focusCompose {
		t.Fatal("tab on a message did not move the focus")
	}
}

func TestHelpCommandAndKeyOverlay(t *testing.T) {
	x := loggedIn(t, 80, 36) // tall enough for the whole list
	x.typeText("/help")
	x.press("enter")
	x.mustShow("/accept JID")
	x.press("end") // the list is longer than the box
	x.mustShow("/status [online|chat|away|xa|dnd] [text]")
	x.press("esc")
	x.typeText("/help status")
	x.press("enter")
	x.mustShow("do not disturb")
	x.press("esc")
	// f1 opens the key bindings; in the compose line ? is text, even first.
	x.press("f1")
	x.mustShow("ctrl+n")
	x.mustShow("next chat")
	x.press("esc")
	x.mustNotShow("next chat")
	x.typeText("?")
	x.typeText("why?")
	if x.m.compose.Value() != "?why?" || x.m.overlay.Active() {
		t.Fatalf("? in compose opened help or was lost: %q", x.m.compose.Value())
	}
}

// Keys typed right after Enter, before any command has run, belong to the
// chat the command opened: a fast typist (or tmux) loses nothing.
func TestKeysRightAfterMsgGoToTheNewChat(t *testing.T) {
	x := newHarness(t, Options{Account: &session.Account{JID: "me@example.org", Password: "pw"}}, 100, 30)
	x.advance(time.Second)
	x.typeText("/msg bob@example.org")
	// Deliver the keys straight to Update, running none of the returned
	// commands in between, as a terminal's input reader does.
	for _, k := range []tea.Msg{keyMsg("enter"), keyMsg("h"), keyMsg("i")} {
		x.m.Update(k)
	}
	if got := x.m.compose.Value(); got != "hi" {
		t.Fatalf("compose holds %q, want \"hi\"", got)
	}
	if got := x.m.compose.Peer(); got != "bob@example.org" {
		t.Fatalf("compose writes to %q", got)
	}
}
