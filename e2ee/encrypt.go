package e2ee

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/candor-xmpp/candor/e2ee/internal/ratchet"
)

// Message is an encrypted message, what the session layer turns into an
// <encrypted> element.
type Message struct {
	Version Version
	// Sender is our device id (<header sid>).
	Sender uint32
	// Keys holds one entry per recipient device.
	Keys []Key
	// IV is the legacy <iv> (12 bytes); nil for OMEMO 2.
	IV []byte
	// Payload is the <payload>; nil for an empty message, which then has
	// no <payload> element.
	Payload []byte
}

// Key is one recipient device's key element.
type Key struct {
	// Address is the recipient: Device is the rid; JID is the <keys jid>
	// of OMEMO 2 (legacy keys carry no JID).
	Address
	// KeyExchange is prekey='true' (legacy) or kex='true' (OMEMO 2). When
	// false, send no attribute at all: python-omemo reads any value as true.
	KeyExchange bool
	// Data is the element's content (to be base64-encoded).
	Data []byte
}

// EncryptResult is the outcome of Encrypt.
type EncryptResult struct {
	Message *Message
	// Skipped lists the listed devices that did not get the message, and
	// why (ErrNotTrusted, ErrNoSession, ErrIdentityMismatch).
	Skipped []DeviceError
}

// Encrypt encrypts plaintext (not empty) once and its key for every trusted device in
// v's device lists of the given bare JIDs, and for our own other devices.
//
// Trust is enforced here: only devices whose Trust is BlindTrusted or
// Verified get a key. Devices without a session are skipped too: call
// NeedBundles and ProcessBundle first. If a requested JID would get the
// message on none of its devices, Encrypt returns a *NoRecipientsError and
// encrypts nothing.
//
// The advanced ratchet states are committed to the Store before Encrypt
// returns, so the result may be sent as soon as it is returned; if Encrypt
// fails nothing was committed and nothing may be sent.
func (m *Manager) Encrypt(ctx context.Context, v Version, jids []string, plaintext []byte) (*EncryptResult, error) {
	if err := v.check(); err != nil {
		return nil, err
	}
	if len(jids) == 0 {
		return nil, errors.New("e2ee: Encrypt needs at least one recipient JID")
	}
	if len(plaintext) == 0 {
		// Legacy OMEMO cannot tell an empty body from an empty message
		// (python-omemo sends "" without <payload>), so there is none.
		return nil, fmt.Errorf("e2ee: %w: empty message body (EncryptEmpty makes protocol messages)", ErrBadPayload)
	}
	var res *EncryptResult
	err := m.update(ctx, func(tx Tx) error {
		var err error
		res, err = m.encrypt(tx, v, jids, plaintext)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

type recipient struct {
	addr Address
	rec  *ratchet.Record
}

func (m *Manager) encrypt(tx Tx, v Version, jids []string, plaintext []byte) (*EncryptResult, error) {
	res := &EncryptResult{}
	var recipients []recipient
	var unreached []string
	for _, jid := range m.withOwnJID(jids) {
		reached := false
		recs, err := tx.Devices(jid)
		if err != nil {
			return nil, err
		}
		slices.SortFunc(recs, func(a, b DeviceRecord) int { return int(int64(a.Device) - int64(b.Device)) })
		for _, d := range recs {
			if d.Address == m.Address() || !d.Listed.Has(v) {
				continue
			}
			rec, err := m.eligible(tx, v, &d)
			if err != nil {
				res.Skipped = append(res.Skipped, DeviceError{d.Address, err})
				continue
			}
			recipients = append(recipients, recipient{d.Address, rec})
			reached = true
		}
		if !reached && jid != m.cfg.OwnJID {
			unreached = append(unreached, jid)
		}
	}
	if len(unreached) > 0 {
		return nil, &NoRecipientsError{JIDs: unreached, Skipped: res.Skipped}
	}
	material, payload, iv, err := sealPayload(v, m.cfg.Rand, plaintext)
	if err != nil {
		return nil, err
	}
	msg := &Message{Version: v, Sender: m.deviceID, IV: iv, Payload: payload}
	for _, r := range recipients {
		data, kex, err := r.rec.Encrypt(material)
		if err != nil {
			return nil, &DeviceError{r.addr, err}
		}
		if err := storeRecord(tx, v, r.addr, r.rec); err != nil {
			return nil, err
		}
		msg.Keys = append(msg.Keys, Key{Address: r.addr, KeyExchange: kex, Data: data})
	}
	res.Message = msg
	return res, nil
}

// eligible returns the session with a device if messages may be encrypted
// to it: it is trusted, we have a session, and the session was built with
// the identity key the trust decision was about.
func (m *Manager) eligible(tx Tx, v Version, d *DeviceRecord) (*ratchet.Record, error) {
	if !d.Trust.Encrypts() {
		return nil, fmt.Errorf("%w (%v)", ErrNotTrusted, d.Trust)
	}
	rec, err := loadRecord(tx, v, d.Address)
	if errors.Is(err, ErrNotFound) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, err
	}
	fp, err := m.fingerprintOf(v, rec.Current.RemoteIdentity)
	if err != nil || !bytes.Equal(fp[:], d.IdentityKey) {
		return nil, ErrIdentityMismatch
	}
	return rec, nil
}

// EncryptEmpty makes an empty message (no payload) to one device, for
// protocol purposes only: it moves the ratchet forward. XEP-0384 exempts
// these from trust, so the device's trust is not checked. Decrypt already
// returns the empty messages that session completion and heartbeats need;
// this is for anything else, such as answering a session the user just
// replaced. Like Encrypt, it commits before returning.
func (m *Manager) EncryptEmpty(ctx context.Context, v Version, device Address) (*Message, error) {
	if err := v.check(); err != nil {
		return nil, err
	}
	var msg *Message
	err := m.update(ctx, func(tx Tx) error {
		rec, err := loadRecord(tx, v, device)
		if errors.Is(err, ErrNotFound) {
			return &DeviceError{device, ErrNoSession}
		}
		if err != nil {
			return err
		}
		msg, err = m.emptyMessage(tx, v, device, rec, rec.Current.BaseKey)
		return err
	})
	return msg, err
}

// emptyMessage encrypts an empty message in the state with the given base
// key and stores the record.
func (m *Manager) emptyMessage(tx Tx, v Version, device Address, rec *ratchet.Record, baseKey [32]byte) (*Message, error) {
	material, iv, err := emptyMaterial(v, m.cfg.Rand)
	if err != nil {
		return nil, err
	}
	data, kex, err := rec.EncryptIn(baseKey, material)
	if err != nil {
		return nil, &DeviceError{device, err}
	}
	if err := storeRecord(tx, v, device, rec); err != nil {
		return nil, err
	}
	return &Message{Version: v, Sender: m.deviceID, IV: iv,
		Keys: []Key{{Address: device, KeyExchange: kex, Data: data}}}, nil
}
