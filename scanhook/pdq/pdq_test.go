package pdq

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
)

func TestParseHashRoundTrip(t *testing.T) {
	const s = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22"
	h, err := ParseHash(strings.ToUpper(s))
	if err != nil {
		t.Fatal(err)
	}
	if h.String() != s {
		t.Fatalf("round trip gave %s", h)
	}
	for _, bad := range []string{"", "d8f8", s + "00", s[:63] + "g", strings.Repeat("é", 32)} {
		if _, err := ParseHash(bad); err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("ParseHash(%q): err %v, want a one-line error", bad, err)
		}
	}
}

// TestBitLayout pins the reference's layout (pdqhashtypes.cpp): bit
// k = 16i+j is bit j of word i, words printed from 15 down to 0, so bit 0
// is the lowest bit of the last hex digit and row i = 15 comes first.
func TestBitLayout(t *testing.T) {
	var h Hash
	h.setBit(0)
	if got := h.String(); got != strings.Repeat("0", 63)+"1" {
		t.Errorf("bit 0: %s", got)
	}
	h = Hash{}
	h.setBit(16*15 + 15) // row 15, column 15
	if got := h.String(); got != "8"+strings.Repeat("0", 63) {
		t.Errorf("bit 255: %s", got)
	}
	h = Hash{}
	h.setBit(16*1 + 4) // word 1 = hex digits 57..60
	if got := h.String(); got != strings.Repeat("0", 56)+"0010"+"0000" {
		t.Errorf("bit 20: %s", got)
	}
	if !h.Bit(20) || h.Bit(19) || h.Bit(21) {
		t.Error("Bit does not read what setBit wrote")
	}
}

func TestDistance(t *testing.T) {
	var zero, ones Hash
	for i := range ones {
		ones[i] = 0xff
	}
	if d := zero.Distance(ones); d != 256 {
		t.Errorf("zero vs ones: %d", d)
	}
	a, _ := ParseHash("d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22")
	b, _ := ParseHash("d8f8f0cee0f4a84f0637022a038f67f0b36e2ed596631e1d33e6339c4e9c9b22")
	if d := a.Distance(b); d != 2 || b.Distance(a) != 2 || a.Distance(a) != 0 {
		t.Errorf("distance %d, want 2", d)
	}
}

// Every hash of a real image has exactly 128 bits set: the threshold is
// the lower median of 256 distinct values.
func TestHalfTheBitsSet(t *testing.T) {
	h, q, err := HashImage(synthetic(300, 200, 1))
	if err != nil {
		t.Fatal(err)
	}
	var zero Hash
	if n := h.Distance(zero); n != 128 {
		t.Errorf("%d bits set, want 128", n)
	}
	if q < QualityGate {
		t.Errorf("quality %d of a detailed image", q)
	}
}

// TestDihedralOfTransformedPixels: hashing transformed pixels gives the
// corresponding dihedral variant exactly where the reference pipeline is
// symmetric: at 64x64 (no filter, decimation the identity) and at 320x320
// (window 3 is centred, cell centres fall symmetrically). At 512 (window 4
// takes 1 sample left and 2 right) the variant must still match at the
// default threshold.
func TestDihedralOfTransformedPixels(t *testing.T) {
	for _, size := range []int{64, 320, 512} {
		for seed := uint64(1); seed <= 3; seed++ {
			img := synthetic(size, size, seed)
			hs, q, err := HashImageDihedral(img)
			if err != nil {
				t.Fatal(err)
			}
			for v, name := range DihedralNames() {
				h, qv, err := HashImage(transform(img, v))
				if err != nil {
					t.Fatal(err)
				}
				d := h.Distance(hs[v])
				switch {
				case size != 512 && (d != 0 || qv != q):
					t.Errorf("%dx%d seed %d %s: %d bits from the dihedral variant, quality %d vs %d", size, size, seed, name, d, qv, q)
				case d > DefaultThreshold:
					t.Errorf("%dx%d seed %d %s: %d bits from the dihedral variant", size, size, seed, name, d)
				}
				if size == 512 {
					t.Logf("512x512 seed %d %-10s %2d bits", seed, name, d)
				}
			}
		}
	}
}

// TestRotationDoesNotMatch is the evasion the demo shows: without dihedral
// matching, a turned or mirrored image is far beyond the threshold.
func TestRotationDoesNotMatch(t *testing.T) {
	img := synthetic(400, 300, 7)
	h, _, _ := HashImage(img)
	for v := 1; v < 8; v++ {
		hv, _, _ := HashImage(transform(img, v))
		if d := h.Distance(hv); d <= DefaultThreshold {
			t.Errorf("%s: only %d bits from the original", DihedralNames()[v], d)
		}
	}
}

func TestTooSmall(t *testing.T) {
	for _, r := range []image.Rectangle{image.Rect(0, 0, 4, 100), image.Rect(0, 0, 100, 4), image.Rect(0, 0, 0, 0)} {
		if _, _, err := HashImage(image.NewGray(r)); !errors.Is(err, ErrTooSmall) {
			t.Errorf("%v: err %v, want ErrTooSmall", r, err)
		}
	}
	// The side check comes after the pre-resize: 4x600 becomes 512x512.
	if _, _, err := HashImage(synthetic(4, 600, 1)); err != nil {
		t.Errorf("4x600: %v", err)
	}
}

