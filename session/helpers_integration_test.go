//go:build integration

package session

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/internal/prosodytest"
)

// fastBackoff keeps reconnect tests short.
var fastBackoff = Backoff{Base: 200 * time.Millisecond, Max: 2 * time.Second}

// account is how a test client logs in to srv.
func account(srv *prosodytest.Server, jid, password string) Account {
	return Account{JID: jid, Password: password, Server: srv.C2SAddr(), CAFile: srv.CAFile()}
}

// tclient is a Client under test with its recorded events.
type tclient struct {
	*Client
	*recorder
	dir string
}

// newClient makes a client keeping its data in dir ("" for a new one).
func newClient(t *testing.T, dir string, opts Options) *tclient {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	opts.DataDir = dir
	if opts.Backoff == (Backoff{}) {
		opts.Backoff = fastBackoff
	}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	tc := &tclient{Client: c, recorder: record(c), dir: dir}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("events of %s:\n%s", c.Account().JID, tc.dump())
		}
		c.Close()
	})
	return tc
}

// login makes a client, logs it in and waits for the archive catch-up.
func login(t *testing.T, srv *prosodytest.Server, jid, password string) *tclient {
	t.Helper()
	c := newClient(t, "", Options{})
	c.loginSynced(t, account(srv, jid, password))
	return c
}

// loginSynced logs in and waits for the end of the archive catch-up.
func (c *tclient) loginSynced(t *testing.T, acct Account) ArchiveSynced {
	t.Helper()
	if err := c.Login(context.Background(), acct); err != nil {
		t.Fatalf("login %s: %v", acct.JID, err)
	}
	s := c.wait(t, "the archive catch-up", func(ev Event) bool { _, ok := ev.(ArchiveSynced); return ok }).(ArchiveSynced)
	if s.Err != "" {
		t.Fatalf("archive catch-up of %s: %s", acct.JID, s.Err)
	}
	return s
}

// send sends and fails the test on error.
func (c *tclient) send(t *testing.T, to, body string) Message {
	t.Helper()
	m, err := c.Send(context.Background(), SendRequest{To: to, Body: body, Plaintext: true})
	if err != nil {
		t.Fatalf("send to %s: %v", to, err)
	}
	return m
}

// waitAdded waits for the message with body to be added and returns it.
func (c *tclient) waitAdded(t *testing.T, body string) Message {
	t.Helper()
	return c.wait(t, fmt.Sprintf("message %q", body), func(ev Event) bool {
		m, ok := ev.(MessageAdded)
		return ok && m.Message.Body == body
	}).(MessageAdded).Message
}

// added counts the MessageAdded events with body so far.
func (c *tclient) added(body string) int {
	return len(c.all(func(ev Event) bool {
		m, ok := ev.(MessageAdded)
		return ok && m.Message.Body == body
	}))
}

// waitState waits for message id to reach state. Sent is reached by
// Delivered too: a receipt may overtake the server's acknowledgement.
func (c *tclient) waitState(t *testing.T, id int64, state DeliveryState) {
	t.Helper()
	c.wait(t, fmt.Sprintf("message %d %s", id, state), func(ev Event) bool {
		u, ok := ev.(MessageUpdated)
		return ok && u.ID == id && (u.State == state || state == Sent && u.State == Delivered)
	})
}

// waitConn waits for a connection state.
func (c *tclient) waitConn(t *testing.T, state ConnState) ConnectionChanged {
	t.Helper()
	return c.wait(t, "connection "+state.String(), func(ev Event) bool {
		cc, ok := ev.(ConnectionChanged)
		return ok && cc.State == state
	}).(ConnectionChanged)
}

// history returns the bodies of the whole conversation with peer.
func (c *tclient) history(t *testing.T, peer string) []Message {
	t.Helper()
	h, err := c.History(context.Background(), peer, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func bodiesOf(ms []Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Body)
	}
	return out
}
