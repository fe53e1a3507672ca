//go:build integration

package session

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/prosodytest"
	"github.com/candor-xmpp/candor/internal/store"
)

// The server goes away mid-conversation: messages queued meanwhile (and one
// that may or may not have reached the server as it stopped) are sent after
// the automatic reconnect, each exactly once and in order.
func TestIntegrationOutboxDrainsAfterServerRestart(t *testing.T) {
	// With stream management the server's acks confirm each message; without
	// it, the archive does after the reconnect.
	t.Run("stream management", func(t *testing.T) { outboxAcrossRestart(t, true) })
	t.Run("archive only", func(t *testing.T) { outboxAcrossRestart(t, false) })
}

func outboxAcrossRestart(t *testing.T, sm bool) {
	var opts []prosodytest.Option
	if !sm {
		opts = append(opts, prosodytest.WithoutModules("smacks"))
	}
	srv := prosodytest.Start(t, opts...)
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	aliceDir := t.TempDir()
	alice := newClient(t, aliceDir, Options{})
	alice.loginSynced(t, account(srv, aliceJID, "pw-a"))
	bobJID := srv.CreateUser(t, "bob", "pw-b")
	bob := login(t, srv, bobJID, "pw-b")
	if got := strings.Contains(alice.console(), "<enabled xmlns='urn:xmpp:sm:3'/>"); got != sm {
		t.Fatalf("stream management enabled: %v, want %v", got, sm)
	}

	var want []string
	say := func(body string) Message {
		want = append(want, body)
		return alice.send(t, bobJID, body)
	}
	for i := range 3 {
		m := say(fmt.Sprint("before ", i))
		alice.waitState(t, m.ID, Sent)
	}
	bob.waitAdded(t, "before 2")

	// One message races the shutdown.
	say("racing the stop")
	srv.Stop(t)
	lost := alice.wait(t, "reconnecting", func(ev Event) bool {
		cc, ok := ev.(ConnectionChanged)
		return ok && cc.State == Reconnecting
	}).(ConnectionChanged)
	// (No comparison with the wall clock: under load the test may read the
	// event long after it was made.)
	if lost.Err == "" || lost.NextRetry.IsZero() || lost.Attempt != 1 {
		t.Fatalf("reconnecting event %+v", lost)
	}
	var queued []Message
	for i := range 3 {
		queued = append(queued, say(fmt.Sprint("while down ", i)))
	}
	for _, m := range queued {
		if m.State != Queued {
			t.Fatalf("sent while down: %+v", m)
		}
	}
	srv.Start(t)

	for _, c := range []*tclient{alice, bob} {
		c.waitNth(t, 2, isOnline)
	}
	for _, m := range queued {
		alice.waitState(t, m.ID, Sent)
	}
	bob.waitAdded(t, "while down 2")

	// Bob has each message once, in order; so has the server's archive,
	// which no client-side deduplication can hide.
	check := func() {
		t.Helper()
		if got := bodiesOf(bob.history(t, "alice@localhost")); !reflect.DeepEqual(got, want) {
			t.Fatalf("bob's history:\n%q\nwant\n%q", got, want)
		}
		for _, body := range want {
			if n := archiveCount(t, srv, "bob", body); n != 1 {
				t.Errorf("bob's archive on the server holds %q %d times", body, n)
			}
			if n := archiveCount(t, srv, "alice", body); n != 1 {
				t.Errorf("alice's archive on the server holds %q %d times", body, n)
			}
		}
	}
	check()
	if sm {
		// The acks confirmed everything.
		if q := outbox(t, alice); len(q) != 0 {
			t.Fatalf("alice's outbox after draining: %d entries", len(q))
		}
	}
	// A live message to alice must not move her archive position past her
	// own unconfirmed messages.
	bob.send(t, aliceJID, "reply from bob")
	alice.waitAdded(t, "reply from bob")
	want = append(want, "reply from bob")

	// Alice's next login confirms what only the archive can, and sends
	// nothing again.
	alice.Close()
	again := newClient(t, aliceDir, Options{})
	again.loginSynced(t, account(srv, aliceJID, "pw-a"))
	if q := outbox(t, again); len(q) != 0 {
		t.Fatalf("alice's outbox after the next login: %d entries", len(q))
	}
	sentinel := again.send(t, bobJID, "sentinel")
	bob.waitAdded(t, "sentinel")
	again.waitState(t, sentinel.ID, Sent)
	want = append(want, "sentinel")
	check()
}

func outbox(t *testing.T, c *tclient) []store.OutboxEntry {
	t.Helper()
	st, err := c.store()
	if err != nil {
		t.Fatal(err)
	}
	q, err := st.Outbox(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func isOnline(ev Event) bool {
	cc, ok := ev.(ConnectionChanged)
	return ok && cc.State == Online
}
