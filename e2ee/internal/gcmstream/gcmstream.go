// Package gcmstream is AES-GCM over a stream, in constant memory: the same
// bytes as crypto/cipher's GCM (ciphertext, then the 16-byte tag), but
// produced and checked incrementally, for XEP-0454 files of any size.
//
// crypto/cipher's AEAD wants the whole message at once. Here the CTR
// keystream comes from crypto/cipher's CTR mode and GHASH from a linear
// decomposition over crypto/cipher's GCM (see ghash), so both run on the
// standard library's hardware-accelerated code.
//
// Decryption releases plaintext before the tag is checked, as any streaming
// AEAD must. Callers must not expose it until Tag has been compared: the
// e2ee package writes it to a temporary file that is renamed into place
// only after the tag verified.
package gcmstream

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
	"errors"
)

// TagSize is the GCM tag length.
const TagSize = 16

// MaxSize is GCM's limit on the plaintext: 2^32-2 blocks.
const MaxSize = (1<<32 - 2) * 16

// ErrTooLong means the stream went past MaxSize.
var ErrTooLong = errors.New("gcmstream: stream longer than GCM allows")

// Stream is one encryption or decryption.
type Stream struct {
	block  cipher.Block
	j0     [16]byte
	ctr    cipher.Stream
	next   uint32 // low 32 bits of the counter block ctr starts from
	left   uint64 // bytes ctr can produce before the low 32 bits wrap
	hash   *ghash
	n      uint64
	failed bool
}

// New starts a stream under a 16-, 24- or 32-byte AES key with an IV of 12
// bytes (standard) or any other non-zero length (GHASH-derived J0, as for
// 16-byte IVs of old aesgcm:// links).
func New(key, iv []byte) (*Stream, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if len(iv) == 0 {
		return nil, errors.New("gcmstream: empty IV")
	}
	aux, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	var hb, mask [16]byte
	block.Encrypt(hb[:], hb[:])
	h := load(hb[:])
	mask[15] = 1
	block.Encrypt(mask[:], mask[:])

	s := &Stream{block: block, hash: newGHASH(aux, load(mask[:]), h)}
	if len(iv) == 12 {
		copy(s.j0[:], iv)
		s.j0[15] = 1
	} else {
		lens := make([]byte, 16)
		binary.BigEndian.PutUint64(lens[8:], uint64(len(iv))*8)
		padded := make([]byte, (len(iv)+15)/16*16)
		copy(padded, iv)
		ghashBlocks(h, append(padded, lens...)).store(s.j0[:])
	}
	s.startCTR(binary.BigEndian.Uint32(s.j0[12:]) + 1)
	return s, nil
}

// startCTR starts the keystream at counter block j0[:12] ‖ c. GCM
// increments only the low 32 bits (inc32), while cipher.NewCTR carries into
// the upper bits, so a CTR stream is used only up to the wrap.
func (s *Stream) startCTR(c uint32) {
	var cb [16]byte
	copy(cb[:12], s.j0[:12])
	binary.BigEndian.PutUint32(cb[12:], c)
	s.ctr = cipher.NewCTR(s.block, cb[:])
	s.next = c
	s.left = (1<<32 - uint64(c)) * 16
}

func (s *Stream) xor(dst, src []byte) {
	for len(src) > 0 {
		n := uint64(len(src))
		if n > s.left {
			n = s.left
		}
		s.ctr.XORKeyStream(dst[:n], src[:n])
		dst, src = dst[n:], src[n:]
		s.left -= n
		if s.left == 0 {
			s.startCTR(0)
		}
	}
}

func (s *Stream) count(n int) error {
	s.n += uint64(n)
	if s.n > MaxSize || s.failed {
		s.failed = true
		return ErrTooLong
	}
	return nil
}

// Encrypt encrypts src into dst (which may be src itself).
func (s *Stream) Encrypt(dst, src []byte) error {
	if err := s.count(len(src)); err != nil {
		return err
	}
	s.xor(dst[:len(src)], src)
	s.hash.write(dst[:len(src)])
	return nil
}

// Decrypt decrypts src into dst (which may be src itself). The plaintext is
// unauthenticated until Verify succeeds.
func (s *Stream) Decrypt(dst, src []byte) error {
	if err := s.count(len(src)); err != nil {
		return err
	}
	s.hash.write(src)
	s.xor(dst[:len(src)], src)
	return nil
}

// Tag finishes the stream and returns its tag.
func (s *Stream) Tag() [TagSize]byte {
	var ej0, t [16]byte
	s.block.Encrypt(ej0[:], s.j0[:])
	s.hash.sum().xor(load(ej0[:])).store(t[:])
	return t
}

// Verify finishes a decryption and compares its tag in constant time.
func (s *Stream) Verify(tag []byte) bool {
	t := s.Tag()
	return !s.failed && subtle.ConstantTimeCompare(t[:], tag) == 1
}
