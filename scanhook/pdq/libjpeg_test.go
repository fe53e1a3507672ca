package pdq

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/testenv"
)

// cjpegEncode encodes img with libjpeg-turbo's cjpeg (quality 90 unless
// args say otherwise), so every kind of JPEG the reference meets can be
// tested, which Go's encoder (baseline 4:2:0 only) cannot make.
func cjpegEncode(t *testing.T, cjpeg string, img *image.NRGBA, args ...string) []byte {
	t.Helper()
	var ppm bytes.Buffer
	b := img.Rect
	fmt.Fprintf(&ppm, "P6\n%d %d\n255\n", b.Dx(), b.Dy())
	for i := 0; i < len(img.Pix); i += 4 {
		ppm.Write(img.Pix[i : i+3])
	}
	cmd := exec.Command(cjpeg, append([]string{"-quality", "90"}, args...)...)
	cmd.Stdin = &ppm
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cjpeg %v: %v", args, err)
	}
	return out
}

// TestLibjpegColourConversion compares, pixel by pixel, our upsampling and
// colour conversion of Go's decoded planes with libjpeg's output (djpeg)
// for every subsampling and for narrow and odd sizes. Only the IDCTs
// differ (Go's against libjpeg's ISLOW), which moves a channel by a few
// levels; a wrong upsampler or colour table shows as large errors at
// chroma edges, as the standard library's own conversion does here.
func TestLibjpegColourConversion(t *testing.T) {
	cjpeg, djpeg := testenv.LookPath(t, "cjpeg"), testenv.LookPath(t, "djpeg")
	sizes := []image.Point{{1, 9}, {2, 7}, {3, 5}, {5, 6}, {7, 7}, {17, 9}, {33, 21}, {65, 47}, {100, 37}}
	for _, sample := range []string{"1x1", "2x1", "1x2", "2x2", "4x1", "4x2"} {
		worstOurs, worstStd := 0, 0
		for k, size := range sizes {
			img := synthetic(size.X, size.Y, uint64(k+1))
			data := cjpegEncode(t, cjpeg, img, "-sample", sample)
			want := libjpegPixels(t, djpeg, data)
			got, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			m, ok := got.(*image.YCbCr)
			if !ok {
				t.Fatalf("%s: Go decoded %T", sample, got)
			}
			p := ycbcrPlanes(m)
			xs := make([]int, size.X)
			for i := range xs {
				xs[i] = i
			}
			var v [3][]int
			for i := range v {
				v[i] = make([]int, size.X)
			}
			for y := range size.Y {
				for i := range v {
					p.comps[i].row(y, xs, v[i])
				}
				for x := range size.X {
					r, g, b := p.toRGB(v[0][x], v[1][x], v[2][x])
					w := want.(*image.NRGBA).NRGBAAt(x, y)
					s := color.NRGBAModel.Convert(m.At(x, y)).(color.NRGBA)
					worstOurs = max(worstOurs, absDiff(r, w.R), absDiff(g, w.G), absDiff(b, w.B))
					worstStd = max(worstStd, absDiff(s.R, w.R), absDiff(s.G, w.G), absDiff(s.B, w.B))
				}
			}
		}
		t.Logf("-sample %s: worst channel error %d (standard library's conversion: %d)", sample, worstOurs, worstStd)
		if worstOurs > 3 {
			t.Errorf("-sample %s: a channel is %d levels from libjpeg's", sample, worstOurs)
		}
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// ourPixels converts a DecodeImage result to pixels as HashImage sees them
// (libjpeg's upsampling and colour conversion), for comparison with djpeg.
func ourPixels(t *testing.T, img image.Image) image.Image {
	t.Helper()
	var p *jpegPlanes
	switch m := img.(type) {
	case *image.Gray:
		return m
	case *image.YCbCr:
		p = ycbcrPlanes(m)
	case *jpegPlanes:
		p = m
	default:
		t.Fatalf("decoded to %T", img)
	}
	w, h := p.rect.Dx(), p.rect.Dy()
	out := image.NewNRGBA(p.rect)
	xs := make([]int, w)
	for i := range xs {
		xs[i] = i
	}
	v := [3][]int{make([]int, w), make([]int, w), make([]int, w)}
	for y := range h {
		for i := range v {
			p.comps[i].row(y, xs, v[i])
		}
		for x := range w {
			r, g, b := p.toRGB(v[0][x], v[1][x], v[2][x])
			out.SetNRGBA(x, y, color.NRGBA{r, g, b, 255})
		}
	}
	return out
}

func samePixels(a, b image.Image) (bool, string) {
	if a.Bounds() != b.Bounds() {
		return false, fmt.Sprintf("bounds %v vs %v", a.Bounds(), b.Bounds())
	}
	if na, ok := a.(*image.NRGBA); ok {
		if nb, ok := b.(*image.NRGBA); ok && na.Stride == nb.Stride && bytes.Equal(na.Pix, nb.Pix) {
			return true, ""
		}
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if ca, cb := color.NRGBAModel.Convert(a.At(x, y)), color.NRGBAModel.Convert(b.At(x, y)); ca != cb {
				return false, fmt.Sprintf("pixel (%d,%d): %v vs libjpeg %v", x, y, ca, cb)
			}
		}
	}
	return true, ""
}

// TestDecoderMatchesLibjpeg: our JPEG decoding gives byte for byte the
// pixels of libjpeg-turbo's djpeg, for files made by cjpeg in every
// subsampling, baseline and progressive, with restart markers, optimised
// and 16-bit quantisation tables, greyscale and RGB, at odd sizes.
func TestDecoderMatchesLibjpeg(t *testing.T) {
	cjpeg, djpeg := testenv.LookPath(t, "cjpeg"), testenv.LookPath(t, "djpeg")
	sizes := []image.Point{{1, 9}, {2, 7}, {3, 5}, {7, 7}, {17, 9}, {33, 21}, {65, 47}, {130, 67}}
	variants := [][]string{
		{"-sample", "1x1"}, {"-sample", "2x1"}, {"-sample", "1x2"}, {"-sample", "2x2"}, {"-sample", "4x1"}, {"-sample", "4x2"},
		{"-sample", "2x2", "-progressive"}, {"-sample", "2x1", "-progressive", "-restart", "1"},
		{"-sample", "1x1", "-progressive", "-quality", "2"}, {"-sample", "2x2", "-restart", "1B"},
		{"-sample", "2x2", "-optimize"}, {"-grayscale"}, {"-grayscale", "-progressive"}, {"-rgb"},
		{"-sample", "1x1,2x2,1x1"}, {"-sample", "2x2,1x1,2x1", "-progressive"},
	}
	for _, args := range variants {
		for k, size := range sizes {
			img := synthetic(size.X, size.Y, uint64(k+7))
			data := cjpegEncode(t, cjpeg, img, args...)
			want := libjpegPixels(t, djpeg, data)
			got, _, err := DecodeImage(bytes.NewReader(data), Limits{})
			if err != nil {
				t.Fatalf("cjpeg %v %v: %v", args, size, err)
			}
			if ok, why := samePixels(ourPixels(t, got), want); !ok {
				t.Errorf("cjpeg %v, %dx%d: %s", args, size.X, size.Y, why)
			}
		}
	}
}

// TestDecoderMatchesLibjpegOnShared: the same on the reference's images.
func TestDecoderMatchesLibjpegOnShared(t *testing.T) {
	djpeg := testenv.LookPath(t, "djpeg")
	dir := pdqDir(t)
	for _, r := range readExpected(t) {
		data, err := os.ReadFile(filepath.Join(dir, r.path))
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := DecodeImage(bytes.NewReader(data), Limits{})
		if err != nil {
			t.Fatalf("%s: %v", r.path, err)
		}
		if ok, why := samePixels(ourPixels(t, got), libjpegPixels(t, djpeg, data)); !ok {
			t.Errorf("%s: %s", r.path, why)
		}
	}
}

// TestUnsupportedJPEG: an arithmetic-coded JPEG (which neither our decoder
// nor the standard library's decodes) is a clean one-line error.
func TestUnsupportedJPEG(t *testing.T) {
	cjpeg := testenv.LookPath(t, "cjpeg")
	data := cjpegEncode(t, cjpeg, synthetic(40, 30, 1), "-arithmetic")
	_, _, err := HashReader(bytes.NewReader(data))
	if err == nil || strings.Contains(err.Error(), "\n") {
		t.Errorf("arithmetic JPEG: %v", err)
	}
	t.Log(err)
}

// TestTruncatedLikeLibjpeg: a sequential JPEG cut inside its scan data
// decodes to libjpeg's pixels too: the block where the data ends is read
// with zero bits, the rest of the segment is flat grey, and a restart
// marker starts afresh. (A cut progressive JPEG does not: libjpeg then
// smooths the blocks whose AC coefficients are incomplete, which this
// decoder does not reproduce.)
func TestTruncatedLikeLibjpeg(t *testing.T) {
	cjpeg, djpeg := testenv.LookPath(t, "cjpeg"), testenv.LookPath(t, "djpeg")
	for _, args := range [][]string{{"-sample", "2x2"}, {"-sample", "2x1", "-optimize"}, {"-sample", "1x1", "-restart", "2"}} {
		data := cjpegEncode(t, cjpeg, synthetic(90, 70, 3), args...)
		for _, frac := range []int{40, 70, 95} {
			cut := data[:len(data)*frac/100]
			got, _, err := DecodeImage(bytes.NewReader(cut), Limits{})
			if err != nil {
				t.Fatalf("%v cut to %d%%: %v", args, frac, err)
			}
			cmd := exec.Command(djpeg, "-pnm")
			cmd.Stdin = bytes.NewReader(cut)
			out, _ := cmd.Output() // djpeg warns and exits non-zero, but writes the image
			want, err := readPNM(out)
			if err != nil {
				t.Fatalf("djpeg on %v cut to %d%%: %v", args, frac, err)
			}
			if ok, why := samePixels(ourPixels(t, got), want); !ok {
				t.Errorf("%v cut to %d%%: %s", args, frac, why)
			}
		}
	}
}
