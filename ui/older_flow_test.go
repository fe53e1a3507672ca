package ui

import (
	"fmt"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/conversation"
)

// olderChat is a harness with alice's chat open: 20 stored messages and
// an archive of 30 older ones on the server.
func olderChat(t *testing.T) *harness {
	be := newBackend()
	be.SetAccount(session.AccountInfo{JID: "me@example.org", State: session.Online})
	be.Generate(alice, 20, t0)
	var archive []session.Message
	for i := range 30 {
		archive = append(archive, session.Message{Peer: alice, Body: fmt.Sprintf("archived %02d", i), Time: t0.Add(time.Duration(i-30) * time.Minute)})
	}
	be.SetArchive(alice, archive)
	acct := session.Account{JID: "me@example.org", Password: "pw"}
	x := newHarnessWith(t, be, Options{Account: &acct}, 100, 30)
	x.send(session.ConnectionChanged{State: session.Online})
	x.typeText("/msg " + alice)
	x.press("enter")
	return x
}

// /history asks the backend for the open chat's older messages, shows
// that it is loading, and then the messages; at the archive's beginning
// the chat says so, and scrolling up asks no more.
func TestHistoryCommandLoadsOlderMessages(t *testing.T) {
	x := olderChat(t)
	x.be.Reset()
	x.typeText("/history")
	out := x.step(keyMsg("enter")) // the backend's answer, not yet delivered
	x.mustShow("loading older messages from the server…")
	if calls := x.be.Calls("LoadOlder"); len(calls) != 1 || calls[0].Args[0] != alice {
		t.Fatalf("LoadOlder calls %+v", calls)
	}
	for _, msg := range out {
		x.send(msg)
	}
	x.mustNotShow("loading older messages")
	for range 10 {
		x.press("pgup")
	}
	x.mustShow("archived 00")
	x.mustShow("beginning of the archive")
	if n := len(x.be.Calls("LoadOlder")); n != 1 {
		t.Fatalf("scrolling up at the archive's beginning called LoadOlder %d times in all, want 1", n)
	}
}

// Scrolling up to the first stored message asks once per arrival; an
// error shows at the top of the chat.
func TestScrollingToTheTopLoadsOlderMessages(t *testing.T) {
	x := olderChat(t)
	x.be.Errs["LoadOlder"] = errString("older messages with " + alice + ": not connected")
	for range 5 {
		x.press("pgup")
	}
	if n := len(x.be.Calls("LoadOlder")); n != 1 {
		t.Fatalf("LoadOlder called %d times while scrolling up, want 1", n)
	}
	x.mustShow("older messages with " + alice + ": not connected (/history retries)")
	// Scrolling away and back is a new arrival at the top.
	delete(x.be.Errs, "LoadOlder")
	x.press("pgdown")
	x.press("pgup")
	if n := len(x.be.Calls("LoadOlder")); n != 2 {
		t.Fatalf("LoadOlder called %d times after coming back to the top, want 2", n)
	}
	for range 10 {
		x.press("pgup")
	}
	x.mustShow("archived 00")
	x.mustShow("beginning of the archive")
}

// A result for a chat that was closed meanwhile is dropped quietly.
func TestOlderResultForAClosedChat(t *testing.T) {
	x := olderChat(t)
	x.send(conversation.OlderLoaded{Peer: "nobody@example.org", Added: 3})
	x.mustShow("message 19")
}
