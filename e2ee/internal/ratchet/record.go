package ratchet

import (
	"errors"
	"io"
)

const (
	// MaxSkippedKeys bounds the skipped message keys kept for one peer
	// device, over all of its session states; the oldest go first.
	MaxSkippedKeys = 1000
	// MaxArchived is how many earlier session states are kept. Messages
	// that were in flight when a session was replaced (for instance during
	// simultaneous initiation) still decrypt in them.
	MaxArchived = 10
)

// ErrIdentityMismatch means a key exchange names a base key we know but
// comes from another identity key than the session was built with.
var ErrIdentityMismatch = errors.New("key exchange identity does not match the session")

// ErrKeyExchangeMismatch means a key exchange repeats a known base key with
// other prekey ids than the first time: it was tampered with.
var ErrKeyExchangeMismatch = errors.New("repeated key exchange names other prekeys")

// Record is everything we keep about one peer device in one version: the
// current session state and archived earlier ones.
type Record struct {
	Current  *Session
	Archived []*Session // newest first
	seq      uint64     // numbers skipped keys in the order they were made
}

// NewRecord starts a record with an initiated session.
func NewRecord(s *Session) *Record { return &Record{Current: s} }

// Encrypt encrypts plaintext (at most a few dozen bytes of key material)
// with the current session. It reports whether the result is a key
// exchange (prekey='true' / kex='true'). The record changes: store it before
// sending the result.
func (r *Record) Encrypt(plaintext []byte) (msg []byte, keyExchange bool, err error) {
	if r.Current == nil {
		return nil, false, ErrNoSession
	}
	pending := r.Current.Pending
	msg, err = r.Current.encrypt(plaintext)
	return msg, pending, err
}

// EncryptIn encrypts with the state built by the key exchange with this
// base key, current or archived, without making it current. It is for the
// empty message that completes a session just accepted by Accept: sent in
// that session, it confirms the peer's initiated session even when we kept
// our own one current, so that two clients that both initiated settle on
// one pair of states.
func (r *Record) EncryptIn(baseKey [32]byte, plaintext []byte) (msg []byte, keyExchange bool, err error) {
	for _, s := range r.states() {
		if s != nil && s.BaseKey == baseKey {
			pending := s.Pending
			msg, err = s.encrypt(plaintext)
			return msg, pending, err
		}
	}
	return nil, false, ErrNoSession
}

// Result tells what a successful decryption did.
type Result struct {
	Plaintext []byte
	Session   *Session // the state that decrypted, now Current
	// Confirmed: this was the first answer in a session we initiated.
	Confirmed bool
}

// Decrypt decrypts a ratchet message (not a key exchange), in the current
// state or else in an archived one, which then becomes current. On error the
// record is unchanged.
func (r *Record) Decrypt(rnd io.Reader, msg []byte) (*Result, error) {
	if r.Current == nil {
		return nil, ErrNoSession
	}
	res, firstErr := r.tryState(rnd, 0, msg, true)
	if firstErr == nil || decisive(firstErr) {
		return res, firstErr
	}
	for i := range r.Archived {
		res, err := r.tryState(rnd, i+1, msg, true)
		if err == nil || decisive(err) {
			return res, err
		}
	}
	return nil, firstErr
}

// decisive errors identify the state the message belongs to; trying the
// others is pointless.
func decisive(err error) bool {
	return errors.Is(err, ErrDuplicate) || errors.Is(err, ErrKeyEvicted) || errors.Is(err, ErrTooManySkipped)
}

// FindBaseKey returns the state built by the key exchange with this base
// key, if we have it: a repeated key exchange belongs to the session it
// already built.
func (r *Record) FindBaseKey(baseKey [32]byte) (*Session, bool) {
	for _, s := range r.states() {
		if s.BaseKey == baseKey {
			return s, true
		}
	}
	return nil, false
}

