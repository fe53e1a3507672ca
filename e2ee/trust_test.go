package e2ee_test

import (
	"context"
	"errors"
	"testing"

	"github.com/candor-xmpp/candor/e2ee"
)

func TestManualTrustGatesEncryption(t *testing.T) {
	ctx := context.Background()
	for _, v := range e2ee.Versions {
		w := newWorld(t)
		manual := func(c *e2ee.Config) { c.Trust = e2ee.ManualTrust }
		alice, bob := w.add("alice", "alice@x", manual), w.add("bob", "bob@x", manual)
		w.publish(v)
		w.prepare(alice, v, bob.jid)

		_, err := alice.m.Encrypt(ctx, v, []string{bob.jid}, []byte("secret"))
		var nr *e2ee.NoRecipientsError
		if !errors.As(err, &nr) || len(nr.Skipped) != 1 || !errors.Is(nr.Skipped[0].Err, e2ee.ErrNotTrusted) {
			t.Fatalf("%v: encrypting to an undecided device: %v", v, err)
		}
		devs, err := alice.m.Devices(ctx, bob.jid)
		if err != nil || len(devs) != 1 || !devs[0].HasIdentity || devs[0].Trust != e2ee.Undecided {
			t.Fatalf("%v: devices %+v, %v", v, devs, err)
		}
		if devs[0].Fingerprint != bob.m.Fingerprint() {
			t.Fatalf("%v: fingerprint %v, bob's is %v", v, devs[0].Fingerprint, bob.m.Fingerprint())
		}
		// Approving another fingerprint than the device's changes nothing.
		wrong := devs[0].Fingerprint
		wrong[0] ^= 1
		if err := alice.m.SetTrust(ctx, devs[0].Address, wrong, e2ee.Verified); !errors.Is(err, e2ee.ErrIdentityMismatch) {
			t.Fatalf("%v: SetTrust with a wrong fingerprint: %v", v, err)
		}
		if err := alice.m.SetTrust(ctx, devs[0].Address, devs[0].Fingerprint, e2ee.Verified); err != nil {
			t.Fatal(err)
		}
		m := alice.send(v, "secret", bob.jid)
		out := bob.receive(alice, m, "secret")
		if out.Sender.Trust != e2ee.Undecided {
			t.Fatalf("%v: bob's view of alice: %v", v, out.Sender.Trust)
		}
		// Marking the sender untrusted refuses its messages, without
		// touching the session.
		if err := bob.m.SetTrust(ctx, alice.m.Address(), alice.m.Fingerprint(), e2ee.Untrusted); err != nil {
			t.Fatal(err)
		}
		m2 := alice.send(v, "more", bob.jid)
		if _, err := bob.tryReceive(alice, m2); isDecryptError(err, e2ee.ErrUntrusted) != nil {
			t.Fatalf("%v: %v", v, err)
		}
		if err := bob.m.SetTrust(ctx, alice.m.Address(), alice.m.Fingerprint(), e2ee.Verified); err != nil {
			t.Fatal(err)
		}
		bob.receive(alice, m2, "more")
	}
}

func TestBlindTrustStopsAfterVerification(t *testing.T) {
	ctx := context.Background()
	v := e2ee.OMEMO2
	w := newWorld(t)
	alice, bob := w.add("alice", "alice@x"), w.add("bob", "bob@x")
	w.publish(v)
	w.prepare(alice, v, bob.jid)
	devs, _ := alice.m.Devices(ctx, bob.jid)
	if devs[0].Trust != e2ee.BlindTrusted {
		t.Fatalf("first device of bob: %v", devs[0].Trust)
	}
	if err := alice.m.SetTrust(ctx, devs[0].Address, devs[0].Fingerprint, e2ee.Verified); err != nil {
		t.Fatal(err)
	}
	bob2 := w.add("bob2", "bob@x")
	w.publish(v)
	w.prepare(alice, v, bob.jid)
	devs, _ = alice.m.Devices(ctx, bob.jid)
	for _, d := range devs {
		if d.Address == bob2.m.Address() && d.Trust != e2ee.Undecided {
			t.Fatalf("new device after verification: %v", d.Trust)
		}
	}
	res, err := alice.m.Encrypt(ctx, v, []string{bob.jid}, []byte("x"))
	if err != nil || len(res.Skipped) != 1 || res.Skipped[0].Device != bob2.m.Address() {
		t.Fatalf("Encrypt: %+v, %v", res, err)
	}
	if _, ok := bob2.keyFor(res.Message); ok {
		t.Fatal("message encrypted to an undecided device")
	}
}

