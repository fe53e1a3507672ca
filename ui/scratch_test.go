package ui

import (
	"testing"

	"github.com/candor-xmpp/candor/session"
)

func TestScratch(t *testing.T) {
	x := loggedIn(t, 80, 24)
	x.send(session.RosterChanged{Contacts: []session.Contact{
		{JID: "alice@example.org", Name: "Alice", Subscription: "both", Presence: session.Presence{Available: true}},
		{JID: "bob@example.org", Subscription: "both", Presence: session.Presence{Available: true, Show: session.ShowAway, Status: "lunch"}},
		{JID: "carol@example.net", Name: "Carol", Subscription: "to"},
	}})
	x.be.Generate("alice@example.org", 30, t0)
	x.send(session.ConnectionChanged{State: session.Online})
	x.typeText("/msg alice@example.org")
	x.press("enter")
	x.typeText("hello there")
	x.press("enter")
	x.send(session.SubscriptionRequested{JID: "dave@example.com"})
	x.send(session.ChatStateChanged{Peer: "alice@example.org", State: session.StateComposing})
	t.Log("\n" + x.text())
	x.press("?")
	t.Log("\n" + x.text())
}
