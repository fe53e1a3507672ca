package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
)

func TestRosterAndPresenceShowInTheSidebar(t *testing.T) {
	x := loggedIn(t, 80, 24)
	x.send(session.RosterChanged{Contacts: []session.Contact{
		{JID: "alice@example.org", Name: "Alice", Subscription: "both"},
		{JID: "bob@example.org", Name: "Bob", Subscription: "both"},
		{JID: "carol@example.net", Name: "Carol", Subscription: "none", Pending: true},
	}})
	x.mustShow("○ Alice")
	x.send(session.PresenceChanged{JID: "alice@example.org", Resource: "phone", Presence: session.Presence{Available: true, Show: session.ShowAway}})
	x.mustShow("◐ Alice")
	// The most available resource wins; its going away falls back.
	x.send(session.PresenceChanged{JID: "alice@example.org", Resource: "laptop", Presence: session.Presence{Available: true, Show: session.ShowDND}})
	x.mustShow("◐ Alice")
	x.send(session.PresenceChanged{JID: "alice@example.org", Resource: "laptop", Presence: session.Presence{Available: true}})
	x.mustShow("● Alice")
	x.send(session.PresenceChanged{JID: "alice@example.org", Resource: "laptop"})
	x.send(session.PresenceChanged{JID: "alice@example.org", Resource: "phone"})
	x.mustShow("○ Alice")
	x.mustShow("Carol (asked)")
}

// receive delivers an incoming message as the backend does: the message,
// then the stored unread count.
func (x *harness) receive(peer, body string) {
	x.tb.Helper()
	msg, n := x.be.Receive(session.Message{Peer: peer, Body: body, Time: t0})
	x.send(session.MessageAdded{Message: msg})
	x.send(session.UnreadChanged{Peer: peer, Unread: n})
}

func TestIncomingMessagesCountAsUnreadOutsideTheOpenChat(t *testing.T) {
	x := withAlice(t, 80, 24)
	x.receive("bob@example.org", "psst")
	x.receive("bob@example.org", "psst 2")
	if n := x.m.sidebar.Unread("bob@example.org"); n != 2 {
		t.Fatalf("unread = %d", n)
	}
	row, _, _ := strings.Cut(rowWith(x, "Bob"), "│")
	if !strings.HasSuffix(strings.TrimRight(row, " "), " 2") {
		t.Fatalf("no unread badge on %q", row)
	}
	if !strings.Contains(x.m.View().WindowTitle, "(2)") {
		t.Fatalf("window title %q", x.m.View().WindowTitle)
	}
	// A message in the open chat is read at once.
	x.be.Reset()
	x.receive(alice, "seen")
	if x.m.sidebar.Unread(alice) != 0 || len(x.be.Calls("MarkRead")) != 1 {
		t.Fatalf("open chat: unread %d, MarkRead %v", x.m.sidebar.Unread(alice), x.be.Calls("MarkRead"))
	}
	// Opening bob's chat clears his count and tells the backend.
	x.press("alt+2")
	if x.m.sidebar.Active() != "bob@example.org" || x.m.sidebar.Unread("bob@example.org") != 0 {
		t.Fatal("alt+2 did not open bob's chat and clear it")
	}
	x.mustShow("psst 2")
	// In the background, even the open chat collects unread messages.
	x.send(tea.BlurMsg{})
	x.receive("bob@example.org", "while away")
	if x.m.sidebar.Unread("bob@example.org") != 1 {
		t.Fatal("message while the terminal was in the background not counted")
	}
	x.send(tea.FocusMsg{})
	if x.m.sidebar.Unread("bob@example.org") != 0 {
		t.Fatal("returning to the terminal did not mark it read")
	}
}

func rowWith(x *harness, s string) string {
	for _, l := range x.screen() {
		if strings.Contains(l, s) {
			return l
		}
	}
	x.tb.Fatalf("no row with %q:\n%s", s, x.text())
	return ""
}