// DecryptRepeated decrypts the message of a repeated key exchange in the
// state it built. That state becomes current, except while our own
// initiated session is unanswered: the peer is then still waiting for our
// key exchange and will switch to the session it builds from it (see
// Accept), so ours stays current.
func (r *Record) DecryptRepeated(rnd io.Reader, kx *KeyExchange) (*Result, error) {
	for i, s := range r.states() {
		if s.BaseKey != kx.BaseKey {
			continue
		}
		if s.RemoteIdentity != kx.Identity {
			return nil, ErrIdentityMismatch
		}
		if s.PreKeyID != kx.PreKeyID || s.SignedPreKeyID != kx.SignedPreKeyID {
			return nil, ErrKeyExchangeMismatch
		}
		return r.tryState(rnd, i, kx.Message, !r.Current.Pending)
	}
	return nil, ErrNoSession
}

// Accept decrypts the first message in a session made by Respond and adds
// it to the record. A session we initiated that the peer has not answered
// yet stays current, because a peer that received our key exchange (as
// libsignal and python-omemo do) switches to the session it builds from it,
// and that is our initiated one; the new state is archived, where messages
// in it still decrypt. Otherwise the new session replaces the current one.
func (r *Record) Accept(rnd io.Reader, s *Session, kx *KeyExchange) (*Result, error) {
	c := s.clone()
	seq := r.seq
	pt, err := c.decrypt(rnd, kx.Message, &seq)
	if err != nil {
		return nil, err
	}
	r.seq = seq
	if r.Current != nil && r.Current.Pending {
		r.archive(c)
	} else {
		if r.Current != nil {
			r.archive(r.Current)
		}
		r.Current = c
	}
	r.capSkipped()
	return &Result{Plaintext: pt, Session: c}, nil
}

// tryState decrypts msg in state i (0 = current) on a copy, and commits the
// copy only on success: as the current state if promote, else in place.
func (r *Record) tryState(rnd io.Reader, i int, msg []byte, promote bool) (*Result, error) {
	orig := r.states()[i]
	c := orig.clone()
	seq := r.seq
	pt, err := c.decrypt(rnd, msg, &seq)
	if err != nil {
		return nil, err
	}
	confirmed := c.Pending
	c.Pending = false
	r.seq = seq
	switch {
	case i == 0:
		r.Current = c
	case !promote:
		r.Archived[i-1] = c
	default:
		r.Archived = append(r.Archived[:i-1], r.Archived[i:]...)
		r.archive(r.Current)
		r.Current = c
	}
	r.capSkipped()
	return &Result{Plaintext: pt, Session: c, Confirmed: confirmed}, nil
}

func (r *Record) states() []*Session {
	return append([]*Session{r.Current}, r.Archived...)
}

func (r *Record) archive(s *Session) {
	r.Archived = append([]*Session{s}, r.Archived...)
	if len(r.Archived) > MaxArchived {
		r.Archived = r.Archived[:MaxArchived]
	}
}

// capSkipped evicts the oldest skipped keys, across all states, beyond
// MaxSkippedKeys.
func (r *Record) capSkipped() {
	total := 0
	states := r.states()
	for _, s := range states {
		total += len(s.skipped)
	}
	for ; total > MaxSkippedKeys; total-- {
		var oldest *Session
		for _, s := range states {
			if len(s.skipped) > 0 && (oldest == nil || s.skipped[0].seq < oldest.skipped[0].seq) {
				oldest = s
			}
		}
		oldest.evictOldest()
	}
}

// SkippedKeys is the number of skipped message keys held.
func (r *Record) SkippedKeys() int {
	n := 0
	for _, s := range r.states() {
		n += len(s.skipped)
	}
	return n
}

// Replace makes s, a session we just initiated, current and archives the
// one it replaces.
func (r *Record) Replace(s *Session) {
	if r.Current != nil {
		r.archive(r.Current)
	}
	r.Current = s
}
