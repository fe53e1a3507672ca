package scanhook

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/scanhook/pdq"
)

// pattern draws a deterministic test picture: a grid of blocks whose
// levels come from a generator seeded with seed, so that different seeds
// hash far apart and every picture has enough texture for PDQ quality 100.
func pattern(seed, w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	state := uint64(seed)*0x9e3779b97f4a7c15 + 1
	next := func() uint8 {
		state ^= state << 13
		state ^= state >> 7
		state ^= state << 17
		return uint8(state >> 56)
	}
	const grid = 12
	var levels [grid][grid][3]uint8
	for i := range levels {
		for j := range levels[i] {
			levels[i][j] = [3]uint8{next(), next(), next()}
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := levels[y*grid/h][x*grid/w]
			img.SetRGBA(x, y, color.RGBA{c[0], c[1], c[2], 255})
		}
	}
	return img
}

// flat is an almost featureless image: PDQ quality near 0.
func flat(w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetGray(x, y, color.Gray{Y: uint8(100 + x/40)})
		}
	}
	return img
}

// rotate90 turns an image a quarter.
func rotate90(src image.Image) *image.RGBA {
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			dst.Set(y, b.Dx()-1-x, src.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return dst
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// animatedGIF makes a GIF of n frames, frame i drawn from seed i.
func animatedGIF(t testing.TB, n int) []byte {
	t.Helper()
	g := &gif.GIF{}
	for i := 0; i < n; i++ {
		src := pattern(10+i, 64, 64)
		p := image.NewPaletted(src.Bounds(), palette.Plan9)
		for y := 0; y < 64; y++ {
			for x := 0; x < 64; x++ {
				p.Set(x, y, src.At(x, y))
			}
		}
		g.Image = append(g.Image, p)
		g.Delay = append(g.Delay, 10)
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func hashOf(t testing.TB, img image.Image) pdq.Hash {
	t.Helper()
	h, _, err := pdq.HashImage(img)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func attach(name string, b []byte) Attachment {
	return Attachment{Name: name, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }}
}

func dataURI(mediaType string, b []byte) string {
	return "data:" + mediaType + ";base64," + base64.StdEncoding.EncodeToString(b)
}

// pdqList builds a demo PDQ list; entries are "id class hash".
func pdqList(t testing.TB, entries ...[3]string) *List {
	t.Helper()
	var b strings.Builder
	b.WriteString(ListHeader + "\n# kind: pdq\n# name: test-pdq\n")
	for _, e := range entries {
		fmt.Fprintf(&b, "%s\t%s\t%s\tDEMO ENTRY: test picture %s\n", e[0], e[2], e[1], e[0])
	}
	l, err := ParseList("test-pdq.list", strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// testLists are the embedded URL and lexicon demo lists with a PDQ list of
// generated pictures: seed 1 known, seed 2 new.
func testLists(t testing.TB) *Lists {
	t.Helper()
	ls, err := DemoLists()
	if err != nil {
		t.Fatal(err)
	}
	ls.PDQ = pdqList(t,
		[3]string{"PIC-KNOWN", "known", hashOf(t, pattern(1, 256, 256)).String()},
		[3]string{"PIC-NEW", "new", hashOf(t, pattern(2, 256, 256)).String()},
		[3]string{"PIC-FLAT", "known", hashOf(t, flat(256, 256)).String()})
	return ls
}

func newTestPipeline(t testing.TB, s Settings, opts Options) *Pipeline {
	t.Helper()
	if opts.Lists == nil {
		opts.Lists = testLists(t)
	}
	opts.Settings = s
	p, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func check(t testing.TB, p *Pipeline, msg Message) *Result {
	t.Helper()
	res, err := p.Check(context.Background(), msg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// partsOf returns the parts of a kind.
func partsOf(res *Result, k PartKind) []Part {
	var out []Part
	for _, p := range res.Parts {
		if p.Kind == k {
			out = append(out, p)
		}
	}
	return out
}

func onePart(t testing.TB, res *Result, k PartKind) Part {
	t.Helper()
	ps := partsOf(res, k)
	if len(ps) != 1 {
		t.Fatalf("%d parts of kind %s, want 1: %+v", len(ps), k, res.Parts)
	}
	return ps[0]
}
