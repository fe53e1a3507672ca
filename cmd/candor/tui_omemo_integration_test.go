//go:build integration

package main

import (
	"os"
	"path/filepath"
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
	// Until bob's device lists are on the server, a stranger cannot see
	// that bob has OMEMO (Prosody answers "forbidden" for a missing node).
	for _, node := range []string{"eu%2esiacs%2econversations%2eaxolotl%2edevicelist", "urn%3axmpp%3aomemo%3a2%3adevices"} {
		waitForFile(t, filepath.Join(srv.DataDir(), "localhost", "pep_"+node, "bob.list"))
	}

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

	// The inspector: three views of one message; at this width, tabs.
	a.Type("/inspect 2")
	a.Keys("Enter")
	screen = a.WaitFor(wait, "[ server ]", "What the server sees", "<encrypted xmlns='urn:xmpp:omemo:2'>", "(prekey)")
	if testing.Verbose() {
		t.Logf("the inspector:\n%s", screen)
	}
	a.Keys("Tab") // to "you"
	a.WaitFor(wait, "[ you ]", "hello bob, this is end-to-end encrypted", "End-to-end encrypted (OMEMO 2)")
	a.Keys("Escape")
	a.WaitUntil(wait, "the inspector to close", func(s string) bool { return !strings.Contains(s, "Inspector") })
	a.Type("/omemo fingerprint")
	a.Keys("Enter")
	a.WaitFor(wait, "OMEMO fingerprint", "▄▄▄▄▄")
	a.Keys("Escape")
	a.WaitUntil(wait, "the fingerprint to close", func(s string) bool { return !strings.Contains(s, "OMEMO fingerprint") })

	assertNotOnDisk(t, srv.DataDir(), "hello bob, this is end-to-end encrypted", "and so is this reply")
	a.Keys("C-c")
	a.WaitFor(wait, "[exited 0]")
}

// waitForFile waits until path exists: the server stored something.
func waitForFile(t *testing.T, path string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not appear", path)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
