package ratchet

import (
	"io"

	"github.com/candor-xmpp/candor/e2ee/internal/curve"
	"github.com/candor-xmpp/candor/e2ee/internal/wire"
)

const (
	// MaxSkip is the most message keys one message may make us derive and
	// keep, per chain (XEP-0384's MAX_SKIP, python-omemo's default).
	MaxSkip = 1000
	// maxOldChains is how many finished receiving chains are remembered, so
	// that a late duplicate on one is recognised as a duplicate.
	maxOldChains = 5
)

// chain is one symmetric-key ratchet.
type chain struct {
	key [32]byte
	n   uint32 // keys derived so far, i.e. the index of the next message
	// evictedBelow: skipped keys of this chain with index below this may
	// have been dropped by the skipped-key cap.
	evictedBelow uint32
}

// skippedKey is a message key derived ahead of time for a message that has
// not arrived yet.
type skippedKey struct {
	ratchetKey [32]byte
	n          uint32
	mk         [32]byte
	seq        uint64 // insertion order across the whole Record, for eviction
}

// chainMark remembers a finished receiving chain.
type chainMark struct {
	ratchetKey   [32]byte
	n            uint32
	evictedBelow uint32
}

// Session is one Double Ratchet state with the context it was built in.
type Session struct {
	Version        Version
	LocalIdentity  [32]byte // legacy: Curve25519; OMEMO 2: Ed25519
	RemoteIdentity [32]byte // same encoding as LocalIdentity
	Initiator      bool
	BaseKey        [32]byte // X3DH ephemeral public key that built this session
	// PreKeyID and SignedPreKeyID name the responder's prekeys the key
	// exchange used; a repeated key exchange must name the same.
	PreKeyID       uint32
	SignedPreKeyID uint32
	// Pending is set on the initiator until a message from the peer
	// decrypts in this session; while set, every message is a key exchange.
	Pending bool

	root     [32]byte
	sendPriv [32]byte
	sendPub  [32]byte
	send     chain
	prevN    uint32 // length of our previous sending chain
	hasRecv  bool
	recvPub  [32]byte
	recv     chain
	skipped  []skippedKey
	old      []chainMark
}

// ReceivingChainLength is the number of messages received (or skipped) in
// the peer's current chain.
func (s *Session) ReceivingChainLength() uint32 {
	if !s.hasRecv {
		return 0
	}
	return s.recv.n
}

// SendingChainLength is the number of messages sent in our current chain. It
// is zero after every ratchet step, that is until we answer the peer's
// latest chain.
func (s *Session) SendingChainLength() uint32 { return s.send.n }

func (s *Session) clone() *Session {
	c := *s
	c.skipped = append([]skippedKey(nil), s.skipped...)
	c.old = append([]chainMark(nil), s.old...)
	return &c
}

// associatedData is what the MAC covers besides the message. Legacy
// follows libsignal: sender identity ‖ receiver identity, each 0x05 ‖ 32.
// OMEMO 2 uses initiator ‖ responder in both directions.
func (s *Session) associatedData(sending bool) []byte {
	local, remote := s.Version.encodeIdentity(s.LocalIdentity), s.Version.encodeIdentity(s.RemoteIdentity)
	first := sending
	if s.Version == OMEMO2 {
		first = s.Initiator
	}
	if first {
		return append(local, remote...)
	}
	return append(remote, local...)
}

// encrypt advances the sending chain and returns the ratchet message, or
// the key exchange wrapping it while the session is unconfirmed.
func (s *Session) encrypt(plaintext []byte) ([]byte, error) {
	if s.send.n == 0xffffffff {
		return nil, ErrChainExhausted
	}
	var mk [32]byte
	h := wire.Header{RatchetKey: s.sendPub, N: s.send.n, PN: s.prevN}
	s.send.key, mk = kdfChain(s.send.key)
	s.send.n++
	k := s.Version.messageKeys(mk)
	msg := s.Version.frameMessage(h, sealCBC(k.enc, k.iv, plaintext), &k, s.associatedData(true))
	if !s.Pending {
		return msg, nil
	}
	return s.Version.frameKeyExchange(&KeyExchange{
		PreKeyID: s.PreKeyID, SignedPreKeyID: s.SignedPreKeyID,
		Identity: s.LocalIdentity, BaseKey: s.BaseKey, Message: msg,
	}), nil
}

