package e2ee

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/candor-xmpp/candor/e2ee/internal/curve"
	"github.com/candor-xmpp/candor/e2ee/internal/ratchet"
	"github.com/candor-xmpp/candor/e2ee/internal/wire"
)

// MaxBundlePreKeys bounds the prekeys read from a peer's bundle.
const MaxBundlePreKeys = 1000

// ProcessBundle builds a session with a peer device from its published
// bundle: it checks the bundle (key sizes, low-order points, at least one
// one-time prekey, the signed prekey signature), records the device's
// identity key (with the trust the policy gives a new device), and runs
// X3DH with a randomly chosen prekey. Nothing is sent; the next Encrypt to
// the device carries the key exchange. If a session existed, the new one
// replaces it (the old state is archived): this is manual session
// replacement.
//
// A device whose recorded identity key differs from the bundle's is
// refused with ErrIdentityMismatch.
func (m *Manager) ProcessBundle(ctx context.Context, v Version, device Address, b *Bundle) error {
	wrap := func(err error) error { return &BundleError{Version: v, Device: device, Err: err} }
	if err := v.check(); err != nil {
		return err
	}
	if device == m.Address() {
		return wrap(errors.New("bundle of this very device"))
	}
	peer, err := parseBundle(v, b)
	if err != nil {
		return wrap(err)
	}
	fp, err := fingerprintOf(v, peer.identity)
	if err != nil {
		return wrap(err)
	}
	return m.update(ctx, func(tx Tx) error {
		dev, err := m.knownDevice(tx, device, fp)
		if err != nil {
			return wrap(err)
		}
		pick, err := uniform(m.cfg.Rand, len(peer.preKeys))
		if err != nil {
			return err
		}
		pb := &ratchet.PeerBundle{
			Identity: peer.identity, SignedPreKeyID: b.SignedPreKeyID, SignedPreKey: peer.spk,
			SignedPreKeySignature: b.SignedPreKeySignature,
			PreKeyID:              peer.preKeys[pick].id, PreKey: peer.preKeys[pick].key,
		}
		var ek, rk [32]byte
		if _, err := io.ReadFull(m.cfg.Rand, ek[:]); err != nil {
			return err
		}
		if _, err := io.ReadFull(m.cfg.Rand, rk[:]); err != nil {
			return err
		}
		s, err := ratchet.Initiate(v.internal(), m.id, pb, ek, rk)
		if err != nil {
			return wrap(err)
		}
		rec, err := loadRecord(tx, v, device)
		switch {
		case errors.Is(err, ErrNotFound):
			rec = ratchet.NewRecord(s)
		case err != nil:
			return err
		default:
			rec.Replace(s)
		}
		if err := storeRecord(tx, v, device, rec); err != nil {
			return err
		}
		return tx.PutDevice(dev)
	})
}

type peerBundle struct {
	identity [32]byte // wire encoding without prefix
	spk      [32]byte
	preKeys  []peerPreKey
}

type peerPreKey struct {
	id  uint32
	key [32]byte
}

// parseBundle checks sizes and strips legacy's 0x05 prefixes.
func parseBundle(v Version, b *Bundle) (*peerBundle, error) {
	if b == nil {
		return nil, fmt.Errorf("%w: no bundle", ErrBadBundle)
	}
	p := &peerBundle{}
	var err error
	if p.identity, err = bundleKey(v, "identity key", b.IdentityKey); err != nil {
		return nil, err
	}
	if p.spk, err = bundleKey(v, "signed prekey", b.SignedPreKey); err != nil {
		return nil, err
	}
	if len(b.SignedPreKeySignature) != 64 {
		return nil, fmt.Errorf("%w: signature is %d bytes, want 64", ErrBadBundle, len(b.SignedPreKeySignature))
	}
	if len(b.PreKeys) == 0 {
		return nil, fmt.Errorf("%w: no one-time prekeys", ErrBadBundle)
	}
	if len(b.PreKeys) > MaxBundlePreKeys {
		return nil, fmt.Errorf("%w: %d prekeys is over the limit of %d", ErrBadBundle, len(b.PreKeys), MaxBundlePreKeys)
	}
	for _, pk := range b.PreKeys {
		k, err := bundleKey(v, fmt.Sprintf("prekey %d", pk.ID), pk.Key)
		if err != nil {
			return nil, err
		}
		if curve.CheckX25519Public(k[:]) != nil {
			return nil, fmt.Errorf("%w: prekey %d", ErrInvalidKey, pk.ID)
		}
		p.preKeys = append(p.preKeys, peerPreKey{pk.ID, k})
	}
	return p, nil
}

func bundleKey(v Version, what string, b []byte) ([32]byte, error) {
	var k [32]byte
	switch {
	case v == Legacy && len(b) == 33 && b[0] == wire.DjbType:
		copy(k[:], b[1:])
	case v == OMEMO2 && len(b) == 32:
		copy(k[:], b)
	default:
		return k, fmt.Errorf("%w: %s is %d bytes, not a %v key", ErrBadBundle, what, len(b), v)
	}
	return k, nil
}

// fingerprintOf is the Curve25519 form of an identity in v's encoding.
func fingerprintOf(v Version, identity [32]byte) (Fingerprint, error) {
	if v == Legacy {
		if err := curve.CheckX25519Public(identity[:]); err != nil {
			return Fingerprint{}, ErrInvalidKey
		}
		return Fingerprint(identity), nil
	}
	u, err := curve.Ed25519ToCurve(identity[:])
	if err != nil {
		return Fingerprint{}, ErrInvalidKey
	}
	return Fingerprint(u), nil
}

// fingerprintOf is fingerprintOf with a cache, for callers holding m.mu.
func (m *Manager) fingerprintOf(v Version, identity [32]byte) (Fingerprint, error) {
	if v == Legacy {
		return fingerprintOf(v, identity)
	}
	if fp, ok := m.fingerprints[identity]; ok {
		return fp, nil
	}
	fp, err := fingerprintOf(v, identity)
	if err != nil {
		return fp, err
	}
	if m.fingerprints == nil || len(m.fingerprints) >= 4096 {
		m.fingerprints = map[[32]byte]Fingerprint{}
	}
	m.fingerprints[identity] = fp
	return fp, nil
}

// uniform draws an integer in [0, n) without modulo bias.
func uniform(rnd io.Reader, n int) (int, error) {
	if n <= 1 {
		return 0, nil
	}
	limit := ^uint32(0) - ^uint32(0)%uint32(n)
	var b [4]byte
	for {
		if _, err := io.ReadFull(rnd, b[:]); err != nil {
			return 0, err
		}
		if x := binary.BigEndian.Uint32(b[:]); x < limit {
			return int(x % uint32(n)), nil
		}
	}
}

func (v Version) internal() ratchet.Version { return ratchet.Version(v) }

func loadRecord(tx Tx, v Version, a Address) (*ratchet.Record, error) {
	b, err := tx.Session(v, a)
	if err != nil {
		return nil, err
	}
	r, err := ratchet.UnmarshalRecord(b)
	if err != nil {
		return nil, fmt.Errorf("session with %v: %w", a, err)
	}
	return r, nil
}

func storeRecord(tx Tx, v Version, a Address, r *ratchet.Record) error {
	b, err := r.MarshalBinary()
	if err != nil {
		return err
	}
	return tx.PutSession(v, a, b)
}
