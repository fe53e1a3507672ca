package e2ee

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Device is what Devices reports about one device.
type Device struct {
	Address
	// Fingerprint is the device's identity key; zero when HasIdentity is
	// false (no bundle or message has shown it yet).
	Fingerprint Fingerprint
	HasIdentity bool
	Trust       Trust
	FirstSeen   time.Time
	LastSeen    time.Time
	// Listed: the versions whose device list has the device.
	Listed VersionSet
	// Sessions: the versions in which we have a session with it.
	Sessions VersionSet
}

func (m *Manager) deviceInfo(tx Tx, d *DeviceRecord) (Device, error) {
	out := Device{Address: d.Address, Trust: d.Trust, FirstSeen: d.FirstSeen, LastSeen: d.LastSeen, Listed: d.Listed}
	if len(d.IdentityKey) == 32 {
		out.HasIdentity = true
		copy(out.Fingerprint[:], d.IdentityKey)
	}
	for _, v := range Versions {
		_, err := tx.Session(v, d.Address)
		if err == nil {
			out.Sessions = out.Sessions.With(v)
		} else if !errors.Is(err, ErrNotFound) {
			return out, err
		}
	}
	return out, nil
}

// Devices lists the known devices of a bare JID (our own included, except
// this device), sorted by device id.
func (m *Manager) Devices(ctx context.Context, jid string) ([]Device, error) {
	var out []Device
	err := m.update(ctx, func(tx Tx) error {
		recs, err := tx.Devices(jid)
		if err != nil {
			return err
		}
		for i := range recs {
			if recs[i].Address == m.Address() {
				continue
			}
			d, err := m.deviceInfo(tx, &recs[i])
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	slices.SortFunc(out, func(a, b Device) int { return int(int64(a.Device) - int64(b.Device)) })
	return out, err
}

// DeviceListUpdate is what UpdateDeviceList found.
type DeviceListUpdate struct {
	// Added lists devices that were not in this version's list before.
	// Those without a session need their bundle fetched (NeedBundles).
	Added []Address
	// Removed lists devices that left the list. Their records and sessions
	// stay, so that late messages still decrypt; they get no new messages.
	Removed []Address
	// RepublishOwn is set when this is our own list and it lacks this
	// device: publish it again with our device id added (XEP-0384
	// §Announcing).
	RepublishOwn bool
}

// UpdateDeviceList records a JID's device list for v, as received from
// PEP. Encrypt sends to the devices in these lists.
func (m *Manager) UpdateDeviceList(ctx context.Context, v Version, jid string, ids []uint32) (*DeviceListUpdate, error) {
	if err := v.check(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if id == 0 {
			return nil, fmt.Errorf("e2ee: %v device list of %s has device id 0", v, jid)
		}
	}
	up := &DeviceListUpdate{}
	err := m.update(ctx, func(tx Tx) error {
		recs, err := tx.Devices(jid)
		if err != nil {
			return err
		}
		known := map[uint32]*DeviceRecord{}
		for i := range recs {
			known[recs[i].Device] = &recs[i]
		}
		now := m.cfg.Now()
		listed := map[uint32]bool{}
		for _, id := range ids {
			listed[id] = true
			a := Address{jid, id}
			if a == m.Address() {
				continue
			}
			d := known[id]
			if d == nil {
				d = &DeviceRecord{Address: a, FirstSeen: now, LastSeen: now}
			}
			if d.Listed.Has(v) {
				continue
			}
			d.Listed = d.Listed.With(v)
			up.Added = append(up.Added, a)
			if err := tx.PutDevice(d); err != nil {
				return err
			}
		}
		for id, d := range known {
			if !listed[id] && d.Listed.Has(v) {
				d.Listed = d.Listed.Without(v)
				up.Removed = append(up.Removed, d.Address)
				if err := tx.PutDevice(d); err != nil {
					return err
				}
			}
		}
		up.RepublishOwn = jid == m.cfg.OwnJID && !listed[m.deviceID]
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortAddrs(up.Added)
	sortAddrs(up.Removed)
	return up, nil
}

func sortAddrs(a []Address) {
	slices.SortFunc(a, func(x, y Address) int {
		if x.JID != y.JID {
			if x.JID < y.JID {
				return -1
			}
			return 1
		}
		return int(int64(x.Device) - int64(y.Device))
	})
}

// NeedBundles lists the devices of these JIDs (and our own other devices)
// that are listed for v, have no session in v and are not Untrusted: fetch
// their bundles and give them to ProcessBundle before Encrypt.
func (m *Manager) NeedBundles(ctx context.Context, v Version, jids []string) ([]Address, error) {
	if err := v.check(); err != nil {
		return nil, err
	}
	var out []Address
	err := m.update(ctx, func(tx Tx) error {
		for _, jid := range m.withOwnJID(jids) {
			recs, err := tx.Devices(jid)
			if err != nil {
				return err
			}
			for _, d := range recs {
				if d.Address == m.Address() || !d.Listed.Has(v) || d.Trust == Untrusted {
					continue
				}
				if _, err := tx.Session(v, d.Address); errors.Is(err, ErrNotFound) {
					out = append(out, d.Address)
				} else if err != nil {
					return err
				}
			}
		}
		return nil
	})
	sortAddrs(out)
	return out, err
}

// withOwnJID adds our own JID (for our other devices) and drops duplicates.
func (m *Manager) withOwnJID(jids []string) []string {
	out := []string{m.cfg.OwnJID}
	for _, j := range jids {
		if !slices.Contains(out, j) {
			out = append(out, j)
		}
	}
	return out
}

// SetTrust records the user's decision about a device. The fingerprint is
// the one the user was shown; if the device's identity key is another one
// (it changed meanwhile), nothing changes and ErrIdentityMismatch is
// returned.
func (m *Manager) SetTrust(ctx context.Context, device Address, fp Fingerprint, t Trust) error {
	if t > Untrusted {
		return fmt.Errorf("e2ee: invalid trust state %d", t)
	}
	return m.update(ctx, func(tx Tx) error {
		d, err := tx.Device(device)
		if errors.Is(err, ErrNotFound) || (err == nil && d.IdentityKey == nil) {
			return &DeviceError{device, ErrUnknownDevice}
		}
		if err != nil {
			return err
		}
		if !bytes.Equal(d.IdentityKey, fp[:]) {
			return &DeviceError{device, ErrIdentityMismatch}
		}
		d.Trust = t
		return tx.PutDevice(d)
	})
}

// ForgetDevice deletes what we know about a device: its identity key,
// trust and sessions. It is how the user accepts a device whose identity
// key changed (ErrIdentityMismatch): the next bundle or key exchange is
// then treated as a new device.
func (m *Manager) ForgetDevice(ctx context.Context, device Address) error {
	return m.update(ctx, func(tx Tx) error {
		d, err := tx.Device(device)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		for _, v := range Versions {
			if err := tx.DeleteSession(v, device); err != nil {
				return err
			}
		}
		if d == nil || d.Listed == 0 {
			return tx.DeleteDevice(device)
		}
		// Keep it listed, but with no identity and no trust.
		return tx.PutDevice(&DeviceRecord{Address: device, FirstSeen: d.FirstSeen, LastSeen: d.LastSeen, Listed: d.Listed})
	})
}

// knownDevice returns the device's record with its identity key set to fp,
// creating it with the trust the policy gives a new device. A different
// recorded identity key is ErrIdentityMismatch. The caller stores it.
func (m *Manager) knownDevice(tx Tx, a Address, fp Fingerprint) (*DeviceRecord, error) {
	d, err := tx.Device(a)
	if errors.Is(err, ErrNotFound) {
		now := m.cfg.Now()
		d, err = &DeviceRecord{Address: a, FirstSeen: now, LastSeen: now}, nil
	}
	if err != nil {
		return nil, err
	}
	if d.IdentityKey != nil {
		if !bytes.Equal(d.IdentityKey, fp[:]) {
			return nil, ErrIdentityMismatch
		}
		return d, nil
	}
	d.IdentityKey = append([]byte(nil), fp[:]...)
	if d.Trust, err = m.newDeviceTrust(tx, a.JID); err != nil {
		return nil, err
	}
	return d, nil
}

func (m *Manager) newDeviceTrust(tx Tx, jid string) (Trust, error) {
	if m.cfg.Trust == ManualTrust {
		return Undecided, nil
	}
	recs, err := tx.Devices(jid)
	if err != nil {
		return 0, err
	}
	for _, d := range recs {
		if d.Trust == Verified {
			return Undecided, nil
		}
	}
	return BlindTrusted, nil
}