// TestPreResize: an image over 512 px is sampled at (x*W/512, y*H/512),
// top-left aligned, to exactly 512x512, aspect ratio ignored.
func TestPreResize(t *testing.T) {
	small := synthetic(512, 512, 3)
	big := image.NewNRGBA(image.Rect(0, 0, 1024, 1536))
	for y := range 1536 {
		for x := range 1024 {
			// The sampled pixels (x even, y multiple of 3) carry the image;
			// every other pixel is noise that must not be seen.
			c := small.NRGBAAt(x/2, y/3)
			if x%2 != 0 || y%3 != 0 {
				c = color.NRGBA{uint8(x * 7), uint8(y * 13), uint8(x ^ y), 255}
			}
			big.SetNRGBA(x, y, c)
		}
	}
	hs, qs, _ := HashImage(small)
	hb, qb, _ := HashImage(big)
	if hs != hb || qs != qb {
		t.Errorf("1024x1536: %s q %d, its 512x512 samples: %s q %d", hb, qb, hs, qs)
	}
}

// TestChannelPolicy: grey stays grey, 16-bit samples keep their high byte
// (equal to the reference when the samples are v*257), alpha is ignored,
// GIF-like paletted images hash their colours.
func TestChannelPolicy(t *testing.T) {
	src := synthetic(100, 80, 5)
	g8 := image.NewGray(src.Rect)
	g16 := image.NewGray16(src.Rect)
	translucent := image.NewNRGBA(src.Rect)
	pal := image.NewPaletted(src.Rect, nil)
	index := map[color.NRGBA]uint8{}
	for y := range 80 {
		for x := range 100 {
			c := src.NRGBAAt(x, y)
			v := c.G
			g8.SetGray(x, y, color.Gray{v})
			g16.SetGray16(x, y, color.Gray16{uint16(v) * 257})
			translucent.SetNRGBA(x, y, color.NRGBA{c.R, c.G, c.B, uint8(x)})
			q := color.NRGBA{c.R &^ 63, c.G &^ 63, c.B &^ 63, 255}
			k, ok := index[q]
			if !ok {
				k = uint8(len(pal.Palette))
				index[q] = k
				pal.Palette = append(pal.Palette, q)
			}
			pal.SetColorIndex(x, y, k)
		}
	}
	same := func(name string, a, b image.Image) {
		t.Helper()
		ha, qa, errA := HashImage(a)
		hb, qb, errB := HashImage(b)
		if errA != nil || errB != nil || ha != hb || qa != qb {
			t.Errorf("%s: %s q %d vs %s q %d (%v, %v)", name, ha, qa, hb, qb, errA, errB)
		}
	}
	same("16-bit grey v*257", g16, g8)
	same("alpha ignored", translucent, src)
	same("paletted = its colours", pal, transform(pal, 0))
	var buf bytes.Buffer
	if err := png.Encode(&buf, g16); err != nil {
		t.Fatal(err)
	}
	h16, _, err := HashReader(&buf)
	h8, _, _ := HashImage(g8)
	if err != nil || h16 != h8 {
		t.Errorf("16-bit grey PNG: %s (%v), 8-bit: %s", h16, err, h8)
	}
}

func TestInspect(t *testing.T) {
	img := synthetic(200, 150, 9)
	in, err := Inspect(img)
	if err != nil {
		t.Fatal(err)
	}
	h, q, _ := HashImage(img)
	if in.Hash != h || in.Quality != q {
		t.Errorf("Inspect gives %s q %d, HashImage %s q %d", in.Hash, in.Quality, h, q)
	}
	above := 0
	for i := range in.DCT {
		for j := range in.DCT[i] {
			if (in.DCT[i][j] > in.Median) != h.Bit(16*i+j) {
				t.Fatalf("bit %d disagrees with DCT and median", 16*i+j)
			}
			if in.DCT[i][j] > in.Median {
				above++
			}
		}
	}
	if above != 128 {
		t.Errorf("%d coefficients above the median", above)
	}
}

// TestBoxColumnsIsBox1D: the all-columns-at-once filter gives bit for bit
// what box1D gives column by column, for every window the reference uses.
func TestBoxColumnsIsBox1D(t *testing.T) {
	img := synthetic(37, 515, 4)
	w, h := 37, 515
	in := make([]float32, w*h)
	for i := range in {
		in[i] = luma(img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2])
	}
	for f := 1; f <= 5; f++ {
		want, got := make([]float32, w*h), make([]float32, w*h)
		for c := range w {
			box1D(in[c:], want[c:], w, h, f)
		}
		boxColumns(in, got, w, h, f)
		for i := range want {
			if want[i] != got[i] {
				t.Fatalf("window %d: sample %d is %v, box1D gives %v", f, i, got[i], want[i])
			}
		}
	}
}
