package e2ee

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"io"
)

// The payload is the message body, encrypted once for all recipients; what
// the ratchet carries to each device is the key material that opens it.
//
// Legacy: AES-128-GCM with a random 16-byte key and a 12-byte IV; the
// ratchet carries key ‖ tag (32 bytes) and <payload> holds the ciphertext
// without its tag (Conversations, Dino, python-omemo). An empty message
// (KeyTransportElement) carries a random 16-byte key and no tag.
//
// OMEMO 2: a random 32-byte key expands with HKDF "OMEMO Payload" into an
// AES-256-CBC key, an HMAC-SHA-256 key and an IV; the ratchet carries
// key ‖ HMAC[:16] (48 bytes). An empty message carries 32 zero bytes.

const (
	// MaxPayloadSize bounds an encrypted message body. Files go through
	// XEP-0454 file encryption instead.
	MaxPayloadSize = 1 << 20
	legacyKeySize  = 16
	gcmTagSize     = 16
)

// sealPayload encrypts a message body for v. It returns the key material
// for the ratchet, the payload and (legacy only) the IV.
func sealPayload(v Version, rnd io.Reader, plaintext []byte) (material, payload, iv []byte, err error) {
	if len(plaintext) > MaxPayloadSize {
		return nil, nil, nil, fmt.Errorf("%w: message of %d bytes", ErrTooLarge, len(plaintext))
	}
	if v == Legacy {
		key := make([]byte, legacyKeySize)
		iv = make([]byte, 12)
		if _, err := io.ReadFull(rnd, key); err != nil {
			return nil, nil, nil, err
		}
		if _, err := io.ReadFull(rnd, iv); err != nil {
			return nil, nil, nil, err
		}
		block, _ := aes.NewCipher(key)
		gcm, _ := cipher.NewGCM(block)
		sealed := gcm.Seal(nil, iv, plaintext, nil)
		ct, tag := sealed[:len(plaintext)], sealed[len(plaintext):]
		return append(key, tag...), ct, iv, nil
	}
	key := make([]byte, 32)
	if _, err := io.ReadFull(rnd, key); err != nil {
		return nil, nil, nil, err
	}
	enc, auth, cbcIV := payloadKeys(key)
	payload = cbcSeal(enc, cbcIV, plaintext)
	return append(key, payloadMAC(auth, payload)...), payload, nil, nil
}

// emptyMaterial is the key material of an empty message: a random 16-byte
// key and a random 12-byte IV for legacy, 32 zero bytes for OMEMO 2.
func emptyMaterial(v Version, rnd io.Reader) (material, iv []byte, err error) {
	if v == OMEMO2 {
		return make([]byte, 32), nil, nil
	}
	material, iv = make([]byte, legacyKeySize), make([]byte, 12)
	if _, err := io.ReadFull(rnd, material); err != nil {
		return nil, nil, err
	}
	if _, err := io.ReadFull(rnd, iv); err != nil {
		return nil, nil, err
	}
	return material, iv, nil
}

// openPayload verifies and decrypts a payload with the key material the
// ratchet gave us. A nil payload is an empty message; its plaintext is nil.
func openPayload(v Version, material, payload, iv []byte) ([]byte, error) {
	if payload == nil {
		if v == Legacy && len(material) != legacyKeySize && len(material) != legacyKeySize+gcmTagSize {
			return nil, fmt.Errorf("%w: empty-message key material is %d bytes", ErrBadPayload, len(material))
		}
		if v == OMEMO2 && len(material) != 32 {
			return nil, fmt.Errorf("%w: empty-message key material is %d bytes", ErrBadPayload, len(material))
		}
		return nil, nil
	}
	if len(payload) > MaxPayloadSize {
		return nil, fmt.Errorf("%w: payload of %d bytes", ErrTooLarge, len(payload))
	}
	if v == Legacy {
		// Profanity and others send exactly key ‖ tag; the pre-2017 format
		// (tag at the end of the payload, 16-byte material) is not accepted.
		if len(material) != legacyKeySize+gcmTagSize {
			return nil, fmt.Errorf("%w: key material is %d bytes, want 32", ErrBadPayload, len(material))
		}
		if len(iv) != 12 && len(iv) != 16 {
			return nil, fmt.Errorf("%w: IV is %d bytes, want 12 or 16", ErrBadPayload, len(iv))
		}
		block, _ := aes.NewCipher(material[:legacyKeySize])
		gcm, _ := cipher.NewGCMWithNonceSize(block, len(iv))
		sealed := append(append([]byte(nil), payload...), material[legacyKeySize:]...)
		pt, err := gcm.Open(nil, iv, sealed, nil)
		if err != nil {
			return nil, ErrAuthentication
		}
		return nonNil(pt), nil
	}
	if len(material) != 48 {
		return nil, fmt.Errorf("%w: key material is %d bytes, want 48", ErrBadPayload, len(material))
	}
	enc, auth, cbcIV := payloadKeys(material[:32])
	if subtle.ConstantTimeCompare(payloadMAC(auth, payload), material[32:]) != 1 {
		return nil, ErrAuthentication
	}
	pt, err := cbcOpen(enc, cbcIV, payload)
	if err != nil {
		return nil, err
	}
	return nonNil(pt), nil
}

// nonNil keeps an empty body distinguishable from an empty message.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func payloadKeys(key []byte) (enc, auth, iv []byte) {
	out, err := hkdf.Key(sha256.New, key, make([]byte, 32), "OMEMO Payload", 80)
	if err != nil {
		panic("e2ee: HKDF: " + err.Error())
	}
	return out[:32], out[32:64], out[64:]
}

func payloadMAC(auth, ciphertext []byte) []byte {
	h := hmac.New(sha256.New, auth)
	h.Write(ciphertext)
	return h.Sum(nil)[:16]
}

func cbcSeal(key, iv, plaintext []byte) []byte {
	block, _ := aes.NewCipher(key)
	pad := aes.BlockSize - len(plaintext)%aes.BlockSize
	buf := make([]byte, len(plaintext)+pad)
	copy(buf, plaintext)
	for i := len(plaintext); i < len(buf); i++ {
		buf[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(buf, buf)
	return buf
}

// cbcOpen runs after the HMAC has been verified, so its padding errors are
// no oracle.
func cbcOpen(key, iv, ciphertext []byte) ([]byte, error) {
	if len(ciphertext) == 0 || len(ciphertext)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w: payload is not whole AES blocks", ErrBadPayload)
	}
	block, _ := aes.NewCipher(key)
	buf := make([]byte, len(ciphertext))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(buf, ciphertext)
	pad := int(buf[len(buf)-1])
	if pad == 0 || pad > aes.BlockSize {
		return nil, fmt.Errorf("%w: bad padding", ErrBadPayload)
	}
	for _, c := range buf[len(buf)-pad:] {
		if int(c) != pad {
			return nil, fmt.Errorf("%w: bad padding", ErrBadPayload)
		}
	}
	return buf[:len(buf)-pad], nil
}
