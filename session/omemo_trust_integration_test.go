//go:build integration

package session

import (
	"context"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/omemopeer"
	"github.com/candor-xmpp/candor/internal/prosodytest"
)

// Trust and devices: once alice verified bob's device, a new device of bob
// is not trusted blindly: its messages are marked, hers do not reach it
// until she trusts it. A device bob removes from his list gets nothing
// more. A tampered message is refused with a clear reason, and the next one
// decrypts. A contact without OMEMO gets nothing until the user confirms
// plaintext.
func TestIntegrationOMEMOTrustDevicesTampering(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t)
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	bobJID := srv.CreateUser(t, "bob", "pw-b")
	srv.CreateUser(t, "carol", "pw-c")

	bob := omemopeer.Start(t)
	bobDev := bob.Connect(peerConfig(srv, bobJID, "pw-b"))
	alice := loginE2E(t, srv, aliceJID, "pw-a")
	makeContacts(t, alice, bobJID) // bob's device list changes then reach alice

	m := alice.sendE2E(t, bobJID, "first")
	alice.waitEncrypted(t, m.ID)
	bob.WaitMessage("first")

	// Verify bob's device by its fingerprint.
	if err := alice.SetTrust(ctx, bobJID, "00"+bobDev.Fingerprint[2:], TrustVerified); err == nil {
		t.Fatal("a wrong fingerprint was accepted")
	}
	if err := alice.SetTrust(ctx, bobJID, bobDev.Fingerprint, TrustVerified); err != nil {
		t.Fatal(err)
	}

	// bob's second device appears (python-omemo adds itself to the list).
	bob2 := omemopeer.Start(t)
	bob2Dev := bob2.Connect(peerConfig(srv, bobJID, "pw-b"))
	alice.waitDevice(t, bobJID, bob2Dev.DeviceID, true)

	bob2.Send(aliceJID, "from the new device", omemopeer.OMEMO2)
	in := alice.waitAdded(t, "from the new device")
	if in.Encryption.Trusted || in.Encryption.DeviceID != bob2Dev.DeviceID {
		t.Fatalf("a message from an unverified new device is marked %+v", in.Encryption)
	}
	if insp, err := alice.Inspect(ctx, in.ID); err != nil || insp.Trust != TrustUndecided {
		t.Fatalf("inspection of it: %+v %v", insp, err)
	}

	m = alice.sendE2E(t, bobJID, "only to the verified device")
	if enc := alice.waitEncrypted(t, m.ID); enc.Devices != 1 {
		t.Fatalf("encrypted for %d devices, want only bob's verified one", enc.Devices)
	}
	bob.WaitMessage("only to the verified device")
	need := alice.wait(t, "a trust request", func(ev Event) bool {
		d, ok := ev.(DeviceNeedsTrust)
		return ok && d.Device == bob2Dev.DeviceID
	}).(DeviceNeedsTrust)
	if need.Fingerprint != bob2Dev.Fingerprint {
		t.Fatalf("trust request shows %s, the device has %s", need.Fingerprint, bob2Dev.Fingerprint)
	}
	bob2.Wait("no key for the new device", func(e omemopeer.Event) bool { return e.Event == "decrypt_error" })

	if err := alice.SetTrust(ctx, bobJID, bob2Dev.Fingerprint, TrustVerified); err != nil {
		t.Fatal(err)
	}
	m = alice.sendE2E(t, bobJID, "to both of bob's devices")
	if enc := alice.waitEncrypted(t, m.ID); enc.Devices != 2 {
		t.Fatalf("encrypted for %d devices, want 2", enc.Devices)
	}
	bob.WaitMessage("to both of bob's devices")
	bob2.WaitMessage("to both of bob's devices")

	// bob retires the second device: it goes offline (a running client would
	// put itself back, XEP-0384 §Announcing) and bob drops it from his lists.
	bob2.Disconnect()
	for _, ns := range []string{omemopeer.Legacy, omemopeer.OMEMO2} {
		bob.PublishList(ns, bobDev.DeviceID)
	}
	alice.waitDevice(t, bobJID, bob2Dev.DeviceID, false)
	m = alice.sendE2E(t, bobJID, "after the removal")
	if enc := alice.waitEncrypted(t, m.ID); enc.Devices != 1 {
		t.Fatalf("encrypted for %d devices after the removal, want 1", enc.Devices)
	}

	// A tampered message is refused and says why; the next one decrypts.
	bob.TamperNext()
	bob.Send(aliceJID, "tampered", omemopeer.OMEMO2)
	bad := alice.wait(t, "the tampered message", func(ev Event) bool {
		a, ok := ev.(MessageAdded)
		return ok && strings.Contains(a.Message.Body, "could not be decrypted")
	}).(MessageAdded).Message
	if !strings.Contains(bad.Body, "tampered") || strings.Contains(bad.Body, "\n") {
		t.Fatalf("the tampered message reads %q", bad.Body)
	}
	alice.wait(t, "a notice about it", func(ev Event) bool {
		n, ok := ev.(Notice)
		return ok && strings.Contains(n.Text, "could not be decrypted")
	})
	bob.Send(aliceJID, "untampered again", omemopeer.OMEMO2)
	alice.waitAdded(t, "untampered again")

	// carol has no OMEMO: nothing goes out until the user confirms.
	m = alice.sendE2E(t, "carol@localhost", "plaintext only if confirmed")
	reason := alice.waitFailed(t, m.ID)
	need2 := alice.wait(t, "a plaintext confirmation request", func(ev Event) bool {
		p, ok := ev.(PlaintextNeeded)
		return ok && p.ID == m.ID
	}).(PlaintextNeeded)
	if !strings.Contains(reason, "no OMEMO device") || need2.Peer != "carol@localhost" {
		t.Fatalf("failed with %q, %+v", reason, need2)
	}
	// Looking at carol's chat again does not ask the server again and again
	// (a UI that reloads on SecurityChanged would loop).
	changes := func() int {
		return len(alice.all(func(ev Event) bool { s, ok := ev.(SecurityChanged); return ok && s.Peer == "carol@localhost" }))
	}
	before := changes()
	for range 3 {
		if cs, err := alice.ChatSecurity(ctx, "carol@localhost"); err != nil || cs.Version != Plaintext || !cs.Enabled {
			t.Fatalf("carol's chat: %+v %v", cs, err)
		}
	}
	if changes() != before {
		t.Fatal("looking at a chat announced a change")
	}
	if err := alice.RetryUnencrypted(ctx, m.ID); err != nil {
		t.Fatal(err)
	}
	alice.waitState(t, m.ID, Sent)
	if insp, _ := alice.Inspect(ctx, m.ID); insp.Version != Plaintext || !strings.Contains(insp.Stanza, "plaintext only if confirmed") {
		t.Fatalf("the confirmed message went out as %+v", insp)
	}
	if err := alice.RetryUnencrypted(ctx, m.ID); err == nil {
		t.Fatal("a sent message was sent again")
	}
}
