// Package testrand is deterministic randomness for tests, benchmarks and
// vector generation: the ChaCha20 keystream under SHA-256 of a label, in the
// manner of filippo.io/age's testkit. It must never serve real keys.
package testrand

import (
	"crypto/sha256"
	"io"

	"golang.org/x/crypto/chacha20"
)

type reader struct{ c *chacha20.Cipher }

// New returns an endless deterministic stream for label.
func New(label string) io.Reader {
	key := sha256.Sum256([]byte("candor test randomness: " + label))
	c, err := chacha20.NewUnauthenticatedCipher(key[:], make([]byte, chacha20.NonceSize))
	if err != nil {
		panic(err)
	}
	return &reader{c}
}

func (r *reader) Read(p []byte) (int, error) {
	clear(p)
	r.c.XORKeyStream(p, p)
	return len(p), nil
}

// Fixed replays the given byte strings, in order, and then fails: for
// feeding recorded randomness (from python-omemo test vectors) into code
// whose draw order is known.
func Fixed(chunks ...[]byte) io.Reader {
	var all []byte
	for _, c := range chunks {
		all = append(all, c...)
	}
	return &fixed{all}
}

type fixed struct{ b []byte }

func (f *fixed) Read(p []byte) (int, error) {
	if len(f.b) == 0 {
		return 0, io.ErrUnexpectedEOF
	}
	n := copy(p, f.b)
	f.b = f.b[n:]
	return n, nil
}
