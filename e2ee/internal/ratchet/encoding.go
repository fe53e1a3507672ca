package ratchet

import (
	"errors"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
)

// recordFormat versions the stored encoding of a Record.
const recordFormat = 1

// ErrCorruptRecord means a stored session record does not decode.
var ErrCorruptRecord = errors.New("corrupt session record")

const (
	flagInitiator = 1 << iota
	flagPending
	flagHasRecv
	knownFlags = flagInitiator | flagPending | flagHasRecv
)

// MarshalBinary encodes the record for storage. It holds secret keys.
func (r *Record) MarshalBinary() ([]byte, error) {
	if r.Current == nil {
		return nil, ErrNoSession
	}
	var b cryptobyte.Builder
	b.AddUint8(recordFormat)
	b.AddUint64(r.seq)
	states := r.states()
	b.AddUint8(uint8(len(states)))
	for _, s := range states {
		marshalSession(&b, s)
	}
	return b.Bytes()
}

func marshalSession(b *cryptobyte.Builder, s *Session) {
	b.AddUint8(uint8(s.Version))
	flags := uint8(0)
	if s.Initiator {
		flags |= flagInitiator
	}
	if s.Pending {
		flags |= flagPending
	}
	if s.hasRecv {
		flags |= flagHasRecv
	}
	b.AddUint8(flags)
	b.AddBytes(s.LocalIdentity[:])
	b.AddBytes(s.RemoteIdentity[:])
	b.AddBytes(s.BaseKey[:])
	b.AddUint32(s.PreKeyID)
	b.AddUint32(s.SignedPreKeyID)
	b.AddBytes(s.root[:])
	b.AddBytes(s.sendPriv[:])
	// The public key is stored too: deriving it is a scalar multiplication
	// per state on every load.
	b.AddBytes(s.sendPub[:])
	b.AddBytes(s.send.key[:])
	b.AddUint32(s.send.n)
	b.AddUint32(s.prevN)
	if s.hasRecv {
		b.AddBytes(s.recvPub[:])
		b.AddBytes(s.recv.key[:])
		b.AddUint32(s.recv.n)
		b.AddUint32(s.recv.evictedBelow)
	}
	b.AddUint16(uint16(len(s.skipped)))
	for _, k := range s.skipped {
		b.AddBytes(k.ratchetKey[:])
		b.AddUint32(k.n)
		b.AddBytes(k.mk[:])
		b.AddUint64(k.seq)
	}
	b.AddUint8(uint8(len(s.old)))
	for _, c := range s.old {
		b.AddBytes(c.ratchetKey[:])
		b.AddUint32(c.n)
		b.AddUint32(c.evictedBelow)
	}
}

// UnmarshalRecord decodes a stored record. Like the wire decoders it is
// strict, so that decoding and encoding again gives the same bytes.
func UnmarshalRecord(data []byte) (*Record, error) {
	s := cryptobyte.String(data)
	var format, n uint8
	r := &Record{}
	if !s.ReadUint8(&format) || format != recordFormat {
		return nil, corrupt("unknown format")
	}
	if !s.ReadUint64(&r.seq) || !s.ReadUint8(&n) || n == 0 || int(n) > 1+MaxArchived {
		return nil, corrupt("bad header")
	}
	total := 0
	for i := 0; i < int(n); i++ {
		st, err := unmarshalSession(&s)
		if err != nil {
			return nil, err
		}
		total += len(st.skipped)
		if i == 0 {
			r.Current = st
		} else {
			r.Archived = append(r.Archived, st)
		}
	}
	if !s.Empty() {
		return nil, corrupt("trailing data")
	}
	if total > MaxSkippedKeys {
		return nil, corrupt("too many skipped keys")
	}
	return r, nil
}

func corrupt(why string) error { return fmt.Errorf("%w: %s", ErrCorruptRecord, why) }

func read32(s *cryptobyte.String, out *[32]byte) bool { return s.CopyBytes(out[:]) }

func unmarshalSession(s *cryptobyte.String) (*Session, error) {
	st := &Session{}
	var version, flags uint8
	if !s.ReadUint8(&version) || !Version(version).Valid() {
		return nil, corrupt("bad version")
	}
	st.Version = Version(version)
	if !s.ReadUint8(&flags) || flags&^knownFlags != 0 {
		return nil, corrupt("bad flags")
	}
	st.Initiator = flags&flagInitiator != 0
	st.hasRecv = flags&flagHasRecv != 0
	if !read32(s, &st.LocalIdentity) || !read32(s, &st.RemoteIdentity) || !read32(s, &st.BaseKey) {
		return nil, corrupt("truncated keys")
	}
	st.Pending = flags&flagPending != 0
	if !s.ReadUint32(&st.PreKeyID) || !s.ReadUint32(&st.SignedPreKeyID) {
		return nil, corrupt("truncated key exchange")
	}
	if !read32(s, &st.root) || !read32(s, &st.sendPriv) || !read32(s, &st.sendPub) || !read32(s, &st.send.key) ||
		!s.ReadUint32(&st.send.n) || !s.ReadUint32(&st.prevN) {
		return nil, corrupt("truncated sending chain")
	}
	if st.hasRecv {
		if !read32(s, &st.recvPub) || !read32(s, &st.recv.key) ||
			!s.ReadUint32(&st.recv.n) || !s.ReadUint32(&st.recv.evictedBelow) {
			return nil, corrupt("truncated receiving chain")
		}
	}
	var nSkipped uint16
	if !s.ReadUint16(&nSkipped) || nSkipped > MaxSkippedKeys {
		return nil, corrupt("bad skipped key count")
	}
	if nSkipped > 0 {
		st.skipped = make([]skippedKey, nSkipped)
	}
	for i := range st.skipped {
		k := &st.skipped[i]
		if !read32(s, &k.ratchetKey) || !s.ReadUint32(&k.n) || !read32(s, &k.mk) || !s.ReadUint64(&k.seq) {
			return nil, corrupt("truncated skipped key")
		}
	}
	var nOld uint8
	if !s.ReadUint8(&nOld) || nOld > maxOldChains {
		return nil, corrupt("bad chain count")
	}
	if nOld > 0 {
		st.old = make([]chainMark, nOld)
	}
	for i := range st.old {
		c := &st.old[i]
		if !read32(s, &c.ratchetKey) || !s.ReadUint32(&c.n) || !s.ReadUint32(&c.evictedBelow) {
			return nil, corrupt("truncated chain")
		}
	}
	return st, nil
}
