package e2ee

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/candor-xmpp/candor/e2ee/internal/curve"
	"github.com/candor-xmpp/candor/e2ee/internal/ratchet"
	"github.com/candor-xmpp/candor/e2ee/internal/wire"
)

// HeartbeatAfter is python-omemo's STALENESS_MAGIC_NUMBER: once more than
// this many messages arrived in the peer's chain while we sent nothing,
// an empty message goes back so that the peer's ratchet moves on
// (XEP-0384 §Business Rules).
const HeartbeatAfter = 53

// Incoming is one received message, as far as this device is concerned.
type Incoming struct {
	Version Version
	// Sender is the stanza's bare from JID and the <header sid>.
	Sender Address
	// Key is the content of a <key> whose rid is our device id. In a
	// legacy MUC, rids can collide across JIDs: try each such key.
	Key []byte
	// KeyExchange is the key's prekey (legacy) or kex (OMEMO 2) attribute,
	// read as an xs:boolean ("true" or "1").
	KeyExchange bool
	// IV is the legacy <iv>; ignored for OMEMO 2.
	IV []byte
	// Payload is the <payload>, nil when there is none (an empty message).
	// For OMEMO 2 it decrypts to the SCE envelope, which the caller parses.
	Payload []byte
}

// Decrypted is the outcome of a successful Decrypt.
type Decrypted struct {
	// Plaintext is the message body, nil for an empty message.
	Plaintext []byte
	// Sender is the sending device after this message: its fingerprint
	// and trust (messages from Undecided devices do decrypt; show them as
	// such).
	Sender Device
	// NewSession: the message was a key exchange that built a session.
	NewSession bool
	// Reply, when not nil, is an empty message to send back to the sender
	// now: it completes a new session or is a heartbeat. It is already
	// committed. During history catch-up replies are held back until
	// EndCatchUp.
	Reply *Message
	// BundleChanged: a one-time prekey was used up; publish Bundle again.
	BundleChanged bool
	// UnknownDevice: the sender is not in its account's device list for
	// this version; fetch the list again.
	UnknownDevice bool
}

// Decrypt decrypts one message. It verifies before it decrypts, and either
// commits every effect (ratchet state, prekey use, device record, reply) or,
// on error, none: a message that fails can be retried, and one that
// succeeded must never be decrypted again (its keys are gone; ErrDuplicate).
//
// Errors are *DecryptError wrapping ErrDuplicate (ignore silently),
// ErrNoSession, ErrAuthentication, ErrMalformed, ErrUnknownPreKey, ... No
// error makes Decrypt build a session on its own.
func (m *Manager) Decrypt(ctx context.Context, in *Incoming) (*Decrypted, error) {
	fail := func(err error) error { return &DecryptError{Version: in.Version, Sender: in.Sender, Err: err} }
	if err := in.Version.check(); err != nil {
		return nil, err
	}
	if len(in.Key) > wire.MaxSize {
		return nil, fail(fmt.Errorf("%w: key element of %d bytes", ErrTooLarge, len(in.Key)))
	}
	if len(in.Payload) > MaxPayloadSize {
		return nil, fail(fmt.Errorf("%w: payload of %d bytes", ErrTooLarge, len(in.Payload)))
	}
	var out *Decrypted
	var held *completion
	err := m.update(ctx, func(tx Tx) error {
		var err error
		out, held, err = m.decrypt(tx, in)
		return err
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, fail(err)
	}
	if held != nil {
		m.deferReply(*held)
	}
	return out, nil
}

// decrypt does Decrypt's work in tx. It returns the completion to hold
// back when catching up, to be recorded once tx has committed.
func (m *Manager) decrypt(tx Tx, in *Incoming) (*Decrypted, *completion, error) {
	v := in.Version
	dev, err := tx.Device(in.Sender)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, nil, err
	}
	if dev != nil && dev.Trust == Untrusted {
		return nil, nil, ErrUntrusted
	}
	rec, err := loadRecord(tx, v, in.Sender)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, nil, err
	}
	out := &Decrypted{}
	var res *ratchet.Result
	var kx *ratchet.KeyExchange
	if in.KeyExchange {
		if kx, err = ratchet.ParseKeyExchange(v.internal(), in.Key); err != nil {
			return nil, nil, err
		}
		fp, ferr := m.fingerprintOf(v, kx.Identity)
		if ferr != nil {
			return nil, nil, ferr
		}
		if dev != nil && dev.IdentityKey != nil && !bytes.Equal(dev.IdentityKey, fp[:]) {
			return nil, nil, ErrIdentityMismatch
		}
		if rec != nil {
			if _, ok := rec.FindBaseKey(kx.BaseKey); ok {
				res, err = rec.DecryptRepeated(m.cfg.Rand, kx)
			}
		}
		if res == nil && err == nil {
			if rec == nil {
				rec = &ratchet.Record{}
			}
			res, err = m.acceptKeyExchange(tx, v, rec, kx)
			out.NewSession, out.BundleChanged = err == nil, err == nil
		}
	} else {
		if rec == nil {
			return nil, nil, ErrNoSession
		}
		res, err = rec.Decrypt(m.cfg.Rand, in.Key)
	}
	if err != nil {
		return nil, nil, err
	}
	if out.Plaintext, err = openPayload(v, res.Plaintext, in.Payload, in.IV); err != nil {
		return nil, nil, err
	}

	fp, err := m.fingerprintOf(v, res.Session.RemoteIdentity)
	if err != nil {
		return nil, nil, err
	}
	d, err := m.knownDevice(tx, in.Sender, fp)
	if err != nil {
		return nil, nil, err
	}
	d.LastSeen = m.cfg.Now()
	out.UnknownDevice = !d.Listed.Has(v)
	if err := tx.PutDevice(d); err != nil {
		return nil, nil, err
	}
	if out.Sender, err = m.deviceInfo(tx, d); err != nil {
		return nil, nil, err
	}
	out.Sender.Sessions = out.Sender.Sessions.With(v)

	// Complete a new session in the session it built; answer a long
	// one-sided chain with a heartbeat.
	s := res.Session
	heartbeat := s.ReceivingChainLength() > HeartbeatAfter && s.SendingChainLength() == 0
	var held *completion
	if out.NewSession || heartbeat {
		if m.catchingUp {
			held = &completion{v, in.Sender, s.BaseKey}
		} else if out.Reply, err = m.emptyMessage(tx, v, in.Sender, rec, s.BaseKey); err != nil {
			return nil, nil, err
		}
	}
	return out, held, storeRecord(tx, v, in.Sender, rec)
}

