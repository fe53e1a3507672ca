package e2ee_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/candor-xmpp/candor/e2ee"
)

func TestConversationBetweenManagers(t *testing.T) {
	for _, v := range e2ee.Versions {
		t.Run(v.String(), func(t *testing.T) {
			w := newWorld(t)
			alice := w.add("alice", "alice@example.org")
			alice2 := w.add("alice2", "alice@example.org")
			bob := w.add("bob", "bob@example.org")
			w.publish(v)
			w.prepare(alice, v, bob.jid)

			m1 := alice.send(v, "hello bob", bob.jid)
			if len(m1.Keys) != 2 {
				t.Fatalf("message has %d keys, want bob's and alice2's", len(m1.Keys))
			}
			for _, k := range m1.Keys {
				if !k.KeyExchange {
					t.Fatalf("first message to %v is not a key exchange", k.Address)
				}
			}
			if (v == e2ee.Legacy) != (len(m1.IV) == 12) {
				t.Fatalf("IV of %d bytes", len(m1.IV))
			}
			m2 := alice.send(v, "still there?", bob.jid)

			got := bob.receive(alice, m1, "hello bob")
			if !got.NewSession || !got.BundleChanged || got.Reply == nil || got.UnknownDevice {
				t.Fatalf("first key exchange: %+v", got)
			}
			if got.Sender.Trust != e2ee.BlindTrusted || got.Sender.Fingerprint != alice.m.Fingerprint() {
				t.Fatalf("sender %+v", got.Sender)
			}
			// The repeated key exchange decrypts in the same session.
			again := bob.receive(alice, m2, "still there?")
			if again.NewSession || again.BundleChanged || again.Reply != nil {
				t.Fatalf("repeated key exchange: %+v", again)
			}
			alice2.receive(alice, m1, "hello bob")

			// The completion confirms alice's session: no more key exchanges.
			if k := got.Reply.Keys[0]; k.KeyExchange || got.Reply.Payload != nil {
				t.Fatalf("completion %+v", got.Reply)
			}
			alice.receiveEmpty(bob, got.Reply)
			m3 := alice.send(v, "confirmed", bob.jid)
			if k, _ := bob.keyFor(m3); k.KeyExchange {
				t.Fatal("confirmed session still sends key exchanges")
			}
			bob.receive(alice, m3, "confirmed")

			w.prepare(bob, v, alice.jid)
			for i := 0; i < 10; i++ {
				text := fmt.Sprint("reply ", i)
				r := bob.send(v, text, alice.jid)
				alice.receive(bob, r, text)
				if i == 0 {
					alice2.receive(bob, r, text)
				}
				text = fmt.Sprint("and ", i)
				bob.receive(alice, alice.send(v, text, bob.jid), text)
			}
			// An empty body cannot be told from an empty message in legacy
			// OMEMO, so Encrypt refuses it.
			if _, err := alice.m.Encrypt(context.Background(), v, []string{bob.jid}, nil); !errors.Is(err, e2ee.ErrBadPayload) {
				t.Fatalf("empty body: %v", err)
			}
		})
	}
}

func TestDuplicateAndTampering(t *testing.T) {
	for _, v := range e2ee.Versions {
		t.Run(v.String(), func(t *testing.T) {
			w := newWorld(t)
			alice, bob := w.add("alice", "alice@x"), w.add("bob", "bob@x")
			w.publish(v)
			w.prepare(alice, v, bob.jid)
			m1 := alice.send(v, "one", bob.jid)
			kex2 := alice.send(v, "kex two", bob.jid)
			alice.receiveEmpty(bob, bob.receive(alice, m1, "one").Reply)
			_, err := bob.tryReceive(alice, m1)
			if e := isDecryptError(err, e2ee.ErrDuplicate); e != nil {
				t.Fatal(e)
			}
			// A repeated key exchange whose prekey ids were changed.
			in := bob.incoming(alice, kex2)
			kx := append([]byte(nil), in.Key...)
			if v == e2ee.Legacy {
				kx[len(kx)-1] ^= 1 // signedPreKeyId is the last field
			} else {
				kx[1] ^= 1 // pk_id is the first field (one byte: ids are small)
			}
			in.Key = kx
			if _, err := bob.m.Decrypt(context.Background(), in); isDecryptError(err, e2ee.ErrKeyExchangeMismatch) != nil {
				t.Fatalf("repeated key exchange with other ids: %v", err)
			}
			bob.receive(alice, kex2, "kex two")
			m2 := alice.send(v, "two", bob.jid)
			in = bob.incoming(alice, m2)
			in.Payload = append([]byte(nil), in.Payload...)
			in.Payload[0] ^= 1
			if _, err := bob.m.Decrypt(context.Background(), in); isDecryptError(err, e2ee.ErrAuthentication) != nil {
				t.Fatalf("tampered payload: %v", err)
			}
			in = bob.incoming(alice, m2)
			in.Key = append([]byte(nil), in.Key...)
			in.Key[len(in.Key)-1] ^= 1
			if _, err := bob.m.Decrypt(context.Background(), in); isDecryptError(err, e2ee.ErrAuthentication) != nil {
				t.Fatalf("tampered key: %v", err)
			}
			in = bob.incoming(alice, m2)
			in.Key = in.Key[:len(in.Key)/2]
			if _, err := bob.m.Decrypt(context.Background(), in); isDecryptError(err, e2ee.ErrMalformed) != nil {
				t.Fatalf("truncated key: %v", err)
			}
			if v == e2ee.Legacy {
				in = bob.incoming(alice, m2)
				in.IV = in.IV[:8]
				if _, err := bob.m.Decrypt(context.Background(), in); isDecryptError(err, e2ee.ErrBadPayload) != nil {
					t.Fatalf("short IV: %v", err)
				}
			}
			// None of that changed anything: the real message still decrypts.
			bob.receive(alice, m2, "two")
		})
	}
}

