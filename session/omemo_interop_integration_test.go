//go:build integration

package session

import (
	"context"
	"testing"

	"github.com/candor-xmpp/candor/internal/omemopeer"
	"github.com/candor-xmpp/candor/internal/prosodytest"
)

// peerConfig is how an OMEMO peer logs in to srv.
func peerConfig(srv *prosodytest.Server, jid, password string, namespaces ...string) omemopeer.Config {
	return omemopeer.Config{JID: jid, Password: password, Addr: srv.C2SAddr(), CAFile: srv.CAFile(), Namespaces: namespaces}
}

// Candor and python-omemo (over slixmpp, on the same Prosody) chat both
// ways in both versions. First contact runs in each direction: Candor builds
// the OMEMO 2 session from the peer's bundle, the peer builds the legacy one
// from Candor's. A legacy-only peer (what Conversations, Dino, Gajim and
// Profanity are) gets legacy OMEMO without any setting.
func TestIntegrationOMEMOInteropPython(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t)
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	bobJID := srv.CreateUser(t, "bob", "pw-b")
	carolJID := srv.CreateUser(t, "carol", "pw-c")

	bob := omemopeer.Start(t)
	bobDev := bob.Connect(peerConfig(srv, bobJID, "pw-b"))
	carol := omemopeer.Start(t)
	carolDev := carol.Connect(peerConfig(srv, carolJID, "pw-c", omemopeer.Legacy))
	alice := loginE2E(t, srv, aliceJID, "pw-a")
	aliceDev, _ := alice.OwnDevice(ctx)

	// Candor -> python, OMEMO 2 (bob announces it), first contact by Candor.
	m := alice.sendE2E(t, bobJID, "omemo2 from candor")
	if enc := alice.waitEncrypted(t, m.ID); enc.Encryption.Scheme != OMEMO2 {
		t.Fatalf("to bob as %+v", enc)
	}
	got := bob.WaitMessage("omemo2 from candor")
	if got.Namespace != omemopeer.OMEMO2 || got.DeviceID != aliceDev.ID || got.From != aliceJID {
		t.Fatalf("bob got %+v", got)
	}

	// python -> Candor, both versions; legacy is a first contact by python.
	bob.Send(aliceJID, "omemo2 from python", omemopeer.OMEMO2)
	in := alice.waitAdded(t, "omemo2 from python")
	if in.Encryption.Scheme != OMEMO2 || in.Encryption.DeviceID != bobDev.DeviceID || !in.Encryption.Trusted {
		t.Fatalf("alice got %+v", in.Encryption)
	}
	bob.Send(aliceJID, "legacy from python", omemopeer.Legacy)
	in = alice.waitAdded(t, "legacy from python")
	if in.Encryption.Scheme != OMEMO03 || in.Encryption.DeviceID != bobDev.DeviceID {
		t.Fatalf("alice got %+v", in.Encryption)
	}

	// Candor -> python in legacy, on the session python started.
	if err := alice.SetOMEMOVersion(PreferLegacy); err != nil {
		t.Fatal(err)
	}
	m = alice.sendE2E(t, bobJID, "legacy from candor")
	if enc := alice.waitEncrypted(t, m.ID); enc.Encryption.Scheme != OMEMO03 {
		t.Fatalf("to bob as %+v", enc)
	}
	if got := bob.WaitMessage("legacy from candor"); got.Namespace != omemopeer.Legacy {
		t.Fatalf("bob got %+v", got)
	}
	alice.SetOMEMOVersion(PreferAuto)

	// A legacy-only peer: legacy both ways, first contact by Candor.
	m = alice.sendE2E(t, carolJID, "hello carol")
	if enc := alice.waitEncrypted(t, m.ID); enc.Encryption.Scheme != OMEMO03 {
		t.Fatalf("to carol as %+v", enc)
	}
	if got := carol.WaitMessage("hello carol"); got.Namespace != omemopeer.Legacy || got.DeviceID != aliceDev.ID {
		t.Fatalf("carol got %+v", got)
	}
	carol.Send(aliceJID, "hello alice, from carol", omemopeer.Legacy)
	in = alice.waitAdded(t, "hello alice, from carol")
	if in.Encryption.Scheme != OMEMO03 || in.Encryption.DeviceID != carolDev.DeviceID {
		t.Fatalf("alice got %+v", in.Encryption)
	}

	// Fingerprints agree across implementations.
	for _, d := range bob.Devices(aliceJID) {
		if d.DeviceID == aliceDev.ID && d.Fingerprint != aliceDev.Fingerprint {
			t.Fatalf("bob sees alice's fingerprint %s, alice has %s", d.Fingerprint, aliceDev.Fingerprint)
		}
	}
	cs, err := alice.ChatSecurity(ctx, bobJID)
	if err != nil || len(cs.Devices) != 1 || cs.Devices[0].Fingerprint != bobDev.Fingerprint {
		t.Fatalf("alice sees bob as %+v (%v); bob is %s", cs.Devices, err, bobDev.Fingerprint)
	}

	assertNotOnServer(t, srv, "omemo2 from candor", "omemo2 from python", "legacy from python", "legacy from candor",
		"hello carol", "hello alice, from carol")
}
