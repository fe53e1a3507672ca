//go:build integration

package session

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/internal/prosodytest"
)

// The server goes away mid-conversation: messages queued meanwhile (and one
// that may or may not have reached the server as it stopped) are sent after
// the automatic reconnect, each exactly once and in order.
func TestIntegrationOutboxDrainsAfterServerRestart(t *testing.T) {
	srv := prosodytest.Start(t)
	alice := login(t, srv, srv.CreateUser(t, "alice", "pw-a"), "pw-a")
	bobJID := srv.CreateUser(t, "bob", "pw-b")
	bob := login(t, srv, bobJID, "pw-b")

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
	if lost.Err == "" || !lost.NextRetry.After(time.Now().Add(-time.Second)) || lost.Attempt != 1 {
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
		c.waitNth(t, "back online", 2, isOnline)
	}
	for _, m := range queued {
		alice.waitState(t, m.ID, Sent)
	}
	bob.waitAdded(t, "while down 2")

	// Bob has each message once, in order; so has the server's archive,
	// which no client-side deduplication can hide.
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
	st, _ := alice.store()
	if q, err := st.Outbox(context.Background()); err != nil || len(q) != 0 {
		t.Fatalf("alice's outbox after draining: %d entries, %v", len(q), err)
	}
}

func isOnline(ev Event) bool {
	cc, ok := ev.(ConnectionChanged)
	return ok && cc.State == Online
}
