package ratchet

import (
	"crypto/ecdh"

	"github.com/candor-xmpp/candor/e2ee/internal/curve"
	"github.com/candor-xmpp/candor/e2ee/internal/wire"
)

// PeerBundle is what X3DH needs from a peer's published bundle, with one
// one-time prekey already chosen.
type PeerBundle struct {
	Identity              [32]byte // legacy: Curve25519; OMEMO 2: Ed25519
	SignedPreKeyID        uint32
	SignedPreKey          [32]byte
	SignedPreKeySignature []byte
	PreKeyID              uint32
	PreKey                [32]byte
}

// VerifyBundle checks the signed prekey's signature: for legacy, over
// 0x05 ‖ key with the libsignal-style verifier; for OMEMO 2, plain Ed25519
// over the raw key. It also rejects low-order keys.
func VerifyBundle(v Version, b *PeerBundle) error {
	if err := curve.CheckX25519Public(b.SignedPreKey[:]); err != nil {
		return ErrInvalidKey
	}
	if err := curve.CheckX25519Public(b.PreKey[:]); err != nil {
		return ErrInvalidKey
	}
	var ok bool
	if v == Legacy {
		if err := curve.CheckX25519Public(b.Identity[:]); err != nil {
			return ErrInvalidKey
		}
		ok = curve.VerifyLegacy(b.Identity[:], wire.DjbKey(b.SignedPreKey), b.SignedPreKeySignature)
	} else {
		if _, err := curve.Ed25519ToCurve(b.Identity[:]); err != nil {
			return ErrInvalidKey
		}
		ok = curve.Verify(b.Identity[:], b.SignedPreKey[:], b.SignedPreKeySignature)
	}
	if !ok {
		return ErrBadSignature
	}
	return nil
}

// LocalIdentity is our identity key in v's wire encoding.
func LocalIdentity(v Version, id *curve.Identity) [32]byte {
	if v == Legacy {
		return id.Curve25519Public()
	}
	return id.Ed25519Public()
}

// identityDH is the Curve25519 form of an identity in v's encoding.
func identityDH(v Version, k [32]byte) ([32]byte, error) {
	if v == Legacy {
		return k, curve.CheckX25519Public(k[:])
	}
	return curve.Ed25519ToCurve(k[:])
}

var ffPadding = func() []byte {
	b := make([]byte, 32)
	for i := range b {
		b[i] = 0xff
	}
	return b
}()

// sharedSecret is X3DH's SK = HKDF(0xFF×32 ‖ DH1 ‖ DH2 ‖ DH3 ‖ DH4).
func (v Version) sharedSecret(dhs ...[]byte) [32]byte {
	ikm := append([]byte(nil), ffPadding...)
	for _, d := range dhs {
		ikm = append(ikm, d...)
	}
	var sk [32]byte
	copy(sk[:], deriveSecrets(ikm, zeroSalt, v.x3dhInfo(), 32))
	return sk
}

// Initiate runs X3DH as the initiator against a peer's bundle, after
// verifying it, and returns a session ready to send its first message.
// ephemeral and ratchetKey are 32 random bytes each: the X3DH ephemeral key
// and the first ratchet key.
func Initiate(v Version, local *curve.Identity, peer *PeerBundle, ephemeral, ratchetKey [32]byte) (*Session, error) {
	if err := VerifyBundle(v, peer); err != nil {
		return nil, err
	}
	peerIK, err := identityDH(v, peer.Identity)
	if err != nil {
		return nil, ErrInvalidKey
	}
	ek, err := curve.NewX25519(ephemeral[:])
	if err != nil {
		return nil, err
	}
	dh1, err1 := local.DH(peer.SignedPreKey[:])
	dh2, err2 := curve.DH(ek, peerIK[:])
	dh3, err3 := curve.DH(ek, peer.SignedPreKey[:])
	dh4, err4 := curve.DH(ek, peer.PreKey[:])
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
		return nil, ErrInvalidKey
	}
	s := &Session{
		Version:        v,
		LocalIdentity:  LocalIdentity(v, local),
		RemoteIdentity: peer.Identity,
		Initiator:      true,
		PreKeyID:       peer.PreKeyID,
		SignedPreKeyID: peer.SignedPreKeyID,
		Pending:        true,
		root:           v.sharedSecret(dh1, dh2, dh3, dh4),
	}
	copy(s.BaseKey[:], ek.PublicKey().Bytes())
	// The peer's first ratchet key is its signed prekey; we start with a
	// sending chain from a fresh ratchet key of ours.
	if err := s.setSendKey(ratchetKey); err != nil {
		return nil, err
	}
	priv, _ := curve.NewX25519(ratchetKey[:])
	dh, err := curve.DH(priv, peer.SignedPreKey[:])
	if err != nil {
		return nil, ErrInvalidKey
	}
	var ck [32]byte
	s.root, ck = v.kdfRoot(s.root, dh)
	s.send = chain{key: ck}
	return s, nil
}

// Respond runs X3DH as the responder to a key exchange, with our signed
// prekey and the one-time prekey the exchange names. The returned session
// has not decrypted anything yet; Record.Accept does that.
func Respond(v Version, local *curve.Identity, signedPreKey, preKey *ecdh.PrivateKey, kx *KeyExchange) (*Session, error) {
	peerIK, err := identityDH(v, kx.Identity)
	if err != nil {
		return nil, ErrInvalidKey
	}
	dh1, err1 := curve.DH(signedPreKey, peerIK[:])
	dh2, err2 := local.DH(kx.BaseKey[:])
	dh3, err3 := curve.DH(signedPreKey, kx.BaseKey[:])
	dh4, err4 := curve.DH(preKey, kx.BaseKey[:])
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
		return nil, ErrInvalidKey
	}
	s := &Session{
		Version:        v,
		LocalIdentity:  LocalIdentity(v, local),
		RemoteIdentity: kx.Identity,
		BaseKey:        kx.BaseKey,
		PreKeyID:       kx.PreKeyID,
		SignedPreKeyID: kx.SignedPreKeyID,
		root:           v.sharedSecret(dh1, dh2, dh3, dh4),
	}
	// Our signed prekey is our first ratchet key; the first message's ratchet
	// key starts the receiving chain (Session.step).
	var spk [32]byte
	copy(spk[:], signedPreKey.Bytes())
	if err := s.setSendKey(spk); err != nil {
		return nil, err
	}
	return s, nil
}
