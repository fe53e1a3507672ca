package e2ee_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/candor-xmpp/candor/e2ee"
)

// FuzzDecrypt feeds arbitrary key elements and payloads to a Manager that
// has a live session with the sender. Nothing may panic, every failure must
// be a *DecryptError, and a failure must leave the session as it was: the
// genuine next message still decrypts.
func FuzzDecrypt(f *testing.F) {
	type fixture struct {
		alice, bob *device
		next       *e2ee.Message
	}
	setup := func(t testing.TB, v e2ee.Version) *fixture {
		w := newWorld(t)
		alice, bob := w.add("alice", "alice@x"), w.add("bob", "bob@x")
		w.publish(v)
		w.prepare(alice, v, bob.jid)
		alice.receiveEmpty(bob, bob.receive(alice, alice.send(v, "first", bob.jid), "first").Reply)
		return &fixture{alice, bob, alice.send(v, "next", bob.jid)}
	}
	for _, v := range e2ee.Versions {
		fx := setup(f, v)
		in := fx.bob.incoming(fx.alice, fx.next)
		f.Add(uint8(v), in.Key, in.KeyExchange, in.IV, in.Payload)
		m := fx.alice.send(v, "kex", fx.bob.jid)
		k, _ := fx.bob.keyFor(m)
		f.Add(uint8(v), k.Data, true, m.IV, []byte(nil))
	}
	f.Add(uint8(1), []byte{0x33}, false, make([]byte, 12), []byte{1})
	f.Add(uint8(2), []byte{}, true, []byte(nil), []byte{})

	fixtures := map[e2ee.Version]*fixture{}
	f.Fuzz(func(t *testing.T, ver uint8, key []byte, kex bool, iv, payload []byte) {
		v := e2ee.Version(1 + ver%2)
		fx := fixtures[v]
		if fx == nil {
			fx = setup(t, v)
			fixtures[v] = fx
		}
		in := &e2ee.Incoming{Version: v, Sender: fx.alice.m.Address(), Key: key, KeyExchange: kex, IV: iv, Payload: payload}
		genuine := fx.bob.incoming(fx.alice, fx.next)
		if bytes.Equal(key, genuine.Key) && kex == genuine.KeyExchange {
			return // the real message, or one only the payload distinguishes
		}
		_, err := fx.bob.m.Decrypt(context.Background(), in)
		if err == nil {
			t.Fatalf("forged message accepted")
		}
		var de *e2ee.DecryptError
		if !errors.As(err, &de) {
			t.Fatalf("error %v is not a *DecryptError", err)
		}
		if _, err := fx.bob.m.Decrypt(context.Background(), genuine); err != nil {
			t.Fatalf("after a rejected message, the genuine one fails: %v", err)
		}
		fx.next = fx.alice.send(v, "next", fx.bob.jid)
	})
}

// FuzzProcessBundle feeds arbitrary bundles: no panic, and every rejection
// is a *BundleError.
func FuzzProcessBundle(f *testing.F) {
	w := newWorld(f)
	alice, bob := w.add("alice", "alice@x"), w.add("bob", "bob@x")
	for _, v := range e2ee.Versions {
		b := bundleOf(f, bob, v)
		f.Add(uint8(v), b.IdentityKey, b.SignedPreKeyID, b.SignedPreKey, b.SignedPreKeySignature, b.PreKeys[0].ID, b.PreKeys[0].Key)
	}
	f.Fuzz(func(t *testing.T, ver uint8, ik []byte, spkID uint32, spk, sig []byte, pkID uint32, pk []byte) {
		v := e2ee.Version(1 + ver%2)
		b := &e2ee.Bundle{IdentityKey: ik, SignedPreKeyID: spkID, SignedPreKey: spk, SignedPreKeySignature: sig,
			PreKeys: []e2ee.PreKey{{ID: pkID, Key: pk}}}
		err := alice.m.ProcessBundle(context.Background(), v, e2ee.Address{JID: "fuzz@x", Device: 1}, b)
		if err == nil {
			if !bytes.Equal(ik, bundleOf(t, bob, v).IdentityKey) {
				t.Fatal("bundle with a foreign identity accepted")
			}
			return
		}
		var be *e2ee.BundleError
		if !errors.As(err, &be) {
			t.Fatalf("error %v is not a *BundleError", err)
		}
	})
}
