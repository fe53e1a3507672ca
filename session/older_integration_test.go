//go:build integration

package session

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/prosodytest"
)

// The archive holds more than the first login fetched: a conversation's
// older messages come page by page on demand, in order, each once, stored
// before the conversation's messages, without moving the catch-up
// position; once the archive's beginning is reached, asking again costs
// no query. A message already stored (our own, not yet confirmed by the
// archive) is not stored twice.
func TestIntegrationLoadOlderFromTheArchive(t *testing.T) {
	srv := prosodytest.Start(t)
	alice := login(t, srv, srv.CreateUser(t, "alice", "pw-a"), "pw-a")
	carol := login(t, srv, srv.CreateUser(t, "carol", "pw-c"), "pw-c")
	bobJID := srv.CreateUser(t, "bob", "pw-b")
	// Another client of bob's receives everything, so that the server
	// keeps the messages only in the archive (no offline delivery).
	bobPhone := login(t, srv, bobJID, "pw-b")

	var carolSent []string
	for i := range 3 {
		carolSent = append(carolSent, fmt.Sprintf("carol early %d", i))
		carol.send(t, bobJID, carolSent[i])
	}
	bobPhone.waitAdded(t, carolSent[2])
	const total = 130
	var aliceSent []string
	for i := range total {
		aliceSent = append(aliceSent, fmt.Sprintf("from alice %03d", i))
		alice.send(t, bobJID, aliceSent[i])
	}
	bobPhone.waitAdded(t, aliceSent[total-1])
	bobPhone.Close()

	// Bob's first login on this device fetches only the newest page.
	bobDir := t.TempDir()
	bob := newClient(t, bobDir, Options{})
	if s := bob.loginSynced(t, account(srv, bobJID, "pw-b")); s.Fetched != firstSync {
		t.Fatalf("first login fetched %d, want %d", s.Fetched, firstSync)
	}
	aliceJID := "alice@localhost"
	if got := bodiesOf(bob.history(t, aliceJID)); !reflect.DeepEqual(got, aliceSent[total-firstSync:]) {
		t.Fatalf("history after the first login: %d messages, from %q", len(got), got[0])
	}
	pos := archivePosition(t, bobDir, bobJID)

	ctx := context.Background()
	// Two calls at once (a scroll and /history): one query between them.
	type answer struct {
		res LoadOlderResult
		err error
	}
	answers := make(chan answer, 2)
	for range 2 {
		go func() {
			res, err := bob.LoadOlder(ctx, aliceJID)
			answers <- answer{res, err}
		}()
	}
	res := LoadOlderResult{}
	for range 2 {
		a := <-answers
		if a.err != nil {
			t.Fatal(a.err)
		}
		if !a.res.Complete || a.res.Added != 0 && a.res.Added != total-firstSync {
			t.Fatalf("LoadOlder = %+v, want %d added (or 0 after the other call) and complete", a.res, total-firstSync)
		}
		res.Added = max(res.Added, a.res.Added)
	}
	if res.Added != total-firstSync {
		t.Fatalf("LoadOlder added %d, want %d", res.Added, total-firstSync)
	}
	h := bob.history(t, aliceJID)
	if got := bodiesOf(h); !reflect.DeepEqual(got, aliceSent) {
		t.Fatalf("history after LoadOlder:\n%q\nwant\n%q", got, aliceSent)
	}
	for i, m := range h {
		if n := bob.added(m.Body); n != 1 {
			t.Fatalf("%q added %d times", m.Body, n)
		}
		if i > 0 && m.Time.Before(h[i-1].Time) {
			t.Fatalf("%q is stamped %v, before the message above it (%v)", m.Body, m.Time, h[i-1].Time)
		}
		if m.Source != Archive || m.StanzaID == "" {
			t.Fatalf("%q: %+v, want an archive copy with its id", m.Body, m)
		}
	}
	if p := archivePosition(t, bobDir, bobJID); p != pos {
		t.Fatalf("LoadOlder moved the archive position from %q to %q", pos, p)
	}
	convs, _ := bob.Conversations(ctx)
	for _, c := range convs {
		if c.Peer == aliceJID && (c.Unread != 0 || c.LastBody != aliceSent[total-1]) {
			t.Fatalf("conversation after LoadOlder: %+v", c)
		}
	}

	// Complete: the next call answers from the store.
	res, err := bob.LoadOlder(ctx, aliceJID)
	if err != nil || res != (LoadOlderResult{Complete: true}) {
		t.Fatalf("second LoadOlder = %+v, %v", res, err)
	}

	// Bob writes to carol; the archive has not confirmed it to this client
	// yet, so the older page is asked for by time and brings it again.
	hello := bob.send(t, "carol@localhost", "hello carol")
	bob.waitState(t, hello.ID, Sent)
	res, err = bob.LoadOlder(ctx, "carol@localhost")
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != len(carolSent) || !res.Complete {
		t.Fatalf("LoadOlder with carol = %+v, want %d added and complete", res, len(carolSent))
	}
	h = bob.history(t, "carol@localhost")
	if got, want := bodiesOf(h), append(append([]string(nil), carolSent...), "hello carol"); !reflect.DeepEqual(got, want) {
		t.Fatalf("history with carol %q, want %q", got, want)
	}
	if n := bob.added("hello carol"); n != 1 {
		t.Fatalf("our own message added %d times", n)
	}
	if last := h[len(h)-1]; last.ID != hello.ID || last.StanzaID == "" {
		t.Fatalf("our message %+v: want the stored one, with the archive's id learnt", last)
	}

	// The three calls for alice sent one query (the console shows them in
	// order: once carol's is there, alice's are too).
	queriesWith := func(peer string) func(Event) bool {
		return func(ev Event) bool {
			s, ok := ev.(StanzaLogged)
			return ok && s.Outgoing && strings.Contains(s.XML, nsMAM) && strings.Contains(s.XML, peer)
		}
	}
	bob.wait(t, "the archive query with carol", queriesWith("carol@localhost"))
	if n := len(bob.all(queriesWith(aliceJID))); n != 1 {
		t.Fatalf("three LoadOlder calls for alice sent %d archive queries, want 1", n)
	}
}

// Without a connection, LoadOlder fails at once with one line.
func TestIntegrationLoadOlderOffline(t *testing.T) {
	srv := prosodytest.Start(t)
	bobJID := srv.CreateUser(t, "bob", "pw-b")
	bob := login(t, srv, bobJID, "pw-b")
	srv.Stop(t)
	bob.waitConn(t, Reconnecting)
	_, err := bob.LoadOlder(context.Background(), "alice@localhost")
	if err == nil || err.Error() != "older messages with alice@localhost: not connected" {
		t.Fatalf("LoadOlder offline: %v", err)
	}
	if _, err := bob.LoadOlder(context.Background(), "not a jid@@"); err == nil || strings.Contains(err.Error(), "\n") {
		t.Fatalf("LoadOlder of a bad address: %v", err)
	}
}