func TestNoSessionIsNotBuiltAutomatically(t *testing.T) {
	for _, v := range e2ee.Versions {
		w := newWorld(t)
		alice, bob := w.add("alice", "alice@x"), w.add("bob", "bob@x")
		w.publish(v)
		w.prepare(alice, v, bob.jid)
		m1 := alice.send(v, "one", bob.jid)
		m2 := alice.send(v, "two", bob.jid)
		in := bob.incoming(alice, m2)
		// Stripped of its key exchange, the message cannot start a session.
		kexless := *in
		kexless.KeyExchange = false
		if _, err := bob.m.Decrypt(context.Background(), &kexless); isDecryptError(err, e2ee.ErrMalformed) != nil && isDecryptError(err, e2ee.ErrNoSession) != nil {
			t.Fatalf("%v: %v", v, err)
		}
		devs, err := bob.m.Devices(context.Background(), alice.jid)
		if err != nil || len(devs) != 1 || devs[0].Sessions != 0 {
			t.Fatalf("%v: failed message left state: %+v %v", v, devs, err)
		}
		bob.receive(alice, m1, "one")
	}
}

func TestFailedCommitChangesNothing(t *testing.T) {
	for _, v := range e2ee.Versions {
		w := newWorld(t)
		aliceStore := &flakyStore{Store: e2ee.NewMemoryStore()}
		bobStore := &flakyStore{Store: e2ee.NewMemoryStore()}
		alice := w.add("alice", "alice@x", func(c *e2ee.Config) { c.Store = aliceStore })
		bob := w.add("bob", "bob@x", func(c *e2ee.Config) { c.Store = bobStore })
		w.publish(v)
		w.prepare(alice, v, bob.jid)
		bob.receive(alice, alice.send(v, "one", bob.jid), "one")

		// Encrypt returns only after the commit: when the commit fails, it
		// returns no message, and the next message is the one that counts.
		aliceStore.fail = true
		if res, err := alice.m.Encrypt(context.Background(), v, []string{bob.jid}, []byte("lost")); !errors.Is(err, errCommit) || res != nil {
			t.Fatalf("Encrypt with a failing commit: %v, %v", res, err)
		}
		aliceStore.fail = false
		m2 := alice.send(v, "two", bob.jid)

		// A decryption whose commit fails can be retried.
		bobStore.fail = true
		if _, err := bob.tryReceive(alice, m2); !errors.Is(err, errCommit) {
			t.Fatalf("Decrypt with a failing commit: %v", err)
		}
		bobStore.fail = false
		if out := bob.receive(alice, m2, "two"); out.Reply != nil {
			t.Fatal("unexpected reply")
		}
	}
}

// flakyStore rolls back every transaction while fail is set.
type flakyStore struct {
	e2ee.Store
	fail bool
}

var errCommit = errors.New("commit failed")

func (f *flakyStore) Update(ctx context.Context, fn func(e2ee.Tx) error) error {
	if !f.fail {
		return f.Store.Update(ctx, fn)
	}
	err := f.Store.Update(ctx, func(tx e2ee.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return errCommit
	})
	return err
}
