package pdq

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"math/rand/v2"
)

// synthetic draws a deterministic test image: smooth colour waves, a few
// blocks and some noise, so that it has structure at every scale PDQ sees.
func synthetic(w, h int, seed uint64) *image.NRGBA {
	rng := rand.New(rand.NewPCG(seed, 1))
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	type block struct{ x0, y0, x1, y1 int }
	var blocks []block
	for range 6 {
		x0, y0 := rng.IntN(w), rng.IntN(h)
		blocks = append(blocks, block{x0, y0, x0 + 1 + rng.IntN(w/3+1), y0 + 1 + rng.IntN(h/3+1)})
	}
	fx, fy := 1+rng.Float64()*5, 1+rng.Float64()*5
	for y := range h {
		for x := range w {
			u, v := float64(x)/float64(w), float64(y)/float64(h)
			r := 128 + 90*math.Sin(2*math.Pi*fx*u+3*v)
			g := 128 + 90*math.Cos(2*math.Pi*fy*v-2*u)
			b := 255 * u * v
			for i, bl := range blocks {
				if x >= bl.x0 && x < bl.x1 && y >= bl.y0 && y < bl.y1 {
					r, g, b = float64(40*i), 255-float64(30*i), float64(50*i)
				}
			}
			n := float64(rng.IntN(21) - 10)
			m.SetNRGBA(x, y, color.NRGBA{clampF(r + n), clampF(g + n), clampF(b + n), 255})
		}
	}
	return m
}

func clampF(v float64) uint8 { return uint8(math.Max(0, math.Min(255, math.Round(v)))) }

// transform applies dihedral variant v (in DihedralNames order) to the
// pixels: the image-domain counterpart of dihedralDCT.
func transform(src image.Image, v int) *image.NRGBA {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if v == 1 || v == 3 || v == 6 || v == 7 {
		dw, dh = h, w
	}
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	for y := range dh {
		for x := range dw {
			var sx, sy int
			switch v {
			case 0:
				sx, sy = x, y
			case 1: // counter-clockwise
				sx, sy = w-1-y, x
			case 2:
				sx, sy = w-1-x, h-1-y
			case 3: // clockwise
				sx, sy = y, h-1-x
			case 4: // top to bottom
				sx, sy = x, h-1-y
			case 5: // left to right
				sx, sy = w-1-x, y
			case 6: // transpose
				sx, sy = y, x
			case 7: // anti-transpose
				sx, sy = w-1-y, h-1-x
			}
			dst.Set(x, y, src.At(b.Min.X+sx, b.Min.Y+sy))
		}
	}
	return dst
}

// nearest resizes by nearest neighbour, for making test images of a size.
func nearest(src image.Image, w, h int) *image.NRGBA {
	b := src.Bounds()
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			dst.Set(x, y, src.At(b.Min.X+x*b.Dx()/w, b.Min.Y+y*b.Dy()/h))
		}
	}
	return dst
}

// readPNM parses the binary PPM (P6) or PGM (P5) that djpeg writes.
func readPNM(data []byte) (image.Image, error) {
	r := bufio.NewReader(bytes.NewReader(data))
	var magic string
	var w, h, maxval int
	if _, err := fmt.Fscan(r, &magic, &w, &h, &maxval); err != nil {
		return nil, fmt.Errorf("pnm header: %v", err)
	}
	if _, err := r.ReadByte(); err != nil || maxval != 255 || w <= 0 || h <= 0 {
		return nil, fmt.Errorf("pnm header: unsupported %s %dx%d max %d", magic, w, h, maxval)
	}
	switch magic {
	case "P5":
		m := image.NewGray(image.Rect(0, 0, w, h))
		_, err := io.ReadFull(r, m.Pix)
		return m, err
	case "P6":
		m := image.NewNRGBA(image.Rect(0, 0, w, h))
		px := make([]byte, 3*w*h)
		if _, err := io.ReadFull(r, px); err != nil {
			return nil, err
		}
		for i := range w * h {
			copy(m.Pix[4*i:], px[3*i:3*i+3])
			m.Pix[4*i+3] = 255
		}
		return m, nil
	}
	return nil, fmt.Errorf("pnm: unsupported magic %q", magic)
}
