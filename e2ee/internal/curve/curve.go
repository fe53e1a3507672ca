// Package curve holds the Curve25519 and Ed25519 key handling that OMEMO
// needs beyond the standard library: one identity used as both an Ed25519 and
// an X25519 key, the libsignal-style signature check on legacy bundles, and
// the rejection of low-order points.
package curve

import (
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/sha512"
	"crypto/subtle"
	"errors"

	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"
)

// KeySize is the size of every public and private key handled here.
const KeySize = 32

var (
	// ErrKeySize means a key was not 32 bytes.
	ErrKeySize = errors.New("key is not 32 bytes")
	// ErrLowOrder means a public key is a point of small order (or not a
	// point at all), which would make a Diffie-Hellman output predictable.
	ErrLowOrder = errors.New("public key is a low-order point")
	// ErrNotOnCurve means an Ed25519 public key does not decode to a point.
	ErrNotOnCurve = errors.New("public key is not a valid Ed25519 point")
)

// Identity is one long-term identity key pair, kept as an Ed25519 seed as
// python-omemo does. The same scalar serves as the X25519 private key, so
// the Curve25519 form (used by legacy OMEMO and for fingerprints) and the
// Ed25519 form (used by OMEMO 2) are two encodings of one key.
type Identity struct {
	seed   [32]byte
	signer ed25519.PrivateKey
	dh     *ecdh.PrivateKey
	edPub  [32]byte
	curve  [32]byte
}

// NewIdentity derives the identity from its 32-byte seed.
func NewIdentity(seed []byte) (*Identity, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, errors.New("identity seed is not 32 bytes")
	}
	id := &Identity{signer: ed25519.NewKeyFromSeed(seed)}
	copy(id.seed[:], seed)
	copy(id.edPub[:], id.signer.Public().(ed25519.PublicKey))

	// RFC 8032 derives the Ed25519 scalar from SHA-512(seed)[:32]; X25519
	// clamps the same bytes the same way, so this is the same scalar and its
	// public key is the Montgomery form of the Ed25519 public key.
	h := sha512.Sum512(seed)
	dh, err := ecdh.X25519().NewPrivateKey(h[:32])
	if err != nil {
		return nil, err
	}
	id.dh = dh
	copy(id.curve[:], dh.PublicKey().Bytes())
	return id, nil
}

// Seed is the secret the identity was derived from.
func (id *Identity) Seed() [32]byte { return id.seed }

// Ed25519Public is the identity in Ed25519 form (OMEMO 2 wire format).
func (id *Identity) Ed25519Public() [32]byte { return id.edPub }

// Curve25519Public is the identity in Curve25519 (Montgomery u) form, the
// legacy wire format without its 0x05 prefix, and what fingerprints show.
func (id *Identity) Curve25519Public() [32]byte { return id.curve }

// DH is X25519 between the identity and a peer's public key.
func (id *Identity) DH(peer []byte) ([]byte, error) { return DH(id.dh, peer) }

// Sign is a plain Ed25519 signature (OMEMO 2 signed prekeys).
func (id *Identity) Sign(msg []byte) []byte { return ed25519.Sign(id.signer, msg) }

// SignLegacy signs msg for a legacy (libsignal) verifier. libsignal only
// knows the Curve25519 form of the identity, which loses the sign of the
// Edwards x coordinate; its verifier takes that sign from the otherwise
// always-zero top bit of the signature's last byte, so that is where it goes.
func (id *Identity) SignLegacy(msg []byte) []byte {
	sig := ed25519.Sign(id.signer, msg)
	sig[63] |= id.edPub[31] & 0x80
	return sig
}

// VerifyLegacy checks a signature made for libsignal's verifier (curve_sigs.c
// and its ports): the Curve25519 key is mapped to the Edwards point with the
// sign bit carried in sig[63], and an Ed25519 signature is checked against
// it. Signatures from XEdDSA signers (libsignal, Conversations), which always
// have that bit clear, and from Ed25519-native signers that set it
// (python-omemo, Candor) both verify. The caller's sig is not modified.
func VerifyLegacy(curvePub, msg, sig []byte) bool {
	if len(curvePub) != KeySize || len(sig) != ed25519.SignatureSize {
		return false
	}
	edPub, err := CurveToEd25519(curvePub, sig[63]>>7)
	if err != nil {
		return false
	}
	var s [64]byte
	copy(s[:], sig)
	s[63] &= 0x7f
	return ed25519.Verify(edPub[:], msg, s[:])
}