func TestDeliveryStatesAndFailures(t *testing.T) {
	x := withAlice(t, 80, 24)
	x.typeText("ping")
	x.press("enter")
	page, _ := x.be.History(context.Background(), alice, 0, 1)
	id := page[0].ID
	x.mustShow("ping … queued")
	x.send(session.MessageUpdated{ID: id, Peer: alice, State: session.Sent})
	x.mustShow("ping ◌ not scanned ✓") // the scan badge: scanning was off
	x.send(session.MessageUpdated{ID: id, Peer: alice, State: session.Failed, Err: "service-unavailable"})
	// Too long to follow the body at this width: the marks take a row.
	x.mustShow("ping")
	x.mustShow("◌ not scanned ✗ failed: service-unavailable")
	x.mustShow("a message to alice@example.org failed: service-unavailable")
}

func TestSubscriptionRequestIsProminent(t *testing.T) {
	x := withAlice(t, 80, 24)
	x.send(session.SubscriptionRequested{JID: "dave@example.com"})
	x.mustShow("⚑ dave@example.com wants your presence: /accept or /deny")
	x.mustShow("Requests 1")
	x.typeText("/accept ")
	x.press("tab")
	if got := x.m.compose.Value(); got != "/accept dave@example.com " {
		t.Fatalf("completion %q", got)
	}
	x.press("enter")
	if calls := x.be.Calls("AnswerSubscription"); len(calls) != 1 || calls[0].Args[0] != "dave@example.com" || calls[0].Args[1] != true {
		t.Fatalf("AnswerSubscription calls %#v", calls)
	}
	x.mustNotShow("⚑")
	x.mustShow("accepted dave@example.com")
}

func TestBareAcceptAnswersTheOnlyRequest(t *testing.T) {
	x := loggedIn(t, 80, 24)
	x.send(session.SubscriptionRequested{JID: "dave@example.com", Message: "hi, it's Dave"})
	x.mustShow("hi, it's Dave")
	x.typeText("/deny")
	x.press("enter")
	if calls := x.be.Calls("AnswerSubscription"); len(calls) != 1 || calls[0].Args[0] != "dave@example.com" || calls[0].Args[1] != false {
		t.Fatalf("AnswerSubscription calls %#v", calls)
	}
	// With two pending, the JID is needed.
	x.send(session.SubscriptionRequested{JID: "erin@example.com"})
	x.send(session.SubscriptionRequested{JID: "fred@example.com"})
	x.typeText("/accept")
	x.press("enter")
	x.mustShow("missing JID")
	if x.m.compose.Value() != "/accept" {
		t.Fatal("text lost")
	}
}

func TestReconnectCountdown(t *testing.T) {
	x := loggedIn(t, 100, 30)
	x.send(session.ConnectionChanged{State: session.Reconnecting, NextRetry: t0.Add(12 * time.Second), Attempt: 3, Err: "connection refused"})
	x.mustShow("reconnecting in 12s (try 3): connection refused")
	x.advance(time.Second)
	x.fire()
	x.mustShow("reconnecting in 11s")
	if len(x.timers) == 0 {
		t.Fatal("countdown stopped while still reconnecting")
	}
	x.send(session.ConnectionChanged{State: session.Online})
	x.mustShow("● online")
	x.fire()
	if len(x.timers) != 0 {
		t.Fatal("countdown still ticking when online")
	}
}

func TestNoticesAndTheirFading(t *testing.T) {
	x := loggedIn(t, 80, 24)
	x.send(session.Notice{Level: session.Error, Text: "bundle of bob@example.org is broken\nsecond line"})
	x.mustShow("✗ bundle of bob@example.org is broken second line")
	x.fire()
	x.mustNotShow("bundle of bob")
}

