package e2ee

import (
	"context"
	"maps"
	"sync"
)

// NewMemoryStore returns a Store that keeps everything in memory, for tests,
// examples and benchmarks. Update works on a copy and swaps it in on
// success, so it is as transactional as the SQLite store.
func NewMemoryStore() Store { return &memStore{state: newMemState()} }

type memStore struct {
	mu    sync.Mutex
	state *memState
}

type versionID struct {
	v  Version
	id uint32
}

type versionAddr struct {
	v Version
	a Address
}

// memState holds values that are replaced, never modified in place, so a
// shallow copy of the maps is a snapshot.
type memState struct {
	account  *AccountRecord
	spks     map[versionID]SignedPreKeyRecord
	pks      map[versionID]PreKeyRecord
	sessions map[versionAddr][]byte
	devices  map[Address]DeviceRecord
}

func newMemState() *memState {
	return &memState{spks: map[versionID]SignedPreKeyRecord{}, pks: map[versionID]PreKeyRecord{},
		sessions: map[versionAddr][]byte{}, devices: map[Address]DeviceRecord{}}
}

func (s *memState) clone() *memState {
	return &memState{account: s.account, spks: maps.Clone(s.spks), pks: maps.Clone(s.pks),
		sessions: maps.Clone(s.sessions), devices: maps.Clone(s.devices)}
}

func (m *memStore) Update(ctx context.Context, fn func(Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	next := m.state.clone()
	if err := fn(next); err != nil {
		return err
	}
	m.state = next
	return nil
}

func (s *memState) Account() (*AccountRecord, error) {
	if s.account == nil {
		return nil, ErrNotFound
	}
	a := *s.account
	return &a, nil
}

func (s *memState) PutAccount(a *AccountRecord) error {
	c := *a
	s.account = &c
	return nil
}

func (s *memState) SignedPreKeys(v Version) ([]SignedPreKeyRecord, error) {
	var out []SignedPreKeyRecord
	for k, r := range s.spks {
		if k.v == v {
			out = append(out, r)
		}
	}
	return out, nil
}

func (s *memState) PutSignedPreKey(v Version, k SignedPreKeyRecord) error {
	s.spks[versionID{v, k.ID}] = k
	return nil
}

func (s *memState) DeleteSignedPreKey(v Version, id uint32) error {
	delete(s.spks, versionID{v, id})
	return nil
}

func (s *memState) PreKeys(v Version) ([]PreKeyRecord, error) {
	var out []PreKeyRecord
	for k, r := range s.pks {
		if k.v == v {
			out = append(out, r)
		}
	}
	return out, nil
}

func (s *memState) PutPreKey(v Version, k PreKeyRecord) error {
	s.pks[versionID{v, k.ID}] = k
	return nil
}

func (s *memState) DeletePreKey(v Version, id uint32) error {
	delete(s.pks, versionID{v, id})
	return nil
}

func (s *memState) Session(v Version, a Address) ([]byte, error) {
	r, ok := s.sessions[versionAddr{v, a}]
	if !ok {
		return nil, ErrNotFound
	}
	return append([]byte(nil), r...), nil
}

func (s *memState) PutSession(v Version, a Address, record []byte) error {
	s.sessions[versionAddr{v, a}] = append([]byte(nil), record...)
	return nil
}

func (s *memState) DeleteSession(v Version, a Address) error {
	delete(s.sessions, versionAddr{v, a})
	return nil
}

func (s *memState) Device(a Address) (*DeviceRecord, error) {
	d, ok := s.devices[a]
	if !ok {
		return nil, ErrNotFound
	}
	d.IdentityKey = append([]byte(nil), d.IdentityKey...)
	return &d, nil
}

func (s *memState) PutDevice(d *DeviceRecord) error {
	c := *d
	c.IdentityKey = append([]byte(nil), d.IdentityKey...)
	if d.IdentityKey == nil {
		c.IdentityKey = nil
	}
	s.devices[d.Address] = c
	return nil
}

func (s *memState) Devices(jid string) ([]DeviceRecord, error) {
	var out []DeviceRecord
	for a, d := range s.devices {
		if a.JID == jid {
			d.IdentityKey = append([]byte(nil), d.IdentityKey...)
			out = append(out, d)
		}
	}
	return out, nil
}

func (s *memState) DeleteDevice(a Address) error {
	delete(s.devices, a)
	return nil
}
