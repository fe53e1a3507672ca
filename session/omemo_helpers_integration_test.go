//go:build integration

package session

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/e2ee"
	"github.com/candor-xmpp/candor/internal/prosodytest"
)

// sendE2E sends with OMEMO (the default) and fails the test on error.
func (c *tclient) sendE2E(t *testing.T, to, body string) Message {
	t.Helper()
	m, err := c.Send(context.Background(), SendRequest{To: to, Body: body})
	if err != nil {
		t.Fatalf("send to %s: %v", to, err)
	}
	if m.Encryption.Scheme != OMEMOPending {
		t.Fatalf("queued as %q, not for OMEMO", m.Encryption.Scheme)
	}
	return m
}

// waitEncrypted waits until message id was encrypted and returns how.
func (c *tclient) waitEncrypted(t *testing.T, id int64) EncryptionUpdated {
	t.Helper()
	return c.wait(t, fmt.Sprintf("message %d encrypted", id), func(ev Event) bool {
		u, ok := ev.(EncryptionUpdated)
		return ok && u.ID == id
	}).(EncryptionUpdated)
}

// waitFailed waits for message id to fail and returns the reason.
func (c *tclient) waitFailed(t *testing.T, id int64) string {
	t.Helper()
	return c.wait(t, fmt.Sprintf("message %d failed", id), func(ev Event) bool {
		u, ok := ev.(MessageUpdated)
		return ok && u.ID == id && u.State == Failed
	}).(MessageUpdated).Err
}

// waitOMEMOReady waits until the client announced its device.
func (c *tclient) waitOMEMOReady(t *testing.T) {
	t.Helper()
	r := c.wait(t, "this device announced", func(ev Event) bool { _, ok := ev.(OMEMOReady); return ok }).(OMEMOReady)
	if r.Err != "" || r.Device == 0 {
		t.Fatalf("announcing this device: %+v", r)
	}
}

// loginE2E logs a new client in and waits until its device is announced.
func loginE2E(t *testing.T, srv *prosodytest.Server, jid, password string) *tclient {
	t.Helper()
	c := login(t, srv, jid, password)
	c.waitOMEMOReady(t)
	return c
}

// assertNotOnServer fails if any of the texts appears in a file of the
// server's data directory: what reached the server was ciphertext only.
func assertNotOnServer(t *testing.T, srv *prosodytest.Server, texts ...string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(srv.DataDir(), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for _, s := range texts {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%q is in the server's %s", s, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatal("the server's data directory is empty: nothing was checked")
	}
}

// waitDevice waits until the client knows device id of jid as listed in
// both versions (listed) or in none, from device list notifications or
// fetches, without asking the server.
func (c *tclient) waitDevice(t *testing.T, jid string, id uint32, listed bool) {
	t.Helper()
	ctx := context.Background()
	mgr, err := c.e2ee(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for {
		mark := c.mark()
		devs, err := mgr.Devices(ctx, jid)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, d := range devs {
			both := d.Listed.Has(e2ee.Legacy) && d.Listed.Has(e2ee.OMEMO2)
			if d.Device == id && (listed && both || !listed && d.Listed == 0) {
				found = true
			}
		}
		if found || !listed && !containsDevice(devs, id) {
			return
		}
		c.waitFrom(t, mark, fmt.Sprintf("a change in the devices of %s (waiting for %d listed=%v)", jid, id, listed), func(ev Event) bool {
			s, ok := ev.(SecurityChanged)
			return ok && s.Peer == jid
		})
	}
}

func containsDevice(devs []e2ee.Device, id uint32) bool {
	for _, d := range devs {
		if d.Device == id {
			return true
		}
	}
	return false
}

// keyTransportsSent counts the empty OMEMO messages (no payload) the
// client sent to jid, as the XML console saw them.
func (c *tclient) keyTransportsSent(jid string) int {
	return len(c.all(func(ev Event) bool {
		s, ok := ev.(StanzaLogged)
		return ok && s.Outgoing && strings.HasPrefix(s.XML, "<message") && strings.Contains(s.XML, `to="`+jid+`"`) &&
			strings.Contains(s.XML, "<encrypted") && !strings.Contains(s.XML, "<payload")
	}))
}

// makeContacts subscribes c and an OMEMO peer (which approves and asks
// back) to each other's presence: PEP notifications of the peer's device
// lists then reach c.
func makeContacts(t *testing.T, c *tclient, peer string) {
	t.Helper()
	ctx := context.Background()
	if err := c.AddContact(ctx, peer, ""); err != nil {
		t.Fatal(err)
	}
	c.wait(t, "a subscription request from "+peer, func(ev Event) bool {
		s, ok := ev.(SubscriptionRequested)
		return ok && s.JID == peer
	})
	if err := c.AnswerSubscription(ctx, peer, true); err != nil {
		t.Fatal(err)
	}
	c.wait(t, "subscription both with "+peer, func(ev Event) bool {
		r, ok := ev.(RosterChanged)
		if !ok {
			return false
		}
		for _, ct := range r.Contacts {
			if ct.JID == peer && ct.Subscription == "both" {
				return true
			}
		}
		return false
	})
}
