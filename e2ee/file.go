package e2ee

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/candor-xmpp/candor/e2ee/internal/gcmstream"
)

// XEP-0454 (OMEMO media sharing): a file is encrypted with AES-256-GCM
// under a fresh key and 12-byte IV, the 16-byte tag is appended to the
// uploaded ciphertext, and key and IV travel in the aesgcm:// link inside
// the OMEMO-encrypted message. Streams are processed in constant memory.

// FileTagSize is what encryption adds to a file's size.
const FileTagSize = gcmstream.TagSize

// MaxFileSize is AES-GCM's limit on one plaintext (just under 64 GiB).
const MaxFileSize = gcmstream.MaxSize

var (
	// ErrFileAuthentication: the file's GCM tag did not verify; it was
	// tampered with, truncated, or the key is wrong. Nothing was written.
	ErrFileAuthentication = errors.New("file authentication failed")
	// ErrFileTruncated: the stream is shorter than a tag.
	ErrFileTruncated = errors.New("encrypted file is shorter than its tag")
)

// FileKey is the key and IV of one encrypted file.
type FileKey struct {
	Key [32]byte
	// IV is 12 bytes; 16 is accepted from old aesgcm:// links.
	IV []byte
}

// NewFileKey draws a fresh key and 12-byte IV from rnd (crypto/rand.Reader
// when nil). Never encrypt two files under one FileKey.
func NewFileKey(rnd io.Reader) (FileKey, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	k := FileKey{IV: make([]byte, 12)}
	if _, err := io.ReadFull(rnd, k.Key[:]); err != nil {
		return FileKey{}, err
	}
	if _, err := io.ReadFull(rnd, k.IV); err != nil {
		return FileKey{}, err
	}
	return k, nil
}

func (k FileKey) stream() (*gcmstream.Stream, error) {
	if len(k.IV) != 12 && len(k.IV) != 16 {
		return nil, fmt.Errorf("e2ee: file IV is %d bytes, want 12 or 16", len(k.IV))
	}
	return gcmstream.New(k.Key[:], k.IV)
}

// NewFileEncrypter returns a reader of src's encryption: the ciphertext
// followed by the tag, EncryptedSize(n) bytes for n bytes of src. It is
// what an HTTP upload reads.
func NewFileEncrypter(src io.Reader, key FileKey) (io.Reader, error) {
	s, err := key.stream()
	if err != nil {
		return nil, err
	}
	return &encReader{src: src, s: s}, nil
}

// EncryptedSize is the size of the upload for a file of n bytes.
func EncryptedSize(n int64) int64 { return n + FileTagSize }

type encReader struct {
	src  io.Reader
	s    *gcmstream.Stream
	tag  []byte
	done bool
}

func (r *encReader) Read(p []byte) (int, error) {
	if r.done {
		if len(r.tag) == 0 {
			return 0, io.EOF
		}
		n := copy(p, r.tag)
		r.tag = r.tag[n:]
		return n, nil
	}
	n, err := r.src.Read(p)
	if n > 0 {
		if err := r.s.Encrypt(p[:n], p[:n]); err != nil {
			return 0, err
		}
	}
	if err == io.EOF {
		r.done = true
		t := r.s.Tag()
		r.tag = t[:]
		if n == 0 {
			return r.Read(p)
		}
		return n, nil
	}
	return n, err
}

// EncryptFile writes src's encryption (ciphertext, then tag) to dst and
// returns the number of bytes written.
func EncryptFile(dst io.Writer, src io.Reader, key FileKey) (int64, error) {
	r, err := NewFileEncrypter(src, key)
	if err != nil {
		return 0, err
	}
	return io.CopyBuffer(dst, r, make([]byte, 64<<10))
}

// DecryptFile decrypts the stream src (ciphertext then tag) into the file
// dstPath. Plaintext goes to a temporary file beside dstPath, which is
// renamed to dstPath only after the tag verified; on any failure it is
// removed, and dstPath is left as it was. It returns the plaintext size.
// A file already at dstPath is replaced.
func DecryptFile(dstPath string, src io.Reader, key FileKey) (n int64, err error) {
	s, err := key.stream()
	if err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dstPath), "."+filepath.Base(dstPath)+".*.part")
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if n, err = decryptStream(tmp, src, s); err != nil {
		return 0, err
	}
	if err = tmp.Sync(); err != nil {
		return 0, err
	}
	if err = tmp.Close(); err != nil {
		return 0, err
	}
	if err = os.Rename(tmp.Name(), dstPath); err != nil {
		return 0, err
	}
	return n, nil
}

// decryptStream decrypts to w, holding back the last 16 bytes read, which
// are the tag once src ends.
func decryptStream(w io.Writer, src io.Reader, s *gcmstream.Stream) (int64, error) {
	const tag = gcmstream.TagSize
	buf := make([]byte, 64<<10+tag)
	have, total := 0, int64(0)
	for {
		n, rerr := src.Read(buf[have:])
		have += n
		if have > tag {
			body := buf[:have-tag]
			if err := s.Decrypt(body, body); err != nil {
				return 0, fmt.Errorf("e2ee: file: %w", err)
			}
			if _, err := w.Write(body); err != nil {
				return 0, err
			}
			total += int64(len(body))
			copy(buf, buf[have-tag:have])
			have = tag
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return 0, rerr
		}
	}
	if have < tag {
		return 0, ErrFileTruncated
	}
	if !s.Verify(buf[:tag]) {
		return 0, ErrFileAuthentication
	}
	return total, nil
}
