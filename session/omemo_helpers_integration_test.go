//go:build integration

package session

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

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

// waitOMEMOReady waits until the client announced its device (the first
// SecurityChanged for its own JID follows its own device lists).
func (c *tclient) waitOMEMOReady(t *testing.T) {
	t.Helper()
	own := c.Account().JID
	c.wait(t, "this device announced", func(ev Event) bool {
		s, ok := ev.(SecurityChanged)
		return ok && s.Peer == own
	})
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
