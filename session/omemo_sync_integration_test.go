//go:build integration

package session

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/candor-xmpp/candor/internal/omemopeer"
	"github.com/candor-xmpp/candor/internal/prosodytest"
)

// Two Candor devices of one account and a python-omemo peer: a message one
// device sends reaches the other as an encrypted carbon it decrypts; a
// device that was offline decrypts what it missed from the archive, key
// exchanges included, and completes those sessions once caught up; a peer
// that was offline decrypts what the server kept for it; a long one-sided
// chain gets a heartbeat.
func TestIntegrationOMEMOCarbonsArchiveOffline(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t)
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	bobJID := srv.CreateUser(t, "bob", "pw-b")
	daveJID := srv.CreateUser(t, "dave", "pw-d")

	bob := omemopeer.Start(t)
	bobCfg := peerConfig(srv, bobJID, "pw-b")
	bobCfg.Storage = filepath.Join(t.TempDir(), "bob.json")
	bobDev := bob.Connect(bobCfg)

	one := loginE2E(t, srv, aliceJID, "pw-a")
	two := loginE2E(t, srv, aliceJID, "pw-a")
	oneDev, _ := one.OwnDevice(ctx)
	twoDev, _ := two.OwnDevice(ctx)
	one.waitDevice(t, aliceJID, twoDev.ID, true) // two announced itself in our own list

	// A sent carbon, decrypted by the other device.
	m := one.sendE2E(t, bobJID, "sent by device one")
	if enc := one.waitEncrypted(t, m.ID); enc.Devices != 2 {
		t.Fatalf("encrypted for %d devices, want bob's and our other one", enc.Devices)
	}
	bob.WaitMessage("sent by device one")
	c := two.waitAdded(t, "sent by device one")
	if c.Direction != Outgoing || c.Source != Carbon || c.Peer != bobJID || c.Encryption.DeviceID != oneDev.ID || !c.Encryption.Trusted {
		t.Fatalf("device two got %+v", c)
	}

	// The peer answers; both devices decrypt.
	bob.Send(aliceJID, "to both devices", omemopeer.OMEMO2)
	for _, d := range []*tclient{one, two} {
		if in := d.waitAdded(t, "to both devices"); in.Encryption.DeviceID != bobDev.DeviceID {
			t.Fatalf("got %+v", in)
		}
	}

	// Device two goes offline; the peer and a new contact (dave, legacy
	// only, first contact) write meanwhile.
	dir := two.dir
	two.Close()
	dave := omemopeer.Start(t)
	dave.Connect(peerConfig(srv, daveJID, "pw-d", omemopeer.Legacy))
	bob.Send(aliceJID, "while two was away", omemopeer.OMEMO2)
	dave.Send(aliceJID, "dave says hi", omemopeer.Legacy)
	one.waitAdded(t, "while two was away")
	one.waitAdded(t, "dave says hi")

	two = newClient(t, dir, Options{})
	two.loginSynced(t, account(srv, aliceJID, "pw-a"))
	for _, body := range []string{"while two was away", "dave says hi"} {
		in := two.waitAdded(t, body)
		if in.Source != Archive || in.Encryption.Scheme == Plaintext {
			t.Fatalf("device two caught up %+v", in)
		}
	}
	if again, _ := two.OwnDevice(ctx); again.ID != twoDev.ID {
		t.Fatalf("device two came back as %d, was %d", again.ID, twoDev.ID)
	}
	// The key exchange dave started is completed once the catch-up ended.
	two.wait(t, "the session with dave completed", func(Event) bool { return two.keyTransportsSent(daveJID) > 0 })

	// The peer goes offline; the server keeps what device one sends.
	bob.Disconnect()
	m = one.sendE2E(t, bobJID, "for bob while offline")
	one.waitEncrypted(t, m.ID)
	one.waitState(t, m.ID, Sent)
	bob.Connect(bobCfg)
	if got := bob.WaitMessage("for bob while offline"); got.DeviceID != oneDev.ID {
		t.Fatalf("bob got %+v", got)
	}

	// A one-sided chain: after 53 messages the receiver answers with an
	// empty message so that the sender's ratchet moves on.
	before := one.keyTransportsSent(bobJID)
	for i := range 55 {
		bob.Send(aliceJID, fmt.Sprint("chain ", i), omemopeer.OMEMO2)
	}
	one.waitAdded(t, "chain 54")
	if one.keyTransportsSent(bobJID) == before {
		t.Fatal("no heartbeat after 55 messages without an answer")
	}

	assertNotOnServer(t, srv, "sent by device one", "to both devices", "while two was away", "dave says hi", "for bob while offline", "chain 54")
}
