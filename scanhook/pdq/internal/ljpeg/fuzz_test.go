package ljpeg

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"github.com/candor-xmpp/candor/internal/testenv"
)

// FuzzDecode: arbitrary bytes never panic, and a decoded image's planes
// are as large as its declared size needs.
func FuzzDecode(f *testing.F) {
	img := image.NewNRGBA(image.Rect(0, 0, 19, 13))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 37)
	}
	for _, q := range []int{10, 90} {
		var b bytes.Buffer
		jpeg.Encode(&b, img, &jpeg.Options{Quality: q})
		f.Add(b.Bytes())
	}
	grey := image.NewGray(image.Rect(0, 0, 9, 9))
	grey.Set(3, 3, color.Gray{200})
	var b bytes.Buffer
	jpeg.Encode(&b, grey, nil)
	f.Add(b.Bytes())
	// Progressive and odd-sampled seeds from the shared reference images
	// when they are there (fuzzing only; the seeds above always run).
	shared := os.Getenv("CANDOR_SHARED")
	if shared == "" {
		shared = filepath.Join(testenv.ModuleRoot(f), "..", "shared")
	}
	for _, name := range []string{"misc-images/small.jpg", "misc-images/wee.jpg"} {
		if data, err := os.ReadFile(filepath.Join(shared, "testdata", "pdq", name)); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(data, 1<<20)
		if err != nil {
			return
		}
		for _, p := range m.Planes {
			if p.CW <= 0 || p.CH <= 0 || len(p.Pix) < p.Stride*(p.CH-1)+p.CW {
				t.Fatalf("plane %dx%d stride %d in %d bytes", p.CW, p.CH, p.Stride, len(p.Pix))
			}
		}
		if w, h, err := Config(data); err != nil || w != m.Width || h != m.Height {
			t.Fatalf("Config says %dx%d (%v), Decode %dx%d", w, h, err, m.Width, m.Height)
		}
	})
}
