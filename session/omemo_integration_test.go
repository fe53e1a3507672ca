//go:build integration

package session

import (
	"context"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/prosodytest"
)

// Two Candor accounts chat with OMEMO by default: the first message builds
// the session from the published bundle, the reply completes it, and every
// message arrives decrypted, marked with its version, device and trust.
// The server's data holds none of the plaintext.
func TestIntegrationOMEMOBetweenCandors(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t)
	alice := loginE2E(t, srv, srv.CreateUser(t, "alice", "pw-a"), "pw-a")
	bob := loginE2E(t, srv, srv.CreateUser(t, "bob", "pw-b"), "pw-b")

	first := alice.sendE2E(t, "bob@localhost", "secret one from alice")
	enc := alice.waitEncrypted(t, first.ID)
	aliceDev, _ := alice.OwnDevice(ctx)
	bobDev, _ := bob.OwnDevice(ctx)
	if enc.Encryption.Scheme != OMEMO2 || enc.Devices != 1 || enc.Encryption.DeviceID != aliceDev.ID {
		t.Fatalf("encrypted as %+v", enc) // Candor publishes both versions: OMEMO 2 wins the tie
	}
	in := bob.waitAdded(t, "secret one from alice")
	if in.Encryption.Scheme != OMEMO2 || in.Encryption.DeviceID != aliceDev.ID || !in.Encryption.Trusted {
		t.Fatalf("bob got %+v", in.Encryption)
	}
	alice.waitState(t, first.ID, Sent)

	reply := bob.sendE2E(t, "alice@localhost", "secret reply from bob")
	bob.waitEncrypted(t, reply.ID)
	got := alice.waitAdded(t, "secret reply from bob")
	if got.Encryption.Scheme != OMEMO2 || got.Encryption.DeviceID != bobDev.ID {
		t.Fatalf("alice got %+v", got.Encryption)
	}

	// What each side knows of the other: blind trust before verification.
	cs, err := alice.ChatSecurity(ctx, "bob@localhost")
	if err != nil || !cs.Enabled || cs.Version != OMEMO2 || len(cs.Devices) != 1 || cs.Devices[0].ID != bobDev.ID ||
		cs.Devices[0].Trust != TrustBlind || cs.Devices[0].Fingerprint != bobDev.Fingerprint || cs.Reachable() != 1 {
		t.Fatalf("alice's view of bob: %+v, %v", cs, err)
	}

	// The inspector: the stanza as sent, with the header naming bob's device.
	insp, err := alice.Inspect(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if insp.Version != OMEMO2 || insp.SenderDevice != aliceDev.ID || len(insp.Keys) != 1 || insp.Keys[0].Device != bobDev.ID ||
		!insp.Keys[0].KeyExchange || insp.PayloadSize == 0 || strings.Contains(insp.Stanza, "secret one") ||
		!strings.Contains(insp.Stanza, "urn:xmpp:omemo:2") || insp.Message.Body != "secret one from alice" {
		t.Fatalf("inspection: %+v", insp)
	}
	bin, err := bob.Inspect(ctx, in.ID)
	if err != nil || !strings.Contains(bin.Stanza, "<encrypted") || bin.SenderDevice != aliceDev.ID || bin.Trust != TrustBlind ||
		len(bin.Keys) != 1 || !bin.Keys[0].Mine {
		t.Fatalf("bob's inspection: %+v, %v", bin, err)
	}

	assertNotOnServer(t, srv, "secret one from alice", "secret reply from bob")
}

// Bob's first Candor publishes its device a moment after Alice asked for
// his lists (and the server refused: the node did not exist yet). Sending
// asks again instead of trusting that answer, so the message goes out
// encrypted rather than asking Alice to send plaintext.
func TestIntegrationOMEMOPeerPublishesAfterWeAsked(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t)
	alice := loginE2E(t, srv, srv.CreateUser(t, "alice", "pw-a"), "pw-a")
	bobJID := srv.CreateUser(t, "bob", "pw-b")

	cs, err := alice.ChatSecurity(ctx, bobJID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs.Devices) != 0 {
		t.Fatalf("bob has devices before his first login: %+v", cs.Devices)
	}
	bob := loginE2E(t, srv, bobJID, "pw-b")

	m := alice.sendE2E(t, bobJID, "sent right after bob's first login")
	if enc := alice.waitEncrypted(t, m.ID); enc.Devices != 1 {
		t.Fatalf("encrypted for %d devices", enc.Devices)
	}
	if in := bob.waitAdded(t, "sent right after bob's first login"); in.Encryption.Scheme == Plaintext {
		t.Fatalf("bob got plaintext: %+v", in.Encryption)
	}
}
