//go:build integration

package main

import (
	"strings"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/internal/prosodytest"
	"github.com/candor-xmpp/candor/internal/tmuxtest"
)

// Two Candor instances in real terminals chat with OMEMO: each screen shows
// the other's message decrypted with its version and device, the status bar
// shows the chat's encryption, and the inspector shows the ciphertext the
// server got. The server's data holds none of the text.
func TestIntegrationTUIEncryptedChat(t *testing.T) {
	bin := buildCandor(t)
	srv := prosodytest.Start(t)
	alice := srv.CreateUser(t, "alice", "alice-pw")
	bob := srv.CreateUser(t, "bob", "bob-pw")
	const wait = 30 * time.Second

	a := tmuxtest.Start(t, 110, 32, nil, bin, "--config", writeConfig(t, srv, alice, "alice-pw"), "--data-dir", t.TempDir())
	b := tmuxtest.Start(t, 110, 32, nil, bin, "--config", writeConfig(t, srv, bob, "bob-pw"), "--data-dir", t.TempDir())
	a.WaitFor(wait, "online")
	b.WaitFor(wait, "online")

	a.Type("/msg " + bob)
	a.Keys("Enter")
	a.Type("hello bob, this is end-to-end encrypted")
	a.Keys("Enter")
	b.WaitFor(wait, "hello bob, this is end-to-end encrypted", "[omemo 2 · device", "enc: OMEMO 2 · 1 device")

	b.Type("and so is this reply")
	b.Keys("Enter")
	screen := a.WaitFor(wait, "and so is this reply", "[omemo 2 · device", "[omemo 2]", "enc: OMEMO 2 · 1 device")
	if testing.Verbose() {
		t.Logf("alice's screen:\n%s", screen)
	}

	a.Type("/inspect 2")
	a.Keys("Enter")
	screen = a.WaitFor(wait, "You see", "The server sees", "hello bob, this is end-to-end encrypted", "<encrypted xmlns='urn:xmpp:omemo:2'>", "(prekey)")
	if testing.Verbose() {
		t.Logf("the inspector:\n%s", screen)
	}
	a.Keys("Escape")
	a.WaitUntil(wait, "the inspector to close", func(s string) bool { return !strings.Contains(s, "The server sees") })
	a.Type("/omemo fingerprint")
	a.Keys("Enter")
	a.WaitFor(wait, "OMEMO fingerprint", "▄▄▄▄▄")
	a.Keys("Escape")
	a.WaitUntil(wait, "the fingerprint to close", func(s string) bool { return !strings.Contains(s, "OMEMO fingerprint") })

	assertNotOnDisk(t, srv.DataDir(), "hello bob, this is end-to-end encrypted", "and so is this reply")
	a.Keys("C-c")
	a.WaitFor(wait, "[exited 0]")
}
