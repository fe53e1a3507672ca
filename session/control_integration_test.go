//go:build integration

package session

import (
	"context"
	"errors"
	"testing"

	"github.com/candor-xmpp/candor/internal/prosodytest"
	"github.com/candor-xmpp/candor/internal/xmpppeer"
)

// Logout leaves the client ready for another account; a second Login
// without it is refused and changes nothing.
func TestIntegrationLogoutThenLoginAnotherAccount(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t)
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	bobJID := srv.CreateUser(t, "bob", "pw-b")
	c := newClient(t, "", Options{})
	c.loginSynced(t, account(srv, aliceJID, "pw-a"))
	if err := c.Login(ctx, account(srv, bobJID, "pw-b")); !errors.Is(err, errAlreadyLoggedIn) {
		t.Fatalf("Login while logged in: %v", err)
	}
	if c.Account().JID != aliceJID {
		t.Fatalf("account after a refused Login: %+v", c.Account())
	}
	mark := c.mark()
	if err := c.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	c.waitFrom(t, mark, "offline", func(ev Event) bool {
		cc, ok := ev.(ConnectionChanged)
		return ok && cc.State == Offline
	})
	if a := c.Account(); a.JID != "" || a.State != Offline {
		t.Fatalf("account after Logout: %+v", a)
	}
	if _, err := c.Conversations(ctx); err == nil {
		t.Fatal("the store of the old account is still open")
	}
	mark = c.mark()
	if err := c.Login(ctx, account(srv, bobJID, "pw-b")); err != nil {
		t.Fatalf("Login after Logout: %v", err)
	}
	c.waitFrom(t, mark, "bob online", func(ev Event) bool {
		cc, ok := ev.(ConnectionChanged)
		return ok && cc.State == Online
	})
	if c.Account().JID != bobJID {
		t.Fatalf("account %+v", c.Account())
	}
	// bob can send as bob.
	peer := xmpppeer.Start(t)
	peer.Connect(t, xmpppeer.Config{JID: aliceJID, Password: "pw-a", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})
	c.send(t, aliceJID, "now as bob")
	got := peer.Wait(t, "bob's message", func(e xmpppeer.Event) bool { return e.Event == "message" && e.Body == "now as bob" })
	if got.From == "" || got.From[:len(bobJID)] != bobJID {
		t.Fatalf("from %q", got.From)
	}
}

// Unread counts are announced as stored, and a message our other device
// sends to the peer clears them (read there).
func TestIntegrationUnreadChanged(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t)
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	bobJID := srv.CreateUser(t, "bob", "pw-b")
	one := newClient(t, "", Options{Resource: "one"})
	two := newClient(t, "", Options{Resource: "two"})
	for _, c := range []*tclient{one, two} {
		c.loginSynced(t, account(srv, aliceJID, "pw-a"))
	}
	peer := xmpppeer.Start(t)
	peer.Connect(t, xmpppeer.Config{JID: bobJID, Password: "pw-b", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})
	unread := func(c *tclient, from, n int) int {
		t.Helper()
		mark := c.mark()
		c.waitFrom(t, from, "unread", func(ev Event) bool {
			u, ok := ev.(UnreadChanged)
			return ok && u.Peer == bobJID && u.Unread == n
		})
		return mark
	}
	m := one.mark()
	peer.Send(t, aliceJID, "first", "")
	m = unread(one, m, 1)
	peer.Send(t, aliceJID, "second", "")
	m = unread(one, m, 2)
	if err := one.MarkRead(ctx, bobJID); err != nil {
		t.Fatal(err)
	}
	m = unread(one, m, 0)
	peer.Send(t, aliceJID, "third", "")
	m = unread(one, m, 1)
	// Answered on the other device: one's count goes back to 0.
	two.send(t, bobJID, "answered on two")
	one.waitAdded(t, "answered on two")
	unread(one, m, 0)
	if convs, err := one.Conversations(ctx); err != nil || convs[0].Unread != 0 {
		t.Fatalf("stored unread %+v, %v", convs, err)
	}
}

