package e2ee_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/candor-xmpp/candor/e2ee"
	"github.com/candor-xmpp/candor/e2ee/internal/testrand"
)

func fileKey(t testing.TB, label string, ivLen int) e2ee.FileKey {
	k, err := e2ee.NewFileKey(testrand.New(label))
	if err != nil {
		t.Fatal(err)
	}
	if ivLen != 12 {
		k.IV = make([]byte, ivLen)
		io.ReadFull(testrand.New(label+"iv"), k.IV)
	}
	return k
}

func randomBytes(label string, n int) []byte {
	b := make([]byte, n)
	io.ReadFull(testrand.New(label), b)
	return b
}

func TestFileRoundTripMatchesGCM(t *testing.T) {
	for _, ivLen := range []int{12, 16} {
		for _, size := range []int{0, 1, 16, 65535, 65536, 65537, 300000} {
			key := fileKey(t, "file", ivLen)
			pt := randomBytes("pt", size)
			var enc bytes.Buffer
			n, err := e2ee.EncryptFile(&enc, iotest.HalfReader(bytes.NewReader(pt)), key)
			if err != nil || n != e2ee.EncryptedSize(int64(size)) {
				t.Fatalf("EncryptFile: %d, %v", n, err)
			}
			block, _ := aes.NewCipher(key.Key[:])
			gcm, _ := cipher.NewGCMWithNonceSize(block, ivLen)
			if want := gcm.Seal(nil, key.IV, pt, nil); !bytes.Equal(enc.Bytes(), want) {
				t.Fatalf("IV %d, size %d: not AES-256-GCM with the tag appended", ivLen, size)
			}
			dst := filepath.Join(t.TempDir(), "out")
			var src io.Reader = bytes.NewReader(enc.Bytes())
			if size < 1000 {
				src = iotest.OneByteReader(src) // the tag arrives split across reads
			}
			got, err := e2ee.DecryptFile(dst, src, key)
			if err != nil || got != int64(size) {
				t.Fatalf("DecryptFile: %d, %v", got, err)
			}
			if b, _ := os.ReadFile(dst); !bytes.Equal(b, pt) {
				t.Fatalf("size %d: decrypted file differs", size)
			}
		}
	}
}

