// Package wire encodes and decodes the OMEMO key-element formats: the
// libsignal v3 SignalMessage and PreKeySignalMessage of legacy OMEMO, and
// OMEMOMessage, OMEMOAuthenticatedMessage and OMEMOKeyExchange of OMEMO 2.
//
// Decoders are strict, in the manner of filippo.io/age's format package:
// they accept exactly the canonical protobuf encoding (fields in ascending
// order, each once, minimal varints, no unknown fields, every required field
// present), so that decoding then encoding gives back the input byte for
// byte. Every protobuf encoder in the wild that OMEMO peers use (protoc's
// for Java, C and Python) writes that form. MACs are computed over the bytes
// as received, never over a re-encoding.
package wire

import (
	"errors"
	"fmt"
)

// MaxSize bounds any key element. Real ones are under 300 bytes.
const MaxSize = 4096

// Error is a decoding failure: what was being decoded and why.
type Error struct {
	What   string // the message type, e.g. "SignalMessage"
	Reason string
}

func (e *Error) Error() string { return "malformed " + e.What + ": " + e.Reason }

// ErrMalformed matches every *Error with errors.Is.
var ErrMalformed = errors.New("malformed message")

func (e *Error) Is(target error) bool { return target == ErrMalformed }

func malformed(what, format string, args ...any) error {
	return &Error{What: what, Reason: fmt.Sprintf(format, args...)}
}

const (
	wireVarint = 0
	wireBytes  = 2
)

// field is one decoded protobuf field.
type field struct {
	num   int
	typ   int
	value uint64 // varint fields
	bytes []byte // length-delimited fields, aliasing the input
}

// parseFields splits b into fields, enforcing the canonical form: known
// field numbers with their expected wire type, strictly ascending.
func parseFields(what string, b []byte, types map[int]int) ([]field, error) {
	if len(b) > MaxSize {
		return nil, malformed(what, "%d bytes is over the %d-byte limit", len(b), MaxSize)
	}
	var out []field
	last := 0
	for len(b) > 0 {
		key, n, err := varint(b)
		if err != nil {
			return nil, malformed(what, "field key: %v", err)
		}
		b = b[n:]
		num, typ := int(key>>3), int(key&7)
		want, known := types[num]
		if key>>3 > 1<<29 || !known {
			return nil, malformed(what, "unknown field %d", key>>3)
		}
		if typ != want {
			return nil, malformed(what, "field %d has wire type %d, want %d", num, typ, want)
		}
		if num <= last {
			return nil, malformed(what, "field %d is repeated or out of order", num)
		}
		last = num
		f := field{num: num, typ: typ}
		switch typ {
		case wireVarint:
			f.value, n, err = varint(b)
			if err != nil {
				return nil, malformed(what, "field %d: %v", num, err)
			}
			b = b[n:]
		case wireBytes:
			l, n, err := varint(b)
			if err != nil {
				return nil, malformed(what, "field %d length: %v", num, err)
			}
			b = b[n:]
			if l > uint64(len(b)) {
				return nil, malformed(what, "field %d is truncated", num)
			}
			f.bytes = b[:l:l]
			b = b[l:]
		}
		out = append(out, f)
	}
	return out, nil
}

var (
	errVarintTruncated = errors.New("truncated varint")
	errVarintLong      = errors.New("varint is not minimally encoded or overflows")
)

// varint decodes a minimal base-128 varint.
func varint(b []byte) (uint64, int, error) {
	var v uint64
	for i := 0; i < 10; i++ {
		if i >= len(b) {
			return 0, 0, errVarintTruncated
		}
		c := b[i]
		if i == 9 && c > 1 {
			return 0, 0, errVarintLong
		}
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			if c == 0 && i > 0 {
				return 0, 0, errVarintLong // a trailing zero byte is padding
			}
			return v, i + 1, nil
		}
	}
	return 0, 0, errVarintLong
}

func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func appendUint(b []byte, num int, v uint32) []byte {
	b = appendVarint(b, uint64(num)<<3|wireVarint)
	return appendVarint(b, uint64(v))
}

func appendBytes(b []byte, num int, v []byte) []byte {
	b = appendVarint(b, uint64(num)<<3|wireBytes)
	b = appendVarint(b, uint64(len(v)))
	return append(b, v...)
}

// fieldSet gives typed access to decoded fields and reports missing
// required ones.
type fieldSet struct {
	what string
	f    map[int]field
}

func newFieldSet(what string, fs []field) fieldSet {
	m := make(map[int]field, len(fs))
	for _, f := range fs {
		m[f.num] = f
	}
	return fieldSet{what, m}
}

func (s fieldSet) has(num int) bool { _, ok := s.f[num]; return ok }

func (s fieldSet) uint32(num int, name string) (uint32, error) {
	f, ok := s.f[num]
	if !ok {
		return 0, malformed(s.what, "%s is missing", name)
	}
	if f.value > 0xffffffff {
		return 0, malformed(s.what, "%s %d does not fit in 32 bits", name, f.value)
	}
	return uint32(f.value), nil
}

func (s fieldSet) bytes(num int, name string) ([]byte, error) {
	f, ok := s.f[num]
	if !ok {
		return nil, malformed(s.what, "%s is missing", name)
	}
	return f.bytes, nil
}

// key32 reads a raw 32-byte key.
func (s fieldSet) key32(num int, name string) ([32]byte, error) {
	var k [32]byte
	b, err := s.bytes(num, name)
	if err != nil {
		return k, err
	}
	if len(b) != 32 {
		return k, malformed(s.what, "%s is %d bytes, want 32", name, len(b))
	}
	copy(k[:], b)
	return k, nil
}

// djbKey reads a libsignal public key: the type byte 0x05, then 32 bytes.
func (s fieldSet) djbKey(num int, name string) ([32]byte, error) {
	var k [32]byte
	b, err := s.bytes(num, name)
	if err != nil {
		return k, err
	}
	if len(b) != 33 || b[0] != DjbType {
		return k, malformed(s.what, "%s is not a 0x05-prefixed 33-byte Curve25519 key", name)
	}
	copy(k[:], b[1:])
	return k, nil
}
