//go:build integration

package session

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/omemopeer"
	"github.com/candor-xmpp/candor/internal/prosodytest"
)

// bob reinstalls python-omemo keeping his device id, so the device comes
// back with another identity key. alice's Candor encrypts nothing to it and
// refuses its messages, saying why and how to accept it; after
// ForgetDevice (the user compared the new fingerprint) the device counts
// as new, and messages flow both ways again.
func TestIntegrationOMEMOIdentityKeyChanged(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t)
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	bobJID := srv.CreateUser(t, "bob", "pw-b")

	bob := omemopeer.Start(t)
	before := bob.Connect(peerConfig(srv, bobJID, "pw-b", omemopeer.OMEMO2))
	alice := loginE2E(t, srv, aliceJID, "pw-a")
	makeContacts(t, alice, bobJID)
	m := alice.sendE2E(t, bobJID, "before the reinstall")
	alice.waitEncrypted(t, m.ID)
	bob.WaitMessage("before the reinstall")
	bob.Disconnect()

	// The reinstall: a fresh python-omemo state (made on a scratch account,
	// so that bob's device list sees no extra device) that keeps bob's
	// device id.
	scratchJID := srv.CreateUser(t, "scratch", "pw-s")
	state := filepath.Join(t.TempDir(), "bob.json")
	scratch := omemopeer.Start(t)
	cfg := peerConfig(srv, scratchJID, "pw-s", omemopeer.OMEMO2)
	cfg.Storage = state
	fresh := scratch.Connect(cfg)
	scratch.Disconnect()
	raw, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	raw = []byte(strings.NewReplacer(scratchJID, bobJID, fmt.Sprint(fresh.DeviceID), fmt.Sprint(before.DeviceID)).Replace(string(raw)))
	// With no namespace recorded as active, python-omemo takes its backends
	// for new ones and publishes their bundles, as a reinstall would.
	var kv map[string]any
	if err := json.Unmarshal(raw, &kv); err != nil {
		t.Fatal(err)
	}
	kv[fmt.Sprintf("/devices/%s/%d/namespaces", bobJID, before.DeviceID)] = []string{}
	kv[fmt.Sprintf("/devices/%s/%d/active", bobJID, before.DeviceID)] = map[string]bool{}
	if raw, err = json.Marshal(kv); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(state, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg = peerConfig(srv, bobJID, "pw-b", omemopeer.OMEMO2)
	cfg.Storage = state
	again := omemopeer.Start(t)
	after := again.Connect(cfg)
	if after.DeviceID != before.DeviceID || after.Fingerprint == before.Fingerprint {
		t.Fatalf("the reinstalled peer is device %d with %s; before: %d with %s", after.DeviceID, after.Fingerprint, before.DeviceID, before.Fingerprint)
	}

	// The new key's first message is refused, saying what to do.
	again.Send(aliceJID, "from the new key", omemopeer.OMEMO2)
	refused := alice.wait(t, "the refused message", func(ev Event) bool {
		a, ok := ev.(MessageAdded)
		return ok && strings.Contains(a.Message.Body, "could not be decrypted")
	}).(MessageAdded).Message
	forget := fmt.Sprintf("/omemo forget %s %d", bobJID, after.DeviceID)
	if !strings.Contains(refused.Body, "another identity key") || !strings.Contains(refused.Body, forget) || strings.Contains(refused.Body, "from the new key") {
		t.Fatalf("the message from the changed key reads %q; want the changed key and %q", refused.Body, forget)
	}

	// The user compared the new fingerprint and accepts the device.
	if err := alice.ForgetDevice(ctx, bobJID, 12345); err == nil || !strings.Contains(err.Error(), "no device 12345") {
		t.Fatalf("forgetting an unknown device: %v", err)
	}
	if err := alice.ForgetDevice(ctx, bobJID, after.DeviceID); err != nil {
		t.Fatal(err)
	}
	m = alice.sendE2E(t, bobJID, "to the new key")
	alice.waitEncrypted(t, m.ID)
	again.WaitMessage("to the new key")
	again.Send(aliceJID, "and back", omemopeer.OMEMO2)
	if in := alice.waitAdded(t, "and back"); in.Encryption.DeviceID != after.DeviceID {
		t.Fatalf("the answer is marked %+v", in.Encryption)
	}
	devs, err := alice.Devices(ctx, bobJID)
	if err != nil || len(devs) != 1 || devs[0].Fingerprint == "" || strings.ReplaceAll(devs[0].Fingerprint, " ", "") != strings.ReplaceAll(after.Fingerprint, " ", "") {
		t.Fatalf("bob's devices %+v (%v); want the new key %s", devs, err, after.Fingerprint)
	}
}