func TestIdentityChangeIsRefused(t *testing.T) {
	ctx := context.Background()
	for _, v := range e2ee.Versions {
		w := newWorld(t)
		alice, bob := w.add("alice", "alice@x"), w.add("bob", "bob@x")
		w.publish(v)
		w.prepare(alice, v, bob.jid)
		// Someone else publishes a bundle under bob's device id.
		mallory := w.add("mallory", "mallory@x")
		b, err := mallory.m.Bundle(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		err = alice.m.ProcessBundle(ctx, v, bob.m.Address(), b)
		var be *e2ee.BundleError
		if !errors.As(err, &be) || !errors.Is(err, e2ee.ErrIdentityMismatch) {
			t.Fatalf("%v: bundle with another identity: %v", v, err)
		}
		// The same holds for a key exchange claiming to be bob.
		w.publish(v)
		w.prepare(mallory, v, alice.jid)
		m := mallory.send(v, "I am bob", alice.jid)
		k, _ := alice.keyFor(m)
		_, err = alice.m.Decrypt(ctx, &e2ee.Incoming{Version: v, Sender: bob.m.Address(), Key: k.Data, KeyExchange: k.KeyExchange, IV: m.IV, Payload: m.Payload})
		if isDecryptError(err, e2ee.ErrIdentityMismatch) != nil {
			t.Fatalf("%v: key exchange with another identity: %v", v, err)
		}
		// After the user accepts the change, the new key is a new device.
		if err := alice.m.ForgetDevice(ctx, bob.m.Address()); err != nil {
			t.Fatal(err)
		}
		if err := alice.m.ProcessBundle(ctx, v, bob.m.Address(), b); err != nil {
			t.Fatalf("%v: after ForgetDevice: %v", v, err)
		}
	}
}

func TestBadBundlesAreRejected(t *testing.T) {
	ctx := context.Background()
	for _, v := range e2ee.Versions {
		w := newWorld(t)
		alice, bob := w.add("alice", "alice@x"), w.add("bob", "bob@x")
		good, err := bob.m.Bundle(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		if len(good.PreKeys) != e2ee.DefaultPreKeys {
			t.Fatalf("%v: bundle has %d prekeys", v, len(good.PreKeys))
		}
		keyLen := 32
		if v == e2ee.Legacy {
			keyLen = 33
		}
		if len(good.IdentityKey) != keyLen || len(good.SignedPreKey) != keyLen || len(good.PreKeys[0].Key) != keyLen {
			t.Fatalf("%v: key sizes %d %d %d", v, len(good.IdentityKey), len(good.SignedPreKey), len(good.PreKeys[0].Key))
		}
		lowOrder := make([]byte, keyLen)
		if v == e2ee.Legacy {
			lowOrder[0] = 5
		}
		lowOrder[keyLen-32] = 1 // u = 1 (legacy) / the Edwards identity (OMEMO 2)
		cases := map[string]struct {
			mod  func(b *e2ee.Bundle)
			want error
		}{
			"signature":          {func(b *e2ee.Bundle) { b.SignedPreKeySignature[5] ^= 1 }, e2ee.ErrBadSignature},
			"sign bit":           {func(b *e2ee.Bundle) { b.SignedPreKeySignature[63] ^= 0x80 }, e2ee.ErrBadSignature},
			"signed prekey":      {func(b *e2ee.Bundle) { b.SignedPreKey[keyLen-1] ^= 1 }, e2ee.ErrBadSignature},
			"no prekeys":         {func(b *e2ee.Bundle) { b.PreKeys = nil }, e2ee.ErrBadBundle},
			"short identity":     {func(b *e2ee.Bundle) { b.IdentityKey = b.IdentityKey[:31] }, e2ee.ErrBadBundle},
			"short signature":    {func(b *e2ee.Bundle) { b.SignedPreKeySignature = b.SignedPreKeySignature[:63] }, e2ee.ErrBadBundle},
			"low-order prekey":   {func(b *e2ee.Bundle) { b.PreKeys = []e2ee.PreKey{{ID: 1, Key: lowOrder}} }, e2ee.ErrInvalidKey},
			"low-order identity": {func(b *e2ee.Bundle) { b.IdentityKey = lowOrder }, e2ee.ErrInvalidKey},
			"low-order spk":      {func(b *e2ee.Bundle) { b.SignedPreKey = lowOrder }, e2ee.ErrInvalidKey},
		}
		for name, c := range cases {
			b := cloneBundle(good)
			c.mod(b)
			err := alice.m.ProcessBundle(ctx, v, bob.m.Address(), b)
			var be *e2ee.BundleError
			if !errors.As(err, &be) || !errors.Is(err, c.want) {
				t.Errorf("%v %s: %v, want %v", v, name, err, c.want)
			}
		}
		if devs, _ := alice.m.Devices(ctx, bob.jid); len(devs) != 0 {
			t.Fatalf("%v: rejected bundles left device records: %+v", v, devs)
		}
		if err := alice.m.ProcessBundle(ctx, v, bob.m.Address(), good); err != nil {
			t.Fatalf("%v: good bundle: %v", v, err)
		}
	}
}

func cloneBundle(b *e2ee.Bundle) *e2ee.Bundle {
	c := &e2ee.Bundle{
		IdentityKey:           append([]byte(nil), b.IdentityKey...),
		SignedPreKeyID:        b.SignedPreKeyID,
		SignedPreKey:          append([]byte(nil), b.SignedPreKey...),
		SignedPreKeySignature: append([]byte(nil), b.SignedPreKeySignature...),
	}
	for _, k := range b.PreKeys {
		c.PreKeys = append(c.PreKeys, e2ee.PreKey{ID: k.ID, Key: append([]byte(nil), k.Key...)})
	}
	return c
}
