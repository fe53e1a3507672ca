package pdq

import (
	"errors"
	"fmt"
	"image"
	"image/color"
)

const (
	// resizeDim is DOWNSAMPLE_DIMS in pdqio.cpp: larger images are first
	// resized to resizeDim x resizeDim, ignoring the aspect ratio.
	resizeDim = 512
	// minHashableDim is MIN_HASHABLE_DIM, checked after the pre-resize.
	minHashableDim = 5
)

// Luma coefficients as float32 constants, as in pdqhashing.cpp.
const (
	lumR float32 = 0.299
	lumG float32 = 0.587
	lumB float32 = 0.114
)

// ErrTooSmall is returned for images under 5 pixels on a side (after the
// pre-resize), which the reference hashes as all zeros with quality 0.
var ErrTooSmall = errors.New("image too small to hash")

// plane is a float32 luminance image, row-major.
type plane struct {
	w, h int
	pix  []float32
}

// luma is step 3 of the reference: (cR*R + cG*G) + cB*B in float32, each
// product rounded on its own (the conversions stop Go from fusing them).
func luma(r, g, b uint8) float32 {
	return float32(float32(lumR*float32(r))+float32(lumG*float32(g))) + float32(lumB*float32(b))
}

// lumaOf is steps 2 and 3: the nearest-neighbour pre-resize (only when a
// side exceeds 512, both sides then become 512; out(x,y) = in(x*W/512,
// y*H/512)) and the conversion to float luma. Resizing the luma instead of
// the RGB planes gives the same values, since luma is per pixel.
func lumaOf(img image.Image) (plane, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	ow, oh := w, h
	if w > resizeDim || h > resizeDim {
		ow, oh = resizeDim, resizeDim
	}
	if ow < minHashableDim || oh < minHashableDim {
		return plane{}, fmt.Errorf("pdq: %dx%d image: %w (under %d pixels on a side)", w, h, ErrTooSmall, minHashableDim)
	}
	xs := make([]int, ow)
	for x := range xs {
		xs[x] = x * w / ow
	}
	ys := make([]int, oh)
	for y := range ys {
		ys[y] = y * h / oh
	}
	p := plane{w: ow, h: oh, pix: make([]float32, ow*oh)}
	fillLuma(img, xs, ys, p.pix)
	return p, nil
}

// fillLuma writes the luma of the sampled pixels (xs, ys relative to the
// image's bounds) into dst, with fast paths for the decoders' image types.
func fillLuma(img image.Image, xs, ys []int, dst []float32) {
	b := img.Bounds()
	i := 0
	switch m := img.(type) {
	case *image.Gray:
		// Grey stays on a one-channel path: luma is the sample value, as the
		// reference does for one-channel images.
		for _, y := range ys {
			row := m.Pix[y*m.Stride:]
			for _, x := range xs {
				dst[i] = float32(row[x])
				i++
			}
		}
	case *image.Gray16:
		for _, y := range ys {
			row := m.Pix[y*m.Stride:]
			for _, x := range xs {
				dst[i] = float32(row[2*x]) // high byte: see the package doc
				i++
			}
		}
	case *image.YCbCr:
		if b.Min != (image.Point{}) {
			fillGeneric(img, xs, ys, dst)
			return
		}
		fillPlanes(ycbcrPlanes(m), xs, ys, dst)
	case *jpegPlanes:
		fillPlanes(m, xs, ys, dst)
	case *image.NRGBA:
		for _, y := range ys {
			row := m.Pix[y*m.Stride:]
			for _, x := range xs {
				dst[i] = luma(row[4*x], row[4*x+1], row[4*x+2])
				i++
			}
		}
	case *image.RGBA:
		for _, y := range ys {
			row := m.Pix[y*m.Stride:]
			for _, x := range xs {
				if row[4*x+3] == 0xff {
					dst[i] = luma(row[4*x], row[4*x+1], row[4*x+2])
				} else {
					dst[i] = lumaOfColor(m.RGBAAt(b.Min.X+x, b.Min.Y+y))
				}
				i++
			}
		}
	case *image.Paletted:
		var pal [256]float32
		for k, c := range m.Palette {
			if k < len(pal) {
				pal[k] = lumaOfColor(c)
			}
		}
		for _, y := range ys {
			row := m.Pix[y*m.Stride:]
			for _, x := range xs {
				dst[i] = pal[row[x]]
				i++
			}
		}
	default:
		fillGeneric(img, xs, ys, dst)
	}
}

func fillPlanes(p *jpegPlanes, xs, ys []int, dst []float32) {
	scratch := make([]int, 3*len(xs))
	for k, y := range ys {
		p.lumaRow(y, xs, scratch, dst[k*len(xs):(k+1)*len(xs)])
	}
}

func fillGeneric(img image.Image, xs, ys []int, dst []float32) {
	b := img.Bounds()
	i := 0
	for _, y := range ys {
		for _, x := range xs {
			dst[i] = lumaOfColor(img.At(b.Min.X+x, b.Min.Y+y))
			i++
		}
	}
}

// lumaOfColor hashes the stored (non-premultiplied) colour, alpha ignored,
// taking the high byte of 16-bit values. Grey colours keep the grey path.
func lumaOfColor(c color.Color) float32 {
	switch g := c.(type) {
	case color.Gray:
		return float32(g.Y)
	case color.Gray16:
		return float32(g.Y >> 8)
	}
	n := color.NRGBA64Model.Convert(c).(color.NRGBA64)
	return luma(uint8(n.R>>8), uint8(n.G>>8), uint8(n.B>>8))
}
