//go:build integration

package session

import (
	"context"
	"regexp"
	"testing"

	"github.com/candor-xmpp/candor/internal/prosodytest"
	"github.com/candor-xmpp/candor/internal/xmpppeer"
)

func contact(cs []Contact, jid string) (Contact, bool) {
	for _, c := range cs {
		if c.JID == jid {
			return c, true
		}
	}
	return Contact{}, false
}

// rosterHas waits for a RosterChanged after the first from events in which
// jid's entry satisfies ok (or, with ok nil, jid is absent).
func (c *tclient) rosterHas(t *testing.T, from int, what, jid string, ok func(Contact) bool) {
	t.Helper()
	c.waitFrom(t, from, what, func(ev Event) bool {
		rc, is := ev.(RosterChanged)
		if !is {
			return false
		}
		ct, found := contact(rc.Contacts, jid)
		if ok == nil {
			return !found
		}
		return found && ok(ct)
	})
}

// Adding contacts, a subscription approved and one denied, presence seen,
// removal, and the roster cache used offline and by versioned fetches.
func TestIntegrationRosterAndSubscriptions(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t)
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	aliceDir := t.TempDir()
	alice := newClient(t, aliceDir, Options{})
	alice.loginSynced(t, account(srv, aliceJID, "pw-a"))
	bob := login(t, srv, srv.CreateUser(t, "bob", "pw-b"), "pw-b")
	carolJID := srv.CreateUser(t, "carol", "pw-c")
	carol := xmpppeer.Start(t)
	carol.Connect(t, xmpppeer.Config{JID: carolJID, Password: "pw-c", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})

	// Approved.
	if err := alice.AddContact(ctx, "bob@localhost", "Bob"); err != nil {
		t.Fatal(err)
	}
	alice.rosterHas(t, 0, "bob pending", "bob@localhost", func(c Contact) bool { return c.Name == "Bob" && c.Pending })
	req := bob.wait(t, "alice's request", func(ev Event) bool { _, ok := ev.(SubscriptionRequested); return ok }).(SubscriptionRequested)
	if req.JID != aliceJID {
		t.Fatalf("request %+v", req)
	}
	if err := bob.AnswerSubscription(ctx, aliceJID, true); err != nil {
		t.Fatal(err)
	}
	alice.rosterHas(t, 0, "bob approved", "bob@localhost", func(c Contact) bool { return c.Subscription == "to" && !c.Pending })
	alice.wait(t, "bob's presence", func(ev Event) bool {
		p, ok := ev.(PresenceChanged)
		return ok && p.JID == "bob@localhost" && p.Presence.Available
	})
	if err := bob.SetPresence(ctx, Presence{Available: true, Show: ShowAway, Status: "at lunch"}); err != nil {
		t.Fatal(err)
	}
	alice.wait(t, "bob away", func(ev Event) bool {
		p, ok := ev.(PresenceChanged)
		return ok && p.JID == "bob@localhost" && p.Presence == Presence{Available: true, Show: ShowAway, Status: "at lunch"}
	})
	if c, _ := contact(alice.Contacts(), "bob@localhost"); c.Presence.Show != ShowAway {
		t.Fatalf("Contacts shows bob as %+v", c.Presence)
	}

	// Denied, by an independent client.
	if err := alice.AddContact(ctx, carolJID, ""); err != nil {
		t.Fatal(err)
	}
	carol.Wait(t, "alice's request", func(e xmpppeer.Event) bool {
		return e.Event == "presence" && e.Type == "subscribe" && e.From == aliceJID
	})
	denied := alice.mark()
	carol.Subscription(t, aliceJID, "unsubscribed")
	alice.rosterHas(t, denied, "carol denied", carolJID, func(c Contact) bool { return c.Subscription == "none" && !c.Pending })
	alice.wait(t, "a notice of the denial", func(ev Event) bool {
		n, ok := ev.(Notice)
		return ok && n.Text == carolJID+" did not allow you to see their presence (or withdrew it)"
	})

	// Carol asks alice, and alice denies; then she asks again and alice
	// approves: carol sees alice's presence.
	carol.Subscription(t, aliceJID, "subscribe")
	alice.wait(t, "carol's request", func(ev Event) bool { r, ok := ev.(SubscriptionRequested); return ok && r.JID == carolJID })
	if err := alice.AnswerSubscription(ctx, carolJID, false); err != nil {
		t.Fatal(err)
	}
	carol.Wait(t, "the denial", func(e xmpppeer.Event) bool { return e.Event == "presence" && e.Type == "unsubscribed" })

	// Removed.
	before := alice.mark()
	if err := alice.RemoveContact(ctx, "bob@localhost"); err != nil {
		t.Fatal(err)
	}
	alice.rosterHas(t, before, "bob removed", "bob@localhost", nil)
	if _, ok := contact(alice.Contacts(), "bob@localhost"); ok {
		t.Fatal("bob still in Contacts")
	}
	alice.Close()

	// Offline, the cache shows the roster.
	offline := newClient(t, aliceDir, Options{})
	if err := offline.Open(ctx, Account{JID: aliceJID}); err != nil {
		t.Fatal(err)
	}
	if cs := offline.Contacts(); len(cs) != 1 || cs[0].JID != carolJID {
		t.Fatalf("cached roster %+v", cs)
	}
	offline.Close()

	// Online again: a versioned fetch that changed nothing keeps the cache.
	again := newClient(t, aliceDir, Options{})
	again.loginSynced(t, account(srv, aliceJID, "pw-a"))
	if cs := again.Contacts(); len(cs) != 1 || cs[0].JID != carolJID {
		t.Fatalf("roster after a versioned fetch %+v", cs)
	}
	if log := again.console(); !regexp.MustCompile(`jabber:iq:roster" ver="[^"]+"`).MatchString(log) {
		t.Fatalf("no versioned roster request:\n%s", log)
	}
}

