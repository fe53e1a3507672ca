package pdq

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzHashReader: arbitrary bytes never panic and never yield a quality
// outside 0..100. The limits keep each input's memory small (1 MP at most
// 8 bytes a pixel) however large a header claims the image to be.
func FuzzHashReader(f *testing.F) {
	for _, format := range []string{"png", "jpeg", "gif"} {
		f.Add(encoded(f, format, synthetic(24, 17, 3)))
	}
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte{0xff, 0xd8, 0xff, 0xe0})
	f.Add([]byte("GIF89a"))
	lim := Limits{MaxPixels: 1 << 20, MaxBytes: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, q, err := HashReaderLimits(bytes.NewReader(data), lim)
		if err != nil {
			if h != (Hash{}) || q != 0 || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q came with hash %s quality %d", err, h, q)
			}
			return
		}
		if q < 0 || q > 100 {
			t.Fatalf("quality %d", q)
		}
	})
}

// FuzzParseHash: whatever parses prints back as the same (lower-case)
// digits and parses again to the same hash.
func FuzzParseHash(f *testing.F) {
	f.Add("d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22")
	f.Add("D8F8F0CEE0F4A84F0637022A078F67F0B36E2ED596621E1D33E6339C4E9C9B22")
	f.Add("")
	f.Add("zz")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseHash(s)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if h.String() != strings.ToLower(s) {
			t.Fatalf("%q printed back as %s", s, h)
		}
		if h2, err := ParseHash(h.String()); err != nil || h2 != h {
			t.Fatalf("%s did not parse back: %v", h, err)
		}
	})
}
