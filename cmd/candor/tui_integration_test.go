//go:build integration

package main

import (
	"strings"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/internal/prosodytest"
	"github.com/candor-xmpp/candor/internal/tmuxtest"
	"github.com/candor-xmpp/candor/internal/xmpppeer"
)

// The real binary in a real terminal: the user opens a chat with a slixmpp
// peer, types a message that the peer receives, and sees the peer's reply.
func TestIntegrationTUIChatsWithSlixmpp(t *testing.T) {
	bin := buildCandor(t)
	srv := prosodytest.Start(t)
	alice := srv.CreateUser(t, "alice", "alice-pw")
	bob := srv.CreateUser(t, "bob", "bob-pw")
	cfg := writeConfig(t, srv, alice, "alice-pw")

	peer := xmpppeer.Start(t)
	peer.Connect(t, xmpppeer.Config{JID: bob, Password: "bob-pw", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})

	pane := tmuxtest.Start(t, 100, 30, nil, bin, "--config", cfg, "--data-dir", t.TempDir())
	const wait = 30 * time.Second
	pane.WaitFor(wait, "online")

	pane.Type("/msg " + bob)
	pane.Keys("Enter")
	pane.Type("hello from the candor tui")
	pane.Keys("Enter")
	// The peer has no OMEMO: nothing goes out until the user says so.
	pane.WaitFor(wait, "Send unencrypted?")
	time.Sleep(time.Second) // the dialog ignores keys for its grace period (600ms)
	pane.Keys("y")
	got := peer.Wait(t, "the typed message", func(e xmpppeer.Event) bool {
		return e.Event == "message" && e.Body == "hello from the candor tui"
	})
	if !strings.HasPrefix(got.From, alice) {
		t.Fatalf("message from %q", got.From)
	}

	peer.Send(t, alice, "reply from slixmpp", "")
	pane.WaitFor(wait, "reply from slixmpp", "hello from the candor tui")

	// The receipt the peer sent back turns our message delivered.
	screen := pane.WaitFor(wait, "✓✓")
	if testing.Verbose() {
		t.Logf("screen:\n%s", screen)
	}

	pane.Keys("C-c")
	pane.WaitFor(wait, "[exited 0]")
}
