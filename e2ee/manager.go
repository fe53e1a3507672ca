package e2ee

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/candor-xmpp/candor/e2ee/internal/curve"
)

// Defaults of Config.
const (
	DefaultPreKeys            = 100
	DefaultRefillBelow        = 80
	DefaultSignedPreKeyPeriod = 7 * 24 * time.Hour
)

// Config configures a Manager.
type Config struct {
	// Store keeps the state. Required.
	Store Store
	// OwnJID is the account's bare JID. Required.
	OwnJID string
	// Rand is the source of all key material. Defaults to crypto/rand.
	Rand io.Reader
	// Now is the clock, for signed prekey rotation and device timestamps.
	// Defaults to time.Now.
	Now func() time.Time
	// Trust decides the trust of devices seen for the first time.
	Trust TrustPolicy
	// PreKeys is how many one-time prekeys each bundle offers. Defaults to
	// 100 (XEP-0384 wants at least 20 for legacy and 25 for OMEMO 2).
	PreKeys int
	// RefillBelow: when fewer unused prekeys than this remain, new ones are
	// made up to PreKeys. Defaults to 80.
	RefillBelow int
	// SignedPreKeyPeriod is how often the signed prekey is rotated; the
	// previous one is kept for one more period. Defaults to a week.
	SignedPreKeyPeriod time.Duration
}

// Manager is one account's OMEMO: its identity, prekeys, sessions and trust
// records, for both versions. Its methods are safe for concurrent use and
// each runs in one Store transaction.
type Manager struct {
	cfg      Config
	id       *curve.Identity
	deviceID uint32

	mu         sync.Mutex
	catchingUp bool
	deferred   []completion // session completions held back during catch-up
	// fingerprints caches the Curve25519 form of OMEMO 2 identities: the
	// Ed25519 decoding it needs would otherwise be half the cost of an
	// Encrypt. Guarded by mu.
	fingerprints map[[32]byte]Fingerprint
}

// completion is an empty message owed to a device whose key exchange we
// accepted during catch-up, to be sent in the session it built.
type completion struct {
	v       Version
	addr    Address
	baseKey [32]byte
}

// Open loads the account's OMEMO state, creating the identity, device id,
// signed prekeys and one-time prekeys on first use. After Open, publish
// Bundle for both versions and call Maintain (then daily).
func Open(ctx context.Context, cfg Config) (*Manager, error) {
	if cfg.Store == nil || cfg.OwnJID == "" {
		return nil, errors.New("e2ee: Config needs a Store and an OwnJID")
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PreKeys == 0 {
		cfg.PreKeys = DefaultPreKeys
	}
	if cfg.RefillBelow == 0 {
		cfg.RefillBelow = min(DefaultRefillBelow, cfg.PreKeys)
	}
	if cfg.SignedPreKeyPeriod == 0 {
		cfg.SignedPreKeyPeriod = DefaultSignedPreKeyPeriod
	}
	if cfg.PreKeys < 1 || cfg.RefillBelow < 1 || cfg.RefillBelow > cfg.PreKeys {
		return nil, fmt.Errorf("e2ee: PreKeys %d and RefillBelow %d are inconsistent", cfg.PreKeys, cfg.RefillBelow)
	}
	m := &Manager{cfg: cfg}
	err := cfg.Store.Update(ctx, func(tx Tx) error {
		acct, err := tx.Account()
		if errors.Is(err, ErrNotFound) {
			acct, err = m.createAccount(tx)
		}
		if err != nil {
			return err
		}
		if m.id, err = curve.NewIdentity(acct.IdentitySeed[:]); err != nil {
			return err
		}
		m.deviceID = acct.DeviceID
		// Make keys for a version that has none (a new account). Rotation
		// and refills of existing keys are Maintain's, which reports them so
		// that the bundle is published again.
		for _, v := range Versions {
			spks, err := tx.SignedPreKeys(v)
			if err != nil {
				return err
			}
			if len(spks) > 0 {
				continue
			}
			if _, err := m.maintain(tx, acct, v); err != nil {
				return err
			}
		}
		return tx.PutAccount(acct)
	})
	if err != nil {
		return nil, fmt.Errorf("e2ee: open account %s: %w", cfg.OwnJID, err)
	}
	return m, nil
}

func (m *Manager) createAccount(tx Tx) (*AccountRecord, error) {
	acct := &AccountRecord{Created: m.cfg.Now()}
	if _, err := io.ReadFull(m.cfg.Rand, acct.IdentitySeed[:]); err != nil {
		return nil, err
	}
	id, err := m.randomID()
	if err != nil {
		return nil, err
	}
	acct.DeviceID = id
	return acct, nil
}

// randomID draws a device id uniformly from 1 to 2^31-1.
func (m *Manager) randomID() (uint32, error) {
	var b [4]byte
	for {
		if _, err := io.ReadFull(m.cfg.Rand, b[:]); err != nil {
			return 0, err
		}
		if id := binary.BigEndian.Uint32(b[:]) & MaxDeviceID; id != 0 {
			return id, nil
		}
	}
}

// DeviceID is this device's OMEMO device id, the same in both versions.
func (m *Manager) DeviceID() uint32 { return m.deviceID }

// Address is this device's address.
func (m *Manager) Address() Address { return Address{m.cfg.OwnJID, m.deviceID} }

// Fingerprint is this device's fingerprint, the same in both versions.
func (m *Manager) Fingerprint() Fingerprint { return Fingerprint(m.id.Curve25519Public()) }

// update runs fn in one transaction, holding the Manager's lock.
func (m *Manager) update(ctx context.Context, fn func(Tx) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cfg.Store.Update(ctx, fn)
}
