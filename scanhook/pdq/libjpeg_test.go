package pdq

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os/exec"
	"testing"

	"github.com/candor-xmpp/candor/internal/testenv"
)

// cjpegEncode encodes img with libjpeg-turbo's cjpeg at the given luma
// sampling factors (chroma 1x1), so every subsampling the reference meets
// can be tested, which Go's encoder (4:2:0 only) cannot make.
func cjpegEncode(t *testing.T, cjpeg string, img *image.NRGBA, sample string) []byte {
	t.Helper()
	var ppm bytes.Buffer
	b := img.Rect
	fmt.Fprintf(&ppm, "P6\n%d %d\n255\n", b.Dx(), b.Dy())
	for i := 0; i < len(img.Pix); i += 4 {
		ppm.Write(img.Pix[i : i+3])
	}
	cmd := exec.Command(cjpeg, "-quality", "90", "-sample", sample)
	cmd.Stdin = &ppm
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cjpeg -sample %s: %v", sample, err)
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
			data := cjpegEncode(t, cjpeg, img, sample)
			want := libjpegPixels(t, djpeg, data)
			got, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			m, ok := got.(*image.YCbCr)
			if !ok {
				t.Fatalf("%s: Go decoded %T", sample, got)
			}
			c := newJPEGColor(m)
			xs := make([]int, size.X)
			for i := range xs {
				xs[i] = i
			}
			cb, cr := make([]int, size.X), make([]int, size.X)
			for y := range size.Y {
				c.chromaRow(m.Cb, y, xs, cb)
				c.chromaRow(m.Cr, y, xs, cr)
				for x := range size.X {
					r, g, b := toRGB(int(m.Y[m.YOffset(x, y)]), cb[x]-128, cr[x]-128)
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