// A withdrawn request and one approved by another client of ours are
// announced as resolved and leave PendingSubscriptions.
func TestIntegrationSubscriptionResolved(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t)
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	bobJID := srv.CreateUser(t, "bob", "pw-b")
	one := newClient(t, "", Options{Resource: "one"})
	two := newClient(t, "", Options{Resource: "two"})
	for _, c := range []*tclient{one, two} {
		c.loginSynced(t, account(srv, aliceJID, "pw-a"))
	}
	peer := xmpppeer.Start(t)
	peer.Connect(t, xmpppeer.Config{JID: bobJID, Password: "pw-b", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})

	peer.Subscription(t, aliceJID, "subscribe")
	one.wait(t, "the request", func(ev Event) bool { r, ok := ev.(SubscriptionRequested); return ok && r.JID == bobJID })
	if p := one.PendingSubscriptions(); len(p) != 1 || p[0].JID != bobJID {
		t.Fatalf("pending %+v", p)
	}
	peer.Subscription(t, aliceJID, "unsubscribe")
	r := one.wait(t, "withdrawn", func(ev Event) bool { r, ok := ev.(SubscriptionResolved); return ok && r.JID == bobJID }).(SubscriptionResolved)
	if r.Approved || len(one.PendingSubscriptions()) != 0 {
		t.Fatalf("resolved %+v, pending %+v", r, one.PendingSubscriptions())
	}

	mark := one.mark()
	peer.Subscription(t, aliceJID, "subscribe")
	two.wait(t, "the request on two", func(ev Event) bool { r, ok := ev.(SubscriptionRequested); return ok && r.JID == bobJID })
	one.waitFrom(t, mark, "the request on one", func(ev Event) bool { r, ok := ev.(SubscriptionRequested); return ok && r.JID == bobJID })
	if err := two.AnswerSubscription(ctx, bobJID, true); err != nil {
		t.Fatal(err)
	}
	r = one.waitFrom(t, mark, "approved elsewhere", func(ev Event) bool {
		r, ok := ev.(SubscriptionResolved)
		return ok && r.JID == bobJID
	}).(SubscriptionResolved)
	if !r.Approved || len(one.PendingSubscriptions()) != 0 {
		t.Fatalf("resolved %+v, pending %+v", r, one.PendingSubscriptions())
	}
}

// A closed conversation stays closed across a restart and comes back
// with the next message.
func TestIntegrationCloseConversationPersists(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t)
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	bobJID := srv.CreateUser(t, "bob", "pw-b")
	alice := login(t, srv, aliceJID, "pw-a")
	peer := xmpppeer.Start(t)
	peer.Connect(t, xmpppeer.Config{JID: bobJID, Password: "pw-b", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})
	peer.Send(t, aliceJID, "hello", "")
	alice.waitAdded(t, "hello")
	if err := alice.CloseConversation(ctx, bobJID); err != nil {
		t.Fatal(err)
	}
	if err := alice.CloseConversation(ctx, "not a jid@@"); err == nil {
		t.Fatal("closed a conversation with a malformed JID")
	}
	dir := alice.dir
	alice.Close()
	back := newClient(t, dir, Options{})
	back.loginSynced(t, account(srv, aliceJID, "pw-a"))
	if convs, err := back.Conversations(ctx); err != nil || len(convs) != 0 {
		t.Fatalf("conversations after close and restart: %+v, %v", convs, err)
	}
	peer.Send(t, aliceJID, "are you there?", "")
	back.waitAdded(t, "are you there?")
	convs, err := back.Conversations(ctx)
	if err != nil || len(convs) != 1 || convs[0].Peer != bobJID || convs[0].LastBody != "are you there?" {
		t.Fatalf("conversations after a new message: %+v, %v", convs, err)
	}
}
