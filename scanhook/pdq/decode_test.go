package pdq

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
)

func encoded(t testing.TB, format string, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&buf, img)
	case "jpeg":
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	case "gif":
		err = gif.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestHashReaderFormats(t *testing.T) {
	img := synthetic(120, 90, 11)
	want, _, _ := HashImage(img)
	for _, format := range []string{"png", "jpeg", "gif"} {
		data := encoded(t, format, img)
		if got := Sniff(data); got != format {
			t.Errorf("Sniff(%s) = %q", format, got)
		}
		h, q, err := HashReader(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		d := h.Distance(want)
		t.Logf("%s: %d bits from the pixels' hash, quality %d", format, d, q)
		if format == "png" && d != 0 {
			t.Errorf("lossless PNG is %d bits off", d)
		}
		if d > DefaultThreshold {
			t.Errorf("%s: %d bits off", format, d)
		}
	}
}

// pngWithSize rewrites the IHDR of a small PNG to claim w x h pixels.
func pngWithSize(t *testing.T, w, h uint32) []byte {
	data := encoded(t, "png", image.NewGray(image.Rect(0, 0, 8, 8)))
	data = bytes.Clone(data)
	ihdr := data[8+8 : 8+8+13] // after the signature, length and type
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	binary.BigEndian.PutUint32(data[8+8+13:], crc32.ChecksumIEEE(data[8+4:8+8+13]))
	return data
}

func TestLimits(t *testing.T) {
	// 20000 x 20000 claimed by a tiny file: refused from the header, so
	// nothing near 400 MB is ever allocated.
	if _, _, err := HashReader(bytes.NewReader(pngWithSize(t, 20000, 20000))); !errors.Is(err, ErrTooLarge) {
		t.Errorf("huge PNG: %v", err)
	}
	gifData := bytes.Clone(encoded(t, "gif", synthetic(16, 16, 1)))
	binary.LittleEndian.PutUint16(gifData[6:], 60000)
	binary.LittleEndian.PutUint16(gifData[8:], 60000)
	if _, _, err := HashReader(bytes.NewReader(gifData)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("huge GIF: %v", err)
	}
	small := encoded(t, "png", synthetic(64, 64, 1))
	if _, _, err := HashReaderLimits(bytes.NewReader(small), Limits{MaxBytes: int64(len(small)) - 1}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over MaxBytes: %v", err)
	}
	if _, _, err := HashReaderLimits(bytes.NewReader(small), Limits{MaxPixels: 64*64 - 1}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over MaxPixels: %v", err)
	}
	if _, _, err := HashReaderLimits(bytes.NewReader(small), Limits{MaxBytes: int64(len(small)), MaxPixels: 64 * 64}); err != nil {
		t.Errorf("at the limits: %v", err)
	}
}

func TestNotImages(t *testing.T) {
	for name, data := range map[string]string{
		"zip":   "PK\x03\x04\x14\x00\x00\x00",
		"pdf":   "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
		"text":  "https://blocked.example/picture.jpg",
		"empty": "",
		"webp":  "RIFF\x00\x00\x00\x00WEBPVP8 ",
	} {
		_, _, err := HashReader(strings.NewReader(data))
		if !errors.Is(err, ErrNotImage) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestTruncated: a PNG or GIF cut anywhere is an error, never a panic. A
// JPEG cut before its scan data is an error too; cut inside the scan data
// it still decodes, grey below the cut, as libjpeg (and so the reference)
// decodes it with a "premature end" warning.
func TestTruncated(t *testing.T) {
	for _, format := range []string{"png", "jpeg", "gif"} {
		data := encoded(t, format, synthetic(40, 30, 2))
		scanData := len(data) + 1
		if format == "jpeg" {
			sos := bytes.Index(data, []byte{0xff, 0xda})
			scanData = sos + 2 + int(data[sos+2])<<8 + int(data[sos+3])
		}
		for n := 0; n < len(data); n += 1 + n/16 {
			_, _, err := HashReader(bytes.NewReader(data[:n]))
			if n < scanData && err == nil {
				t.Errorf("%s cut to %d of %d bytes: no error", format, n, len(data))
			}
			if n >= scanData && err != nil {
				t.Errorf("%s cut to %d of %d bytes, inside the scan data: %v", format, n, len(data), err)
			}
		}
	}
}