// An independent client's presence changes show: available, dnd with a
// status, a second resource, offline.
func TestIntegrationPresenceFromSlixmpp(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t)
	alice := login(t, srv, srv.CreateUser(t, "alice", "pw-a"), "pw-a")
	bobJID := srv.CreateUser(t, "bob", "pw-b")
	bob := xmpppeer.Start(t)
	bob.Connect(t, xmpppeer.Config{JID: bobJID, Password: "pw-b", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})
	if err := alice.AddContact(ctx, bobJID, "Bob"); err != nil {
		t.Fatal(err)
	}
	bob.Wait(t, "the request", func(e xmpppeer.Event) bool { return e.Event == "presence" && e.Type == "subscribe" })
	bob.Subscription(t, "alice@localhost", "subscribed")
	presence := func(what string, from int, want Presence) {
		t.Helper()
		alice.waitFrom(t, from, what, func(ev Event) bool {
			p, ok := ev.(PresenceChanged)
			return ok && p.JID == bobJID && p.Presence == want
		})
	}
	presence("bob online", 0, Presence{Available: true})
	m := alice.mark()
	bob.Presence(t, "", "dnd", "in a meeting")
	presence("bob busy", m, Presence{Available: true, Show: ShowDND, Status: "in a meeting"})

	// A second resource that is more available wins while it is there.
	phone := xmpppeer.Start(t)
	phone.Connect(t, xmpppeer.Config{JID: bobJID, Password: "pw-b", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})
	m = alice.mark()
	phone.Presence(t, "", "chat", "free to talk")
	presence("bob's phone", m, Presence{Available: true, Show: ShowChat, Status: "free to talk"})
	m = alice.mark()
	phone.Presence(t, "unavailable", "", "")
	presence("back to bob's desk", m, Presence{Available: true, Show: ShowDND, Status: "in a meeting"})
	m = alice.mark()
	bob.Presence(t, "unavailable", "", "gone home")
	presence("bob offline", m, Presence{})
	if c, _ := contact(alice.Contacts(), bobJID); c.Presence.Available {
		t.Fatalf("Contacts shows %+v", c.Presence)
	}
}
