package session

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/internal/store"
)

// Offline, Send queues in order and the queue survives a restart of the
// client; nothing needs a server.
func TestSendQueuesInOrderOffline(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c, err := New(Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	r := record(c)
	if err := c.Open(ctx, Account{JID: "alice@example.org"}); err != nil {
		t.Fatal(err)
	}
	var sent []Message
	for i := range 5 {
		peer := []string{"bob@example.org", "Carol@Example.org"}[i%2]
		m, err := c.Send(ctx, SendRequest{To: peer, Body: fmt.Sprint("msg ", i)})
		if err != nil {
			t.Fatal(err)
		}
		if m.State != Queued || m.Direction != Outgoing || m.OriginID == "" || m.ID == 0 {
			t.Fatalf("sent %+v", m)
		}
		sent = append(sent, m)
	}
	if sent[1].Peer != "carol@example.org" {
		t.Fatalf("peer not normalised: %q", sent[1].Peer)
	}
	ids := map[string]bool{}
	for i, m := range sent {
		if i > 0 && m.ID <= sent[i-1].ID {
			t.Fatalf("ids not increasing: %d after %d", m.ID, sent[i-1].ID)
		}
		if ids[m.OriginID] {
			t.Fatalf("origin-id %s reused", m.OriginID)
		}
		ids[m.OriginID] = true
	}
	for i := range sent {
		r.wait(t, fmt.Sprint("queued message ", i), func(ev Event) bool {
			a, ok := ev.(MessageAdded)
			return ok && a.Message.ID == sent[i].ID && a.Message.State == Queued
		})
	}
	for _, bad := range []SendRequest{{To: "bob@example.org", Body: "  \n"}, {To: "not a jid@@", Body: "x"},
		{To: "bob@example.org", Body: strings.Repeat("x", maxBody+1)}, {To: "bob@example.org", Body: "\xff"}} {
		if _, err := c.Send(ctx, bad); err == nil {
			t.Errorf("Send(%.40q, %.40q) accepted", bad.To, bad.Body)
		}
	}
	c.Close()

	// Reopened: the queue is still there, in order.
	st, err := store.Open(ctx, DBPath(dir, "alice@example.org"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	q, err := st.Outbox(ctx)
	if err != nil || len(q) != 5 {
		t.Fatalf("outbox after restart: %d, %v", len(q), err)
	}
	for i, e := range q {
		if e.ID != sent[i].ID || e.Body != fmt.Sprint("msg ", i) || e.Written {
			t.Fatalf("entry %d = %+v", i, e)
		}
	}
}

func TestOfflineClient(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := DBPath(dir, "alice@example.org")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st.ReplaceRoster(ctx, "v9", []store.RosterItem{{JID: "bob@example.org", Name: "Bob", Subscription: "both"}})
	st.InsertMessage(ctx, &store.Message{Peer: "bob@example.org", Body: "cached", Time: t0(), State: int(Received)}, true)
	st.Close()

	c, _ := New(Options{DataDir: dir})
	defer c.Close()
	if _, err := c.History(ctx, "bob@example.org", 0, 10); err == nil {
		t.Fatal("History before Open succeeded")
	}
	if err := c.Open(ctx, Account{JID: "alice@example.org"}); err != nil {
		t.Fatal(err)
	}
	if cs := c.Contacts(); len(cs) != 1 || cs[0].Name != "Bob" || cs[0].Presence.Available {
		t.Fatalf("cached contacts %+v", cs)
	}
	h, err := c.History(ctx, "bob@example.org", 0, 10)
	if err != nil || len(h) != 1 || h[0].Body != "cached" {
		t.Fatalf("history %+v, %v", h, err)
	}
	convs, _ := c.Conversations(ctx)
	if len(convs) != 1 || convs[0].Unread != 1 {
		t.Fatalf("conversations %+v", convs)
	}
	if err := c.MarkRead(ctx, "bob@example.org"); err != nil {
		t.Fatal(err)
	}
	if convs, _ = c.Conversations(ctx); convs[0].Unread != 0 {
		t.Fatal("MarkRead did not clear")
	}
	// Offline: what needs the server says so; presence and chat states are
	// kept or dropped quietly.
	if err := c.AddContact(ctx, "carol@example.org", ""); err == nil || err.Error() != "not connected" {
		t.Fatalf("AddContact offline: %v", err)
	}
	if err := c.SetPresence(ctx, Presence{Available: true, Show: ShowAway}); err != nil {
		t.Fatal(err)
	}
	if err := c.SetPresence(ctx, Presence{Available: true, Show: "sleepy"}); err == nil {
		t.Fatal("unknown show accepted")
	}
	if err := c.SendChatState(ctx, "bob@example.org", StateComposing); err != nil {
		t.Fatal(err)
	}
	if err := c.Open(ctx, Account{JID: "mallory@example.org"}); err == nil {
		t.Fatal("opened a second account in the same client")
	}
	if c.Account().JID != "" || c.Account().State != Offline {
		t.Fatalf("account %+v", c.Account())
	}
	if err := c.SaveAccount(Account{}, false); err == nil {
		t.Fatal("SaveAccount is the command layer's")
	}
}

func t0() time.Time { return time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC) }

// Close stops a Login that is still connecting.
func TestCloseStopsLogin(t *testing.T) {
	// A listener that accepts and never answers: the login waits.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
		}
	}()
	c, _ := New(Options{DataDir: t.TempDir()})
	done := make(chan error, 1)
	go func() {
		done <- c.Login(context.Background(), Account{JID: "alice@localhost", Password: "pw", Server: l.Addr().String(), TLS: TLSPlain})
	}()
	r := record(c)
	r.wait(t, "connecting", func(ev Event) bool { cc, ok := ev.(ConnectionChanged); return ok && cc.State == Connecting })
	c.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("Login succeeded")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Login still running after Close")
	}
}