// acceptKeyExchange builds the session a new key exchange asks for, with
// the prekeys it names, and retires the one-time prekey.
func (m *Manager) acceptKeyExchange(tx Tx, v Version, rec *ratchet.Record, kx *ratchet.KeyExchange) (*ratchet.Result, error) {
	spks, err := tx.SignedPreKeys(v)
	if err != nil {
		return nil, err
	}
	var spk *SignedPreKeyRecord
	for i := range spks {
		if spks[i].ID == kx.SignedPreKeyID {
			spk = &spks[i]
		}
	}
	if spk == nil {
		return nil, fmt.Errorf("%w %d", ErrUnknownSignedPreKey, kx.SignedPreKeyID)
	}
	pks, err := tx.PreKeys(v)
	if err != nil {
		return nil, err
	}
	var pk *PreKeyRecord
	for i := range pks {
		if pks[i].ID == kx.PreKeyID {
			pk = &pks[i]
		}
	}
	if pk == nil {
		return nil, fmt.Errorf("%w %d", ErrUnknownPreKey, kx.PreKeyID)
	}
	spkPriv, err := curve.NewX25519(spk.Private[:])
	if err != nil {
		return nil, err
	}
	pkPriv, err := curve.NewX25519(pk.Private[:])
	if err != nil {
		return nil, err
	}
	s, err := ratchet.Respond(v.internal(), m.id, spkPriv, pkPriv, kx)
	if err != nil {
		return nil, err
	}
	res, err := rec.Accept(m.cfg.Rand, s, kx)
	if err != nil {
		return nil, err
	}
	acct, err := tx.Account()
	if err != nil {
		return nil, err
	}
	if err := m.consumePreKey(tx, acct, v, *pk); err != nil {
		return nil, err
	}
	return res, tx.PutAccount(acct)
}

func (m *Manager) deferReply(c completion) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, d := range m.deferred {
		if d.v == c.v && d.addr == c.addr {
			m.deferred[i] = c
			return
		}
	}
	m.deferred = append(m.deferred, c)
}

// BeginCatchUp enters history catch-up (MAM): one-time prekeys used by key
// exchanges are kept (unpublished) instead of deleted, because older
// messages built on them may still be in the archive, and session
// completions and heartbeats are held back (XEP-0384 §Business Rules).
// Catch-up state lives in memory: after a restart, call BeginCatchUp again
// before catching up.
func (m *Manager) BeginCatchUp() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.catchingUp = true
}

// CatchUpResult is what EndCatchUp did.
type CatchUpResult struct {
	// Replies are the empty messages held back during catch-up, to send
	// now. They are committed.
	Replies []*Message
	// BundleChanged lists the versions whose bundle must be republished.
	BundleChanged VersionSet
}

// EndCatchUp ends history catch-up: it deletes the prekeys kept during it,
// refills, and makes the held-back empty messages.
func (m *Manager) EndCatchUp(ctx context.Context) (*CatchUpResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	res := &CatchUpResult{}
	err := m.cfg.Store.Update(ctx, func(tx Tx) error {
		acct, err := tx.Account()
		if err != nil {
			return err
		}
		for _, v := range Versions {
			pks, err := tx.PreKeys(v)
			if err != nil {
				return err
			}
			for _, k := range pks {
				if k.Used {
					if err := tx.DeletePreKey(v, k.ID); err != nil {
						return err
					}
				}
			}
			refilled, err := m.refillPreKeys(tx, acct, v)
			if err != nil {
				return err
			}
			if refilled {
				res.BundleChanged = res.BundleChanged.With(v)
			}
		}
		for _, c := range m.deferred {
			rec, err := loadRecord(tx, c.v, c.addr)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			base := c.baseKey
			if _, ok := rec.FindBaseKey(base); !ok {
				base = rec.Current.BaseKey
			}
			msg, err := m.emptyMessage(tx, c.v, c.addr, rec, base)
			if err != nil {
				return err
			}
			res.Replies = append(res.Replies, msg)
		}
		return tx.PutAccount(acct)
	})
	if err != nil {
		return nil, err
	}
	m.catchingUp = false
	m.deferred = nil
	return res, nil
}
