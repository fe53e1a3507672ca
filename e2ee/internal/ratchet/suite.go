// Package ratchet is X3DH and the Double Ratchet for both OMEMO versions:
// one engine, parameterised by a Version that fixes the KDF labels, the MAC
// length, the key encodings and the message framing.
//
// Legacy OMEMO (eu.siacs.conversations.axolotl) is libsignal v3: "WhisperText",
// "WhisperRatchet" and "WhisperMessageKeys", keys prefixed 0x05, an 8-byte MAC
// over sender identity ‖ receiver identity ‖ message. OMEMO 2
// (urn:xmpp:omemo:2) is XEP-0384 v0.8+: "OMEMO X3DH", "OMEMO Root Chain" and
// "OMEMO Message Key Material", raw keys, Ed25519 identities and a 16-byte MAC
// over initiator identity ‖ responder identity ‖ message.
//
// Nothing here touches storage: a Record is a value that the caller loads,
// updates through its methods, encodes and stores in one transaction.
package ratchet

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"

	"github.com/candor-xmpp/candor/e2ee/internal/wire"
)

// Version selects the protocol.
type Version uint8

const (
	// Legacy is OMEMO 0.3, libsignal's v3 wire format.
	Legacy Version = 1
	// OMEMO2 is XEP-0384 v0.8 and later.
	OMEMO2 Version = 2
)

func (v Version) String() string {
	switch v {
	case Legacy:
		return "legacy OMEMO"
	case OMEMO2:
		return "OMEMO 2"
	}
	return fmt.Sprintf("OMEMO version %d", v)
}

// Valid reports whether v is one of the two versions.
func (v Version) Valid() bool { return v == Legacy || v == OMEMO2 }

func (v Version) x3dhInfo() string {
	if v == Legacy {
		return "WhisperText"
	}
	return "OMEMO X3DH"
}

func (v Version) rootInfo() string {
	if v == Legacy {
		return "WhisperRatchet"
	}
	return "OMEMO Root Chain"
}

func (v Version) messageKeyInfo() string {
	if v == Legacy {
		return "WhisperMessageKeys"
	}
	return "OMEMO Message Key Material"
}

func (v Version) macSize() int {
	if v == Legacy {
		return wire.LegacyMACSize
	}
	return wire.MACSize
}

// encodeIdentity is an identity key as it enters the MAC's associated data:
// 0x05 ‖ Curve25519 for legacy, the raw Ed25519 key for OMEMO 2.
func (v Version) encodeIdentity(k [32]byte) []byte {
	if v == Legacy {
		return wire.DjbKey(k)
	}
	return append([]byte(nil), k[:]...)
}

var zeroSalt = make([]byte, sha256.Size)

// deriveSecrets is HKDF-SHA-256. Every use in OMEMO takes 32 to 80 bytes,
// far below HKDF's limit, so an error here is a programming error.
func deriveSecrets(ikm, salt []byte, info string, n int) []byte {
	out, err := hkdf.Key(sha256.New, ikm, salt, info, n)
	if err != nil {
		panic("ratchet: HKDF: " + err.Error())
	}
	return out
}

// kdfRoot is KDF_RK: the root key salts HKDF over a DH output, giving the
// next root key and a new chain key.
func (v Version) kdfRoot(rk [32]byte, dh []byte) (root, chain [32]byte) {
	out := deriveSecrets(dh, rk[:], v.rootInfo(), 64)
	copy(root[:], out[:32])
	copy(chain[:], out[32:])
	return root, chain
}

// kdfChain is KDF_CK: HMAC(ck, 0x01) is the message key seed and
// HMAC(ck, 0x02) the next chain key (libsignal ChainKey).
func kdfChain(ck [32]byte) (next, mk [32]byte) {
	h := hmac.New(sha256.New, ck[:])
	h.Write([]byte{1})
	h.Sum(mk[:0])
	h.Reset()
	h.Write([]byte{2})
	h.Sum(next[:0])
	return next, mk
}

// messageKeys expands a message key seed into the AES-256-CBC key, the
// HMAC-SHA-256 key and the CBC IV.
type messageKeys struct {
	enc, auth [32]byte
	iv        [16]byte
}

func (v Version) messageKeys(mk [32]byte) messageKeys {
	out := deriveSecrets(mk[:], zeroSalt, v.messageKeyInfo(), 80)
	var k messageKeys
	copy(k.enc[:], out[:32])
	copy(k.auth[:], out[32:64])
	copy(k.iv[:], out[64:])
	return k
}

func (v Version) mac(k *messageKeys, ad, body []byte) []byte {
	h := hmac.New(sha256.New, k.auth[:])
	h.Write(ad)
	h.Write(body)
	return h.Sum(nil)[:v.macSize()]
}

// sealCBC is AES-256-CBC with PKCS#7 padding.
func sealCBC(key [32]byte, iv [16]byte, plaintext []byte) []byte {
	block, _ := aes.NewCipher(key[:])
	pad := aes.BlockSize - len(plaintext)%aes.BlockSize
	buf := make([]byte, len(plaintext)+pad)
	copy(buf, plaintext)
	for i := len(plaintext); i < len(buf); i++ {
		buf[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(block, iv[:]).CryptBlocks(buf, buf)
	return buf
}

var errPadding = errors.New("bad CBC padding")

// openCBC decrypts and unpads. It runs only after the MAC has been
// verified, so the padding check is not a padding oracle.
func openCBC(key [32]byte, iv [16]byte, ciphertext []byte) ([]byte, error) {
	if len(ciphertext) == 0 || len(ciphertext)%aes.BlockSize != 0 {
		return nil, errPadding
	}
	block, _ := aes.NewCipher(key[:])
	buf := make([]byte, len(ciphertext))
	cipher.NewCBCDecrypter(block, iv[:]).CryptBlocks(buf, ciphertext)
	pad := int(buf[len(buf)-1])
	if pad == 0 || pad > aes.BlockSize {
		return nil, errPadding
	}
	for _, c := range buf[len(buf)-pad:] {
		if int(c) != pad {
			return nil, errPadding
		}
	}
	return buf[:len(buf)-pad], nil
}

func macEqual(a, b []byte) bool { return subtle.ConstantTimeCompare(a, b) == 1 }
