package pdq

import (
	"encoding/hex"
	"fmt"
	"math/bits"
)

const (
	// DefaultThreshold is the Hamming distance at or below which two hashes
	// are called a match (PDQ_CONFIDENT_MATCH_THRESHOLD in ThreatExchange).
	DefaultThreshold = 31
	// QualityGate is the lowest quality a hash needs to be used for
	// matching; ThreatExchange's QUALITY_THRESHOLD discards anything below.
	QualityGate = 50
	// Bits is the length of a hash in bits.
	Bits = 256
)

// Hash is a 256-bit PDQ hash, stored in the order the reference prints it:
// byte 0 is the first two hex digits. Read as a big-endian 256-bit number,
// its bit k (k = 16*i + j, least significant bit = 0) is DCT coefficient
// (i, j), i the vertical and j the horizontal frequency (pdqhashtypes.cpp).
type Hash [32]byte

// String gives the 64 lower-case hex digits the reference prints.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// ParseHash reads 64 hex digits (either case) as printed by the reference.
func ParseHash(s string) (Hash, error) {
	var h Hash
	if len(s) != 2*len(h) {
		return Hash{}, fmt.Errorf("pdq: hash %q: want 64 hex digits, got %d characters", clip(s), len(s))
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return Hash{}, fmt.Errorf("pdq: hash %q: not hex: %v", clip(s), err)
	}
	return h, nil
}

// Distance is the Hamming distance: the number of differing bits, 0..256.
func (h Hash) Distance(o Hash) int {
	n := 0
	for i := range h {
		n += bits.OnesCount8(h[i] ^ o[i])
	}
	return n
}

// Bit reports bit k (0..255) in the reference's numbering.
func (h Hash) Bit(k int) bool { return h[31-k/8]>>(k%8)&1 == 1 }

func (h *Hash) setBit(k int) { h[31-k/8] |= 1 << (k % 8) }

// clip keeps error messages one line and short for long inputs.
func clip(s string) string {
	const max = 80
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}
