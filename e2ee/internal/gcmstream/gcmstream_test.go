package gcmstream

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"io"
	"testing"

	"github.com/candor-xmpp/candor/e2ee/internal/testrand"
)

func rnd(label string, n int) []byte {
	b := make([]byte, n)
	io.ReadFull(testrand.New(label), b)
	return b
}

// reference seals with crypto/cipher.
func reference(t testing.TB, key, iv, pt []byte) []byte {
	block, _ := aes.NewCipher(key)
	aead, err := cipher.NewGCMWithNonceSize(block, len(iv))
	if err != nil {
		t.Fatal(err)
	}
	return aead.Seal(nil, iv, pt, nil)
}

// streamSeal encrypts pt written in pieces of the given sizes (cycled).
func streamSeal(t testing.TB, key, iv, pt []byte, pieces []int) []byte {
	s, err := New(key, iv)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]byte, len(pt))
	for off, i := 0, 0; off < len(pt); i++ {
		n := min(pieces[i%len(pieces)], len(pt)-off)
		if err := s.Encrypt(out[off:off+n], pt[off:off+n]); err != nil {
			t.Fatal(err)
		}
		off += n
	}
	tag := s.Tag()
	return append(out, tag[:]...)
}

func TestMatchesStandardGCM(t *testing.T) {
	sizes := []int{0, 1, 15, 16, 17, 31, 32, 33, 100, 1000, chunkSize - 1, chunkSize, chunkSize + 1, 3*chunkSize + 17}
	piecings := [][]int{{1 << 30}, {1}, {7, 16, 1000}, {chunkSize - 3}, {chunkSize + 5, 1}}
	for _, keyLen := range []int{16, 32} {
		for _, ivLen := range []int{12, 16, 8, 60} {
			key, iv := rnd("key", keyLen), rnd("iv", ivLen)
			for _, size := range sizes {
				pt := rnd("pt", size)
				want := reference(t, key, iv, pt)
				for _, p := range piecings {
					if size > 2000 && len(p) == 1 && p[0] == 1 {
						continue // byte-at-a-time over big inputs is slow and adds nothing
					}
					got := streamSeal(t, key, iv, pt, p)
					if !bytes.Equal(got, want) {
						t.Fatalf("key %d, IV %d, size %d, pieces %v: differs from crypto/cipher", keyLen, ivLen, size, p)
					}
					// And decryption gives back the plaintext and accepts the tag.
					s, _ := New(key, iv)
					dec := make([]byte, size)
					if err := s.Decrypt(dec, got[:size]); err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(dec, pt) || !s.Verify(got[size:]) {
						t.Fatalf("size %d: decryption failed", size)
					}
				}
			}
		}
	}
}

func TestWrongTagIsRejected(t *testing.T) {
	key, iv := rnd("k", 32), rnd("i", 12)
	pt := rnd("p", 5000)
	ct := reference(t, key, iv, pt)
	for _, pos := range []int{0, 2500, 4999, 5000, 5015} {
		bad := append([]byte(nil), ct...)
		bad[pos] ^= 0x40
		s, _ := New(key, iv)
		s.Decrypt(make([]byte, 5000), bad[:5000])
		if s.Verify(bad[5000:]) {
			t.Fatalf("flipped byte %d verified", pos)
		}
	}
}

// The counter's low 32 bits wrap around without carrying (inc32); checked
// against a block-at-a-time reference, from a J0 just below the wrap.
func TestCounterWrapsLike32BitIncrement(t *testing.T) {
	key := rnd("k", 32)
	block, _ := aes.NewCipher(key)
	s, _ := New(key, rnd("iv", 12))
	copy(s.j0[:12], rnd("j0", 12))
	binary.BigEndian.PutUint32(s.j0[12:], 0xfffffffd)
	s.startCTR(0xfffffffe)

	pt := rnd("p", 16*6+5)
	got := make([]byte, len(pt))
	s.xor(got[:20], pt[:20])
	s.xor(got[20:], pt[20:])

	want := make([]byte, len(pt))
	var cb, ks [16]byte
	copy(cb[:], s.j0[:])
	c := uint32(0xfffffffe)
	for off := 0; off < len(pt); off += 16 {
		binary.BigEndian.PutUint32(cb[12:], c)
		block.Encrypt(ks[:], cb[:])
		for i := off; i < min(off+16, len(pt)); i++ {
			want[i] = pt[i] ^ ks[i-off]
		}
		c++
	}
	if !bytes.Equal(got, want) {
		t.Fatal("keystream across the 32-bit wrap differs from inc32")
	}
}

func TestFieldArithmetic(t *testing.T) {
	one := element{hi: 1 << 63}
	x := load(rnd("x", 16))
	y := load(rnd("y", 16))
	if mul(x, one) != x || mul(one, x) != x {
		t.Fatal("1 is not the identity")
	}
	if mul(x, y) != mul(y, x) {
		t.Fatal("multiplication does not commute")
	}
	if pow(x, 5) != mul(mul(mul(x, x), mul(x, x)), x) {
		t.Fatal("pow")
	}
}

func BenchmarkStream(b *testing.B) {
	key, iv := rnd("k", 32), rnd("i", 12)
	buf := make([]byte, 1<<20)
	b.SetBytes(int64(len(buf)))
	s, _ := New(key, iv)
	for b.Loop() {
		s.Encrypt(buf, buf)
	}
}