func TestDecryptFileLeavesNothingOnFailure(t *testing.T) {
	key := fileKey(t, "f", 12)
	pt := randomBytes("p", 100000)
	var enc bytes.Buffer
	if _, err := e2ee.EncryptFile(&enc, bytes.NewReader(pt), key); err != nil {
		t.Fatal(err)
	}
	good := enc.Bytes()
	other := fileKey(t, "other", 12)
	cases := map[string]struct {
		src  io.Reader
		key  e2ee.FileKey
		want error
	}{
		"flipped ciphertext": {bytes.NewReader(flip(good, 500)), key, e2ee.ErrFileAuthentication},
		"flipped tag":        {bytes.NewReader(flip(good, len(good)-1)), key, e2ee.ErrFileAuthentication},
		"truncated":          {bytes.NewReader(good[:len(good)-1]), key, e2ee.ErrFileAuthentication},
		"appended":           {bytes.NewReader(append(append([]byte(nil), good...), 0)), key, e2ee.ErrFileAuthentication},
		"shorter than a tag": {bytes.NewReader(good[:15]), key, e2ee.ErrFileTruncated},
		"empty":              {bytes.NewReader(nil), key, e2ee.ErrFileTruncated},
		"wrong key":          {bytes.NewReader(good), other, e2ee.ErrFileAuthentication},
		"read error":         {io.MultiReader(bytes.NewReader(good[:70000]), iotest.ErrReader(io.ErrUnexpectedEOF)), key, io.ErrUnexpectedEOF},
	}
	for name, c := range cases {
		dir := t.TempDir()
		dst := filepath.Join(dir, "photo.jpg")
		if err := os.WriteFile(dst, []byte("previous"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := e2ee.DecryptFile(dst, c.src, c.key); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Errorf("%s: %d files left in the directory", name, len(entries))
		}
		if b, _ := os.ReadFile(dst); string(b) != "previous" {
			t.Errorf("%s: destination changed", name)
		}
	}
}

func flip(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 1
	return c
}

func TestAESGCMURL(t *testing.T) {
	key := fileKey(t, "url", 12)
	link, err := e2ee.FormatAESGCMURL("https://upload.example.org/abc/file%20name.jpg", key)
	if err != nil {
		t.Fatal(err)
	}
	frag := link[strings.IndexByte(link, '#')+1:]
	if !strings.HasPrefix(link, "aesgcm://upload.example.org/abc/file%20name.jpg#") || len(frag) != 88 || frag != strings.ToLower(frag) {
		t.Fatalf("link %q", link)
	}
	u, k, err := e2ee.ParseAESGCMURL(link)
	if err != nil || u != "https://upload.example.org/abc/file%20name.jpg" || k.Key != key.Key || !bytes.Equal(k.IV, key.IV) {
		t.Fatalf("parsed %q %x %v", u, k.IV, err)
	}
	// Old 16-byte IVs and upper-case hex.
	long := "AESGCM://h.example/f#" + strings.ToUpper(strings.Repeat("ab", 16)+strings.Repeat("cd", 32))
	if _, k, err := e2ee.ParseAESGCMURL(long); err != nil || len(k.IV) != 16 || k.Key[0] != 0xcd {
		t.Fatalf("96-digit fragment: %v", err)
	}
	secret := strings.Repeat("0f", 44)
	for _, bad := range []string{
		"https://h.example/f#" + secret,
		"aesgcm://h.example/f",
		"aesgcm://h.example/f#" + secret[:86],
		"aesgcm://h.example/f#" + secret + "00",
		"aesgcm://h.example/f#" + secret[:87] + "g",
		"aesgcm:///f#" + secret,
		"aesgcm://user:pw@h.example/f#" + secret,
		"aesgcm://h.example/a#b#" + secret,
	} {
		_, _, err := e2ee.ParseAESGCMURL(bad)
		if !errors.Is(err, e2ee.ErrBadURL) {
			t.Errorf("%q: %v", bad, err)
		} else if strings.Contains(err.Error(), secret[:40]) {
			t.Errorf("error repeats the key: %v", err)
		}
	}
	for _, bad := range []string{"http://h.example/f", "ftp://h/f", "https://h.example/f#frag", "https:///f"} {
		if _, err := e2ee.FormatAESGCMURL(bad, key); !errors.Is(err, e2ee.ErrBadURL) {
			t.Errorf("format %q: %v", bad, err)
		}
	}
}

// FuzzAESGCMURL: whatever parses formats back to an equivalent link, and
// to exactly the input when the input is in canonical form.
func FuzzAESGCMURL(f *testing.F) {
	f.Add("aesgcm://upload.example.org/x/y.jpg#" + strings.Repeat("a1", 44))
	f.Add("AesGcm://h:5281/f?q=1#" + strings.Repeat("B2", 48))
	f.Add("aesgcm://h/f#zz")
	f.Fuzz(func(t *testing.T, s string) {
		u, k, err := e2ee.ParseAESGCMURL(s)
		if err != nil {
			if !errors.Is(err, e2ee.ErrBadURL) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		out, err := e2ee.FormatAESGCMURL(u, k)
		if err != nil {
			t.Fatalf("parsed %q but cannot format it again: %v", s, err)
		}
		u2, k2, err := e2ee.ParseAESGCMURL(out)
		if err != nil || u2 != u || k2.Key != k.Key || !bytes.Equal(k2.IV, k.IV) {
			t.Fatalf("%q -> %q does not round-trip", s, out)
		}
		if canonical := strings.HasPrefix(s, "aesgcm://") && s[strings.LastIndexByte(s, '#'):] == strings.ToLower(s[strings.LastIndexByte(s, '#'):]); canonical && out != s {
			t.Fatalf("canonical %q formatted as %q", s, out)
		}
	})
}