func TestConsoleShowsStanzas(t *testing.T) {
	x := loggedIn(t, 100, 30)
	x.typeText("/xml")
	x.press("enter")
	x.mustShow("XML console · 0 stanzas")
	x.send(session.StanzaLogged{Time: t0, Outgoing: true, XML: `<message to='alice@example.org' type='chat'><body>hi</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>`})
	x.send(session.StanzaLogged{Time: t0, XML: `<presence from='alice@example.org/phone'><show>away</show></presence>`})
	x.mustShow("→ sent")
	x.mustShow("← received")
	x.mustShow("<message to='alice@example.org' type='chat'>")
	x.mustShow("  <body>hi</body>")
	x.mustShow("<active xmlns='http://jabber.org/protocol/chatstates'/>")
	if x.m.focus != focusCompose {
		t.Fatal("opening the console took the keyboard from compose")
	}
	x.press("f12")
	x.mustNotShow("XML console")
}

func TestTypingInAListGoesToCompose(t *testing.T) {
	x := withAlice(t, 80, 24)
	x.press("shift+tab", "shift+tab")
	if x.m.focus != focusSidebar {
		t.Fatalf("focus %v", x.m.focus)
	}
	x.typeText("hello")
	if x.m.focus != focusCompose || x.m.compose.Value() != "hello" {
		t.Fatalf("focus %v, compose %q", x.m.focus, x.m.compose.Value())
	}
}

func TestChatSwitching(t *testing.T) {
	x := loggedIn(t, 80, 24)
	for _, j := range []string{"a@x.org", "b@x.org", "c@x.org"} {
		x.typeText("/msg " + j)
		x.press("enter")
	}
	if x.m.sidebar.Active() != "c@x.org" {
		t.Fatal("last /msg not active")
	}
	x.press("ctrl+n")
	if x.m.sidebar.Active() != "a@x.org" {
		t.Fatalf("ctrl+n wrapped to %s", x.m.sidebar.Active())
	}
	x.press("ctrl+p")
	if x.m.sidebar.Active() != "c@x.org" {
		t.Fatalf("ctrl+p went to %s", x.m.sidebar.Active())
	}
	x.press("alt+2")
	if x.m.sidebar.Active() != "b@x.org" {
		t.Fatalf("alt+2 went to %s", x.m.sidebar.Active())
	}
	x.typeText("/close")
	x.press("enter")
	if x.m.sidebar.Active() == "b@x.org" || len(x.m.sidebar.Chats()) != 2 {
		t.Fatalf("close left %v active %s", x.m.sidebar.Chats(), x.m.sidebar.Active())
	}
	// The contact list: tab to it, pick with the arrows and enter.
	x.press("shift+tab", "shift+tab")
	if x.m.focus != focusSidebar {
		t.Fatalf("focus %v", x.m.focus)
	}
	x.press("home", "enter")
	if x.m.sidebar.Active() != "a@x.org" || x.m.focus != focusCompose {
		t.Fatalf("enter in the list opened %s, focus %v", x.m.sidebar.Active(), x.m.focus)
	}
}

func TestBadBackendDoesNotCrash(t *testing.T) {
	be := newBackend()
	be.Panics = map[string]bool{"AddContact": true, "History": true}
	be.SetAccount(session.AccountInfo{JID: "me@example.org", State: session.Online})
	acct := session.Account{JID: "me@example.org", Password: "pw"}
	x := newHarnessWith(t, be, Options{Account: &acct}, 80, 24)
	x.typeText("/add bob@example.org")
	x.press("enter")
	x.mustShow("internal error")
	x.typeText("/msg bob@example.org")
	x.press("enter")
	x.mustShow("could not load history")
}

func TestPanicInUpdateBecomesANotice(t *testing.T) {
	x := withAlice(t, 80, 24)
	sidebar := x.m.sidebar
	x.m.sidebar = nil // a bug: the next event dereferences nil
	model, _ := x.m.Update(session.MessageAdded{Message: session.Message{ID: 99, Peer: "new@example.org", Body: "x"}})
	if model != tea.Model(x.m) {
		t.Fatalf("Update returned %v after a panic", model)
	}
	x.m.sidebar = sidebar
	x.typeText("/xml")
	x.m.compose.Reset()
	x.mustShow("internal error, action dropped")
}