// Verify is plain Ed25519 verification with a low-order key check.
func Verify(edPub, msg, sig []byte) bool {
	if len(edPub) != KeySize || len(sig) != ed25519.SignatureSize {
		return false
	}
	if _, err := Ed25519ToCurve(edPub); err != nil {
		return false
	}
	return ed25519.Verify(edPub, msg, sig)
}

var feOne = new(field.Element).One()

// CurveToEd25519 maps a Montgomery u coordinate to the Edwards point
// y = (u-1)/(u+1) whose x has the given sign (0 or 1), in Ed25519 encoding.
func CurveToEd25519(u []byte, sign byte) ([32]byte, error) {
	var out [32]byte
	if len(u) != KeySize {
		return out, ErrKeySize
	}
	if err := CheckX25519Public(u); err != nil {
		return out, err
	}
	fu, err := new(field.Element).SetBytes(u)
	if err != nil {
		return out, ErrKeySize
	}
	num := new(field.Element).Subtract(fu, feOne)
	den := new(field.Element).Add(fu, feOne)
	y := new(field.Element).Multiply(num, new(field.Element).Invert(den))
	copy(out[:], y.Bytes())
	out[31] |= (sign & 1) << 7
	if _, err := new(edwards25519.Point).SetBytes(out[:]); err != nil {
		return out, ErrNotOnCurve
	}
	return out, nil
}

// Ed25519ToCurve maps an Ed25519 public key to its Montgomery u coordinate
// (RFC 7748's birational map), rejecting encodings that are not points and
// points of small order.
func Ed25519ToCurve(edPub []byte) ([32]byte, error) {
	var out [32]byte
	if len(edPub) != KeySize {
		return out, ErrKeySize
	}
	p, err := new(edwards25519.Point).SetBytes(edPub)
	if err != nil {
		return out, ErrNotOnCurve
	}
	if new(edwards25519.Point).MultByCofactor(p).Equal(edwards25519.NewIdentityPoint()) == 1 {
		return out, ErrLowOrder
	}
	copy(out[:], p.BytesMontgomery())
	return out, nil
}

// lowOrder lists the little-endian u coordinates (top bit cleared) of the
// X25519 points whose multiples by the cofactor are the identity, including
// their non-canonical encodings that still fit in 255 bits: 0, 1, the two
// points of order 8, p-1, p and p+1.
var lowOrder = [][32]byte{
	{},
	{1},
	{0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00},
	{0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1, 0x55, 0x9c, 0x83, 0xef, 0x5b, 0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c, 0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f, 0x11, 0x57},
	{0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
	{0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
	{0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
}

// CheckX25519Public rejects a 32-byte X25519 public key that is a low-order
// point. X25519 ignores the top bit, so the check does too. A key that
// passes is safe to keep for later Diffie-Hellman; crypto/ecdh would reject
// such keys too, but only when they are used.
func CheckX25519Public(u []byte) error {
	if len(u) != KeySize {
		return ErrKeySize
	}
	var k [32]byte
	copy(k[:], u)
	k[31] &= 0x7f
	bad := 0
	for i := range lowOrder {
		bad |= subtle.ConstantTimeCompare(k[:], lowOrder[i][:])
	}
	if bad == 1 {
		return ErrLowOrder
	}
	return nil
}

// NewX25519 makes an X25519 private key from 32 random bytes (clamped by
// X25519 itself, as libsignal and python-omemo do).
func NewX25519(b []byte) (*ecdh.PrivateKey, error) {
	if len(b) != KeySize {
		return nil, ErrKeySize
	}
	return ecdh.X25519().NewPrivateKey(b)
}

// DH is X25519 with a checked peer key. crypto/ecdh refuses an all-zero
// output, which is what low-order peer keys produce.
func DH(priv *ecdh.PrivateKey, peer []byte) ([]byte, error) {
	if err := CheckX25519Public(peer); err != nil {
		return nil, err
	}
	pub, err := ecdh.X25519().NewPublicKey(peer)
	if err != nil {
		return nil, ErrKeySize
	}
	out, err := priv.ECDH(pub)
	if err != nil {
		return nil, ErrLowOrder
	}
	return out, nil
}
