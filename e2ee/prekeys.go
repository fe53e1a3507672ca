package e2ee

import (
	"context"
	"io"
	"slices"

	"github.com/candor-xmpp/candor/e2ee/internal/curve"
	"github.com/candor-xmpp/candor/e2ee/internal/wire"
)

// Maintain rotates signed prekeys that are older than the rotation period
// and refills one-time prekeys. Call it at startup and now and then (say
// daily). It returns the versions whose bundle changed and must be
// published again.
func (m *Manager) Maintain(ctx context.Context) (VersionSet, error) {
	var changed VersionSet
	err := m.update(ctx, func(tx Tx) error {
		acct, err := tx.Account()
		if err != nil {
			return err
		}
		for _, v := range Versions {
			c, err := m.maintain(tx, acct, v)
			if err != nil {
				return err
			}
			if c {
				changed = changed.With(v)
			}
		}
		return tx.PutAccount(acct)
	})
	return changed, err
}

// maintain does Maintain's work for one version. The caller stores acct.
func (m *Manager) maintain(tx Tx, acct *AccountRecord, v Version) (bool, error) {
	rotated, err := m.rotateSignedPreKey(tx, acct, v)
	if err != nil {
		return false, err
	}
	refilled, err := m.refillPreKeys(tx, acct, v)
	return rotated || refilled, err
}

// signedPreKeys returns v's signed prekeys, newest first.
func signedPreKeys(tx Tx, v Version) ([]SignedPreKeyRecord, error) {
	spks, err := tx.SignedPreKeys(v)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(spks, func(a, b SignedPreKeyRecord) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return int(int64(b.ID) - int64(a.ID))
	})
	return spks, nil
}

// rotateSignedPreKey makes a new signed prekey when the current one is a
// period old, keeping the one it replaces (messages built on it may still
// be on their way) and deleting anything older.
func (m *Manager) rotateSignedPreKey(tx Tx, acct *AccountRecord, v Version) (bool, error) {
	spks, err := signedPreKeys(tx, v)
	if err != nil {
		return false, err
	}
	now := m.cfg.Now()
	rotate := len(spks) == 0 || !now.Before(spks[0].Created.Add(m.cfg.SignedPreKeyPeriod))
	if rotate {
		k := SignedPreKeyRecord{ID: nextID(&acct.LastSignedPreKeyID), Created: now}
		if _, err := io.ReadFull(m.cfg.Rand, k.Private[:]); err != nil {
			return false, err
		}
		if err := tx.PutSignedPreKey(v, k); err != nil {
			return false, err
		}
		spks = append([]SignedPreKeyRecord{k}, spks...)
	}
	for _, old := range spks[min(len(spks), 2):] {
		if err := tx.DeleteSignedPreKey(v, old.ID); err != nil {
			return false, err
		}
	}
	return rotate, nil
}

// nextID issues the next id from a counter, skipping 0 and staying in
// 1..2^31-1 as XEP-0384 requires.
func nextID(last *uint32) uint32 {
	*last++
	if *last == 0 || *last > MaxDeviceID {
		*last = 1
	}
	return *last
}

func (m *Manager) refillPreKeys(tx Tx, acct *AccountRecord, v Version) (bool, error) {
	pks, err := tx.PreKeys(v)
	if err != nil {
		return false, err
	}
	unused := 0
	for _, k := range pks {
		if !k.Used {
			unused++
		}
	}
	if unused >= m.cfg.RefillBelow {
		return false, nil
	}
	for ; unused < m.cfg.PreKeys; unused++ {
		k := PreKeyRecord{ID: nextID(&acct.LastPreKeyID)}
		if _, err := io.ReadFull(m.cfg.Rand, k.Private[:]); err != nil {
			return false, err
		}
		if err := tx.PutPreKey(v, k); err != nil {
			return false, err
		}
	}
	return true, nil
}

// consumePreKey retires a one-time prekey a key exchange used: at once, or
// during catch-up only from the bundle, so that older archived messages
// using it still decrypt. It then refills. The caller stores acct.
func (m *Manager) consumePreKey(tx Tx, acct *AccountRecord, v Version, k PreKeyRecord) error {
	if m.catchingUp {
		k.Used = true
		if err := tx.PutPreKey(v, k); err != nil {
			return err
		}
	} else if err := tx.DeletePreKey(v, k.ID); err != nil {
		return err
	}
	_, err := m.refillPreKeys(tx, acct, v)
	return err
}

// Bundle is a device's published key material, in v's wire encodings (what
// goes base64-encoded into the <bundle> element).
type Bundle struct {
	// IdentityKey is 0x05 ‖ Curve25519 (33 bytes) for legacy and the raw
	// Ed25519 key (32 bytes) for OMEMO 2.
	IdentityKey    []byte
	SignedPreKeyID uint32
	// SignedPreKey is 0x05 ‖ X25519 (33 bytes) for legacy, raw (32) for
	// OMEMO 2.
	SignedPreKey []byte
	// SignedPreKeySignature is 64 bytes: for legacy over the 33-byte
	// SignedPreKey with the identity's sign bit in the top bit of the last
	// byte (what libsignal's verifier expects); for OMEMO 2 a plain Ed25519
	// signature over the 32-byte key.
	SignedPreKeySignature []byte
	PreKeys               []PreKey
}

// PreKey is a one-time prekey: 33 bytes (0x05 ‖ X25519) for legacy, 32 for
// OMEMO 2.
type PreKey struct {
	ID  uint32
	Key []byte
}

// Bundle returns our bundle for v, to publish.
func (m *Manager) Bundle(ctx context.Context, v Version) (*Bundle, error) {
	if err := v.check(); err != nil {
		return nil, err
	}
	var b *Bundle
	err := m.update(ctx, func(tx Tx) error {
		var err error
		b, err = m.bundle(tx, v)
		return err
	})
	return b, err
}

func (m *Manager) bundle(tx Tx, v Version) (*Bundle, error) {
	spks, err := signedPreKeys(tx, v)
	if err != nil {
		return nil, err
	}
	if len(spks) == 0 {
		return nil, ErrNotFound
	}
	spk, err := curve.NewX25519(spks[0].Private[:])
	if err != nil {
		return nil, err
	}
	var pub [32]byte
	copy(pub[:], spk.PublicKey().Bytes())
	b := &Bundle{SignedPreKeyID: spks[0].ID}
	if v == Legacy {
		b.IdentityKey = wire.DjbKey(m.id.Curve25519Public())
		b.SignedPreKey = wire.DjbKey(pub)
		b.SignedPreKeySignature = m.id.SignLegacy(b.SignedPreKey)
	} else {
		ed := m.id.Ed25519Public()
		b.IdentityKey = ed[:]
		b.SignedPreKey = pub[:]
		b.SignedPreKeySignature = m.id.Sign(pub[:])
	}
	pks, err := tx.PreKeys(v)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(pks, func(a, b PreKeyRecord) int { return int(int64(a.ID) - int64(b.ID)) })
	for _, k := range pks {
		if k.Used {
			continue
		}
		priv, err := curve.NewX25519(k.Private[:])
		if err != nil {
			return nil, err
		}
		var p [32]byte
		copy(p[:], priv.PublicKey().Bytes())
		key := p[:]
		if v == Legacy {
			key = wire.DjbKey(p)
		}
		b.PreKeys = append(b.PreKeys, PreKey{ID: k.ID, Key: key})
	}
	return b, nil
}
