//go:build integration

package session

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/prosodytest"
	"github.com/candor-xmpp/candor/internal/store"
)

// Messages sent while the recipient was offline arrive once (offline
// delivery and the archive are two copies of them), in order, across
// several archive pages; a second login fetches nothing again.
func TestIntegrationOfflineMessagesViaArchive(t *testing.T) {
	srv := prosodytest.Start(t)
	alice := login(t, srv, srv.CreateUser(t, "alice", "pw-a"), "pw-a")
	bobJID := srv.CreateUser(t, "bob", "pw-b")

	// Bob has never logged in: the first login fetches the newest page.
	alice.send(t, bobJID, "before bob ever logged in")
	bobDir := t.TempDir()
	bob := newClient(t, bobDir, Options{})
	synced := bob.loginSynced(t, account(srv, bobJID, "pw-b"))
	if synced.Fetched != 1 {
		t.Fatalf("first login fetched %d messages, want 1", synced.Fetched)
	}
	if m := bob.waitAdded(t, "before bob ever logged in"); m.StanzaID == "" {
		t.Fatalf("no stanza-id: %+v", m)
	}
	bob.Close()
	pos := archivePosition(t, bobDir, bobJID)
	if pos == "" {
		t.Fatal("no archive position after the first login")
	}

	// Bob offline: more than three pages of messages.
	bob2 := newClient(t, bobDir, Options{})
	bob2.archivePage = 4
	var sent []string
	for i := range 13 {
		body := fmt.Sprintf("while offline %02d", i)
		m := alice.send(t, bobJID, body)
		alice.waitState(t, m.ID, Sent)
		sent = append(sent, body)
	}
	synced = bob2.loginSynced(t, account(srv, bobJID, "pw-b"))
	if synced.Fetched != len(sent) {
		t.Fatalf("catch-up fetched %d messages, want %d", synced.Fetched, len(sent))
	}
	// A live message after the catch-up: by the time it is stored, held
	// offline copies have been deduplicated.
	alice.send(t, bobJID, "sentinel 1")
	bob2.waitAdded(t, "sentinel 1")
	for _, body := range sent {
		if n := bob2.added(body); n != 1 {
			t.Fatalf("%q added %d times", body, n)
		}
	}
	want := append(append([]string{"before bob ever logged in"}, sent...), "sentinel 1")
	if got := bodiesOf(bob2.history(t, "alice@localhost")); !reflect.DeepEqual(got, want) {
		t.Fatalf("history:\n%q\nwant\n%q", got, want)
	}
	bob2.Close()
	if p := archivePosition(t, bobDir, bobJID); p == pos {
		t.Fatal("archive position did not move")
	}

	// Third login: nothing new, nothing twice.
	bob3 := newClient(t, bobDir, Options{})
	synced = bob3.loginSynced(t, account(srv, bobJID, "pw-b"))
	if synced.Fetched != 0 {
		t.Fatalf("third login fetched %d messages again", synced.Fetched)
	}
	alice.send(t, bobJID, "sentinel 2")
	bob3.waitAdded(t, "sentinel 2")
	if n := len(bob3.all(func(ev Event) bool { _, ok := ev.(MessageAdded); return ok })); n != 1 {
		t.Fatalf("third login added %d messages, want only the sentinel", n)
	}
	if got := bodiesOf(bob3.history(t, "alice@localhost")); !reflect.DeepEqual(got, append(want, "sentinel 2")) {
		t.Fatalf("history after the third login: %q", got)
	}
	// Unread: all but the history fetched at the first login.
	convs, _ := bob3.Conversations(context.Background())
	if len(convs) != 1 || convs[0].Unread != len(want) {
		t.Fatalf("conversations %+v, want %d unread", convs, len(want))
	}
}

// Our own messages come back from the archive with their origin-id: a new
// client of the account shows them as ours, and the client that sent them
// recognises them and stores nothing twice.
func TestIntegrationOwnMessagesFromArchive(t *testing.T) {
	srv := prosodytest.Start(t)
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	bobJID := srv.CreateUser(t, "bob", "pw-b")
	aliceDir := t.TempDir()
	alice := newClient(t, aliceDir, Options{})
	alice.loginSynced(t, account(srv, aliceJID, "pw-a"))
	m := alice.send(t, bobJID, "mine")
	alice.waitState(t, m.ID, Sent)
	alice.Close()

	again := newClient(t, aliceDir, Options{})
	again.loginSynced(t, account(srv, aliceJID, "pw-a"))
	fresh := newClient(t, "", Options{})
	fresh.loginSynced(t, account(srv, aliceJID, "pw-a"))
	if again.added("mine") != 0 {
		t.Fatal("the sending client stored its own message again")
	}
	h := again.history(t, bobJID)
	if len(h) != 1 || h[0].StanzaID == "" {
		t.Fatalf("sender's history %+v: want one message, with the archive's id learnt", h)
	}
	got := fresh.waitAdded(t, "mine")
	if got.Direction != Outgoing || got.Source != Archive || got.Peer != bobJID || got.OriginID != m.OriginID || got.State != Sent {
		t.Fatalf("a new client got %+v", got)
	}
}

func archivePosition(t *testing.T, dir, jid string) string {
	t.Helper()
	st, err := store.Open(context.Background(), DBPath(dir, jid))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := st.ArchivePosition(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// archiveCount counts the messages with body in user's archive on the
// server (Prosody's internal storage keeps one item per message).
func archiveCount(t *testing.T, srv *prosodytest.Server, user, body string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(srv.DataDir(), "localhost", "archive", user+".list"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), fmt.Sprintf("%q;", body))
}
