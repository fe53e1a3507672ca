package e2ee

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is what Tx methods return for a record that does not exist.
var ErrNotFound = errors.New("e2ee: not found")

// Store persists one account's OMEMO state. The Manager does every
// operation in one Update, so an implementation only has to make Update
// atomic and durable; the Manager serializes its own calls.
//
// internal/store has the SQLite implementation; NewMemoryStore is for tests
// and examples. e2ee/e2eetest checks an implementation's behaviour.
type Store interface {
	// Update runs fn in a transaction. What fn writes through tx is
	// committed, atomically and durably, if and only if Update returns nil.
	Update(ctx context.Context, fn func(Tx) error) error
}

// Tx is the view of the store inside one transaction. Records passed to
// Put methods belong to the store after the call (it may keep them); records
// returned belong to the caller.
type Tx interface {
	// Account returns the account's identity, or ErrNotFound before the
	// first Open.
	Account() (*AccountRecord, error)
	PutAccount(*AccountRecord) error

	// SignedPreKeys returns all signed prekeys of v, in any order.
	SignedPreKeys(v Version) ([]SignedPreKeyRecord, error)
	PutSignedPreKey(v Version, k SignedPreKeyRecord) error
	DeleteSignedPreKey(v Version, id uint32) error

	// PreKeys returns all one-time prekeys of v, in any order.
	PreKeys(v Version) ([]PreKeyRecord, error)
	PutPreKey(v Version, k PreKeyRecord) error
	DeletePreKey(v Version, id uint32) error

	// Session returns the encoded session record with a device, or
	// ErrNotFound.
	Session(v Version, a Address) ([]byte, error)
	PutSession(v Version, a Address, record []byte) error
	DeleteSession(v Version, a Address) error

	// Device returns what is known about a device, or ErrNotFound.
	Device(a Address) (*DeviceRecord, error)
	PutDevice(d *DeviceRecord) error
	// Devices returns every known device of a bare JID, in any order.
	Devices(jid string) ([]DeviceRecord, error)
	DeleteDevice(a Address) error
}

// AccountRecord is our own identity.
type AccountRecord struct {
	IdentitySeed [32]byte // the Ed25519 seed; secret
	DeviceID     uint32
	// LastPreKeyID and LastSignedPreKeyID are the highest ids ever issued
	// (over both versions), so that an id is never reused for another key:
	// a peer holding an old bundle would then fail with a MAC error.
	LastPreKeyID       uint32
	LastSignedPreKeyID uint32
	Created            time.Time
}

// SignedPreKeyRecord is one of our signed prekeys. Signatures are not
// stored: Ed25519 signing is deterministic, so they are made again.
type SignedPreKeyRecord struct {
	ID      uint32
	Private [32]byte // secret
	Created time.Time
}

// PreKeyRecord is one of our one-time prekeys.
type PreKeyRecord struct {
	ID      uint32
	Private [32]byte // secret
	// Used marks a prekey consumed by a key exchange during history
	// catch-up: it is no longer published, but kept until the catch-up
	// ends so that other archived messages using it still decrypt.
	Used bool
}

// DeviceRecord is what we know about one device of a contact or of our own
// account: its identity key and our trust in it.
type DeviceRecord struct {
	Address
	// IdentityKey is the Curve25519 form of the device's identity key, nil
	// until a bundle or key exchange showed it.
	IdentityKey []byte
	Trust       Trust
	FirstSeen   time.Time
	// LastSeen is when a message from the device last decrypted, or when
	// it was first listed.
	LastSeen time.Time
	// Listed is the set of versions whose device list currently has it.
	Listed VersionSet
}
