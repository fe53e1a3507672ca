// Package e2eetest checks that an e2ee.Store implementation behaves as the
// Manager needs: records round-trip, reads are copies, and Update is all or
// nothing. The SQLite store in internal/store runs it, as does the memory
// store.
package e2eetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/e2ee"
	"github.com/candor-xmpp/candor/e2ee/internal/testrand"
)

// TestStore runs the conformance checks on fresh stores made by newStore.
func TestStore(t *testing.T, newStore func(t *testing.T) e2ee.Store) {
	t.Run("Records", func(t *testing.T) { testRecords(t, newStore(t)) })
	t.Run("Rollback", func(t *testing.T) { testRollback(t, newStore(t)) })
	t.Run("Manager", func(t *testing.T) { testManager(t, newStore(t)) })
}

var ctx = context.Background()

func update(t *testing.T, s e2ee.Store, fn func(tx e2ee.Tx) error) {
	t.Helper()
	if err := s.Update(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

func key(b byte) (k [32]byte) {
	for i := range k {
		k[i] = b ^ byte(i)
	}
	return k
}

// when is a time with nanoseconds, as stores must keep it.
var when = time.Date(2026, 11, 22, 10, 11, 12, 13, time.UTC)

func testRecords(t *testing.T, s e2ee.Store) {
	acct := &e2ee.AccountRecord{IdentitySeed: key(1), DeviceID: 12345, LastPreKeyID: 200, LastSignedPreKeyID: 3, Created: when}
	alice := e2ee.Address{JID: "alice@example.org", Device: 7}
	alice2 := e2ee.Address{JID: "alice@example.org", Device: 1<<31 - 1}
	bob := e2ee.Address{JID: "bob@example.org", Device: 7}
	dev := &e2ee.DeviceRecord{Address: alice, IdentityKey: bytes.Repeat([]byte{9}, 32), Trust: e2ee.Verified,
		FirstSeen: when, LastSeen: when.Add(time.Hour), Listed: e2ee.VersionSet(0).With(e2ee.OMEMO2)}

	update(t, s, func(tx e2ee.Tx) error {
		if _, err := tx.Account(); !errors.Is(err, e2ee.ErrNotFound) {
			return fmt.Errorf("empty store: Account() = %v, want ErrNotFound", err)
		}
		if _, err := tx.Session(e2ee.Legacy, alice); !errors.Is(err, e2ee.ErrNotFound) {
			return fmt.Errorf("empty store: Session() = %v, want ErrNotFound", err)
		}
		if _, err := tx.Device(alice); !errors.Is(err, e2ee.ErrNotFound) {
			return fmt.Errorf("empty store: Device() = %v, want ErrNotFound", err)
		}
		if err := tx.PutAccount(acct); err != nil {
			return err
		}
		for _, v := range e2ee.Versions {
			if err := tx.PutSignedPreKey(v, e2ee.SignedPreKeyRecord{ID: uint32(v), Private: key(byte(v)), Created: when}); err != nil {
				return err
			}
			for id := uint32(1); id <= 3; id++ {
				if err := tx.PutPreKey(v, e2ee.PreKeyRecord{ID: id + uint32(v)*10, Private: key(byte(id)), Used: id == 2}); err != nil {
					return err
				}
			}
			if err := tx.PutSession(v, alice, []byte{byte(v), 1, 2, 3}); err != nil {
				return err
			}
		}
		if err := tx.PutDevice(dev); err != nil {
			return err
		}
		if err := tx.PutDevice(&e2ee.DeviceRecord{Address: alice2, Trust: e2ee.Undecided, FirstSeen: when, LastSeen: when}); err != nil {
			return err
		}
		return tx.PutDevice(&e2ee.DeviceRecord{Address: bob, Trust: e2ee.Untrusted})
	})
	// A later transaction sees it all, as written.
	update(t, s, func(tx e2ee.Tx) error {
		a, err := tx.Account()
		if err != nil || *a != *acct {
			return fmt.Errorf("account %+v, %v; want %+v", a, err, acct)
		}
		for _, v := range e2ee.Versions {
			spks, err := tx.SignedPreKeys(v)
			if err != nil || len(spks) != 1 || spks[0].ID != uint32(v) || spks[0].Private != key(byte(v)) || !spks[0].Created.Equal(when) {
				return fmt.Errorf("%v: signed prekeys %+v, %v", v, spks, err)
			}
			pks, err := tx.PreKeys(v)
			if err != nil || len(pks) != 3 {
				return fmt.Errorf("%v: prekeys %+v, %v", v, pks, err)
			}
			slices.SortFunc(pks, func(a, b e2ee.PreKeyRecord) int { return int(a.ID) - int(b.ID) })
			for i, k := range pks {
				id := uint32(i + 1)
				if k.ID != id+uint32(v)*10 || k.Private != key(byte(id)) || k.Used != (id == 2) {
					return fmt.Errorf("%v: prekey %+v", v, k)
				}
			}
			sess, err := tx.Session(v, alice)
			if err != nil || !bytes.Equal(sess, []byte{byte(v), 1, 2, 3}) {
				return fmt.Errorf("%v: session %x, %v", v, sess, err)
			}
			sess[0] = 99 // must not reach the store
		}
		d, err := tx.Device(alice)
		if err != nil || !sameDevice(d, dev) {
			return fmt.Errorf("device %+v, %v; want %+v", d, err, dev)
		}
		d.IdentityKey[0] = 0 // must not reach the store
		if d, err := tx.Device(alice2); err != nil || d.IdentityKey != nil || d.Trust != e2ee.Undecided {
			return fmt.Errorf("device without identity: %+v, %v", d, err)
		}
		devs, err := tx.Devices(alice.JID)
		if err != nil || len(devs) != 2 {
			return fmt.Errorf("devices of alice: %+v, %v", devs, err)
		}
		if devs, _ := tx.Devices("nobody@example.org"); len(devs) != 0 {
			return fmt.Errorf("devices of nobody: %+v", devs)
		}
		return nil
	})
	// Overwrites and deletes.
	update(t, s, func(tx e2ee.Tx) error {
		if s, _ := tx.Session(e2ee.Legacy, alice); s[0] != byte(e2ee.Legacy) {
			return errors.New("a returned session slice aliased the store")
		}
		if d, _ := tx.Device(alice); d.IdentityKey[0] != 9 {
			return errors.New("a returned device record aliased the store")
		}
		if err := tx.PutSession(e2ee.Legacy, alice, []byte("new")); err != nil {
			return err
		}
		if err := tx.DeleteSession(e2ee.OMEMO2, alice); err != nil {
			return err
		}
		if err := tx.DeletePreKey(e2ee.Legacy, 11); err != nil {
			return err
		}
		if err := tx.DeleteSignedPreKey(e2ee.OMEMO2, uint32(e2ee.OMEMO2)); err != nil {
			return err
		}
		if err := tx.DeleteDevice(bob); err != nil {
			return err
		}
		acct.LastPreKeyID = 201
		return tx.PutAccount(acct)
	})
	update(t, s, func(tx e2ee.Tx) error {
		if s, err := tx.Session(e2ee.Legacy, alice); err != nil || string(s) != "new" {
			return fmt.Errorf("overwritten session %q, %v", s, err)
		}
		if _, err := tx.Session(e2ee.OMEMO2, alice); !errors.Is(err, e2ee.ErrNotFound) {
			return fmt.Errorf("deleted session: %v", err)
		}
		if pks, _ := tx.PreKeys(e2ee.Legacy); len(pks) != 2 {
			return fmt.Errorf("%d legacy prekeys after a delete", len(pks))
		}
		if pks, _ := tx.PreKeys(e2ee.OMEMO2); len(pks) != 3 {
			return fmt.Errorf("deleting a legacy prekey touched OMEMO 2's: %d left", len(pks))
		}
		if spks, _ := tx.SignedPreKeys(e2ee.OMEMO2); len(spks) != 0 {
			return fmt.Errorf("deleted signed prekey still there")
		}
		if _, err := tx.Device(bob); !errors.Is(err, e2ee.ErrNotFound) {
			return fmt.Errorf("deleted device: %v", err)
		}
		if a, _ := tx.Account(); a.LastPreKeyID != 201 {
			return errors.New("account not updated")
		}
		return nil
	})
}

func sameDevice(a, b *e2ee.DeviceRecord) bool {
	return a.Address == b.Address && bytes.Equal(a.IdentityKey, b.IdentityKey) && a.Trust == b.Trust &&
		a.FirstSeen.Equal(b.FirstSeen) && a.LastSeen.Equal(b.LastSeen) && a.Listed == b.Listed
}

func testRollback(t *testing.T, s e2ee.Store) {
	a := e2ee.Address{JID: "a@x", Device: 1}
	update(t, s, func(tx e2ee.Tx) error { return tx.PutSession(e2ee.Legacy, a, []byte("before")) })
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx e2ee.Tx) error {
		if err := tx.PutSession(e2ee.Legacy, a, []byte("after")); err != nil {
			return err
		}
		if err := tx.PutDevice(&e2ee.DeviceRecord{Address: a}); err != nil {
			return err
		}
		// Inside the transaction the write is visible.
		if s, _ := tx.Session(e2ee.Legacy, a); string(s) != "after" {
			return errors.New("write not visible inside its transaction")
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update returned %v, want fn's error", err)
	}
	update(t, s, func(tx e2ee.Tx) error {
		if s, _ := tx.Session(e2ee.Legacy, a); string(s) != "before" {
			return fmt.Errorf("rolled-back write is visible: %q", s)
		}
		if _, err := tx.Device(a); !errors.Is(err, e2ee.ErrNotFound) {
			return errors.New("rolled-back device is visible")
		}
		return nil
	})
}

// testManager runs two Managers, one on the store under test, through a
// conversation in both versions.
func testManager(t *testing.T, s e2ee.Store) {
	now := func() time.Time { return when }
	a, err := e2ee.Open(ctx, e2ee.Config{Store: s, OwnJID: "a@example.org", Rand: testrand.New("a"), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	b, err := e2ee.Open(ctx, e2ee.Config{Store: e2ee.NewMemoryStore(), OwnJID: "b@example.org", Rand: testrand.New("b"), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	// Opening again finds the same identity.
	again, err := e2ee.Open(ctx, e2ee.Config{Store: s, OwnJID: "a@example.org", Rand: testrand.New("other"), Now: now})
	if err != nil || again.DeviceID() != a.DeviceID() || again.Fingerprint() != a.Fingerprint() {
		t.Fatalf("reopened manager: %v", err)
	}
	for _, v := range e2ee.Versions {
		for _, p := range [][2]*e2ee.Manager{{a, b}, {b, a}} {
			if _, err := p[0].UpdateDeviceList(ctx, v, p[1].Address().JID, []uint32{p[1].DeviceID()}); err != nil {
				t.Fatal(err)
			}
		}
		bb, err := b.Bundle(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.ProcessBundle(ctx, v, b.Address(), bb); err != nil {
			t.Fatal(err)
		}
		from, to := a, b
		for i := 0; i < 6; i++ {
			text := fmt.Sprintf("%v %d", v, i)
			res, err := from.Encrypt(ctx, v, []string{to.Address().JID}, []byte(text))
			if err != nil {
				t.Fatal(err)
			}
			k := res.Message.Keys[0]
			out, err := to.Decrypt(ctx, &e2ee.Incoming{Version: v, Sender: from.Address(), Key: k.Data,
				KeyExchange: k.KeyExchange, IV: res.Message.IV, Payload: res.Message.Payload})
			if err != nil || string(out.Plaintext) != text {
				t.Fatalf("%q: %v", text, err)
			}
			from, to = to, from
		}
	}
}