// decrypt authenticates and decrypts a ratchet message, advancing the
// state. It must run on a clone: on error the clone is half-updated.
// Fresh ratchet keys are read from rnd.
func (s *Session) decrypt(rnd io.Reader, b []byte, seq *uint64) ([]byte, error) {
	m, err := s.Version.parseMessage(b)
	if err != nil {
		return nil, err
	}
	h := m.header
	if curve.CheckX25519Public(h.RatchetKey[:]) != nil {
		return nil, ErrInvalidKey
	}
	ad := s.associatedData(false)

	for i := range s.skipped {
		if sk := &s.skipped[i]; sk.ratchetKey == h.RatchetKey && sk.n == h.N {
			pt, err := s.open(sk.mk, m, ad)
			if err != nil {
				return nil, err
			}
			s.skipped = append(s.skipped[:i], s.skipped[i+1:]...)
			return pt, nil
		}
	}

	switch {
	case s.hasRecv && h.RatchetKey == s.recvPub:
		if h.N < s.recv.n {
			return nil, missing(h.N, s.recv.evictedBelow)
		}
	case s.oldChain(h.RatchetKey) != nil:
		mark := s.oldChain(h.RatchetKey)
		if h.N < mark.n {
			return nil, missing(h.N, mark.evictedBelow)
		}
		// Keys past the end the sender announced were never derived.
		return nil, ErrKeyEvicted
	default:
		if err := s.step(rnd, h, seq); err != nil {
			return nil, err
		}
	}

	if h.N-s.recv.n > MaxSkip {
		return nil, ErrTooManySkipped
	}
	s.skipTo(h.N, seq)
	var mk [32]byte
	s.recv.key, mk = kdfChain(s.recv.key)
	s.recv.n++
	return s.open(mk, m, ad)
}

func missing(n, evictedBelow uint32) error {
	if n < evictedBelow {
		return ErrKeyEvicted
	}
	return ErrDuplicate
}

func (s *Session) oldChain(k [32]byte) *chainMark {
	for i := range s.old {
		if s.old[i].ratchetKey == k {
			return &s.old[i]
		}
	}
	return nil
}

// step is the Diffie-Hellman ratchet: the peer has a new ratchet key.
func (s *Session) step(rnd io.Reader, h wire.Header, seq *uint64) error {
	if s.hasRecv {
		// Keep the keys of messages still in flight on the old chain, unless
		// the sender claims more than MaxSkip of them; python-omemo then drops
		// them too rather than spend the work.
		if h.PN > s.recv.n && h.PN-s.recv.n > MaxSkip {
			s.recv.evictedBelow = h.PN
			s.recv.n = h.PN
		} else {
			s.skipTo(h.PN, seq)
		}
		s.old = append(s.old, chainMark{s.recvPub, s.recv.n, s.recv.evictedBelow})
		if len(s.old) > maxOldChains {
			s.old = s.old[1:]
		}
	}
	priv, err := curve.NewX25519(s.sendPriv[:])
	if err != nil {
		return err
	}
	dh, err := curve.DH(priv, h.RatchetKey[:])
	if err != nil {
		return ErrInvalidKey
	}
	var ck [32]byte
	s.root, ck = s.Version.kdfRoot(s.root, dh)
	s.hasRecv, s.recvPub, s.recv = true, h.RatchetKey, chain{key: ck}

	var fresh [32]byte
	if _, err := io.ReadFull(rnd, fresh[:]); err != nil {
		return err
	}
	if err := s.setSendKey(fresh); err != nil {
		return err
	}
	priv, _ = curve.NewX25519(s.sendPriv[:])
	dh, err = curve.DH(priv, h.RatchetKey[:])
	if err != nil {
		return ErrInvalidKey
	}
	s.root, ck = s.Version.kdfRoot(s.root, dh)
	s.prevN = s.send.n
	s.send = chain{key: ck}
	return nil
}

func (s *Session) setSendKey(priv [32]byte) error {
	k, err := curve.NewX25519(priv[:])
	if err != nil {
		return err
	}
	s.sendPriv = priv
	copy(s.sendPub[:], k.PublicKey().Bytes())
	return nil
}

// skipTo derives and keeps the keys of the receiving chain up to index n.
func (s *Session) skipTo(n uint32, seq *uint64) {
	for s.recv.n < n {
		var mk [32]byte
		s.recv.key, mk = kdfChain(s.recv.key)
		*seq++
		s.skipped = append(s.skipped, skippedKey{s.recvPub, s.recv.n, mk, *seq})
		s.recv.n++
	}
}

// open verifies the MAC, then decrypts. The MAC is over the message bytes
// exactly as received, compared in constant time.
func (s *Session) open(mk [32]byte, m *message, ad []byte) ([]byte, error) {
	k := s.Version.messageKeys(mk)
	if !macEqual(s.Version.mac(&k, ad, m.body), m.mac) {
		return nil, ErrAuthentication
	}
	pt, err := openCBC(k.enc, k.iv, m.ciphertext)
	if err != nil {
		return nil, ErrBadPadding
	}
	return pt, nil
}

// evictOldest drops the oldest skipped key, remembering the loss on its
// chain so that the message is reported as lost, not as a duplicate.
func (s *Session) evictOldest() {
	sk := s.skipped[0]
	s.skipped = s.skipped[1:]
	mark := &s.recv.evictedBelow
	if !s.hasRecv || s.recvPub != sk.ratchetKey {
		c := s.oldChain(sk.ratchetKey)
		if c == nil {
			return
		}
		mark = &c.evictedBelow
	}
	if sk.n+1 > *mark {
		*mark = sk.n + 1
	}
}
