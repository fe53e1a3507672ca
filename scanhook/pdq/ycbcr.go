package pdq

import (
	"image"
	"image/color"
)

// jpegPlanes turns a JPEG's component planes into RGB the way libjpeg
// (-turbo) does with its defaults, which the reference binary uses:
// "fancy" (triangle) upsampling and the 16.16 fixed-point YCbCr->RGB
// tables of jdcolor.c. It is an image.Image; pixels are computed on
// demand, so a large photo is never converted as a whole.
type jpegPlanes struct {
	rect  image.Rectangle // origin at (0, 0)
	comps [3]upsampler
	rgb   bool // the components are R, G, B: no colour conversion
}

// upsampler brings one component plane to full resolution.
type upsampler struct {
	pix    []uint8
	stride int
	hs, vs int // expansion factors: the maximum sampling factor over this one's
	cw, ch int // plane size (libjpeg's downsampled_width/height)
	mode   upsampling
}

type upsampling int

const (
	upNone      upsampling = iota // full resolution
	upReplicate                   // libjpeg's plain h2v1/h2v2/int upsampling
	upFancyH                      // h2v1_fancy_upsample
	upFancyV                      // h1v2_fancy_upsample
	upFancyHV                     // h2v2_fancy_upsample
)

func newUpsampler(pix []uint8, stride, hs, vs, w, h int) upsampler {
	u := upsampler{pix: pix, stride: stride, hs: hs, vs: vs, cw: (w + hs - 1) / hs, ch: (h + vs - 1) / vs}
	// libjpeg-turbo's jinit_upsampler: the triangle filter for h2v1 and h2v2
	// only when the plane is wider than 2, always for h1v2, and
	// replication for every other ratio.
	switch {
	case hs == 1 && vs == 1:
		u.mode = upNone
	case hs == 2 && vs == 1 && u.cw > 2:
		u.mode = upFancyH
	case hs == 2 && vs == 2 && u.cw > 2:
		u.mode = upFancyHV
	case hs == 1 && vs == 2:
		u.mode = upFancyV
	default:
		u.mode = upReplicate
	}
	return u
}

// ycbcrPlanes views a standard-library JPEG decode the same way.
func ycbcrPlanes(m *image.YCbCr) *jpegPlanes {
	hs, vs := 1, 1
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		hs = 2
	case image.YCbCrSubsampleRatio420:
		hs, vs = 2, 2
	case image.YCbCrSubsampleRatio440:
		vs = 2
	case image.YCbCrSubsampleRatio411:
		hs = 4
	case image.YCbCrSubsampleRatio410:
		hs, vs = 4, 2
	}
	w, h := m.Rect.Dx(), m.Rect.Dy()
	return &jpegPlanes{rect: image.Rect(0, 0, w, h), comps: [3]upsampler{
		newUpsampler(m.Y, m.YStride, 1, 1, w, h),
		newUpsampler(m.Cb, m.CStride, hs, vs, w, h),
		newUpsampler(m.Cr, m.CStride, hs, vs, w, h),
	}}
}

func (p *jpegPlanes) ColorModel() color.Model { return color.NRGBAModel }
func (p *jpegPlanes) Bounds() image.Rectangle { return p.rect }

func (p *jpegPlanes) At(x, y int) color.Color {
	if !image.Pt(x, y).In(p.rect) {
		return color.NRGBA{}
	}
	var v [3][1]int
	for i := range p.comps {
		p.comps[i].row(y, []int{x}, v[i][:])
	}
	r, g, b := p.toRGB(v[0][0], v[1][0], v[2][0])
	return color.NRGBA{r, g, b, 255}
}

func (p *jpegPlanes) toRGB(c0, c1, c2 int) (r, g, b uint8) {
	if p.rgb {
		return uint8(c0), uint8(c1), uint8(c2)
	}
	return toRGB(c0, c1-128, c2-128)
}

// lumaRow writes the luma of pixels (x, y) for x in xs; scratch holds
// 3*len(xs) ints.
func (p *jpegPlanes) lumaRow(y int, xs []int, scratch []int, dst []float32) {
	n := len(xs)
	c0, c1, c2 := scratch[:n], scratch[n:2*n], scratch[2*n:3*n]
	p.comps[0].row(y, xs, c0)
	p.comps[1].row(y, xs, c1)
	p.comps[2].row(y, xs, c2)
	for i := range xs {
		dst[i] = luma(p.toRGB(c0[i], c1[i], c2[i]))
	}
}

// toRGB is jdcolor.c's conversion: FIX(1.402)=91881, FIX(1.772)=116130,
// FIX(0.34414)=22554, FIX(0.71414)=46802, ONE_HALF=32768, arithmetic
// shift by 16, clamped.
func toRGB(y, cb, cr int) (r, g, b uint8) {
	return clamp255(y + (91881*cr+32768)>>16),
		clamp255(y + (-22554*cb+32768-46802*cr)>>16),
		clamp255(y + (116130*cb+32768)>>16)
}

// row writes the upsampled samples of output row y at columns xs, with
// libjpeg's rounding biases; edges are duplicated as libjpeg's context
// rows and special first and last columns do.
func (u *upsampler) row(y int, xs []int, dst []int) {
	p, stride := u.pix, u.stride
	switch u.mode {
	case upNone:
		row := p[y*stride:]
		for i, x := range xs {
			dst[i] = int(row[x])
		}
	case upReplicate:
		row := p[(y/u.vs)*stride:]
		for i, x := range xs {
			dst[i] = int(row[x/u.hs])
		}
	case upFancyH: // h2v1_fancy_upsample
		row := p[y*stride:]
		for i, x := range xs {
			col := x / 2
			switch {
			case x%2 == 0 && col == 0, x%2 == 1 && col == u.cw-1:
				dst[i] = int(row[col])
			case x%2 == 0:
				dst[i] = (3*int(row[col]) + int(row[col-1]) + 1) >> 2
			default:
				dst[i] = (3*int(row[col]) + int(row[col+1]) + 2) >> 2
			}
		}
	case upFancyV: // h1v2_fancy_upsample
		near, bias := u.nearRow(y)
		row, other := p[(y/2)*stride:], p[near*stride:]
		for i, x := range xs {
			dst[i] = (3*int(row[x]) + int(other[x]) + bias) >> 2
		}
	case upFancyHV: // h2v2_fancy_upsample: vertical sums, then horizontal
		near, _ := u.nearRow(y)
		row, other := p[(y/2)*stride:], p[near*stride:]
		colsum := func(col int) int { return 3*int(row[col]) + int(other[col]) }
		for i, x := range xs {
			col := x / 2
			switch {
			case x%2 == 0 && col == 0:
				dst[i] = (4*colsum(0) + 8) >> 4
			case x%2 == 1 && col == u.cw-1:
				dst[i] = (4*colsum(col) + 7) >> 4
			case x%2 == 0:
				dst[i] = (3*colsum(col) + colsum(col-1) + 8) >> 4
			default:
				dst[i] = (3*colsum(col) + colsum(col+1) + 7) >> 4
			}
		}
	}
}

// nearRow is the plane row that vertical upsampling blends into output
// row y (the one above for even y, below for odd, clamped at the edges)
// and h1v2's rounding bias for it.
func (u *upsampler) nearRow(y int) (row, bias int) {
	if y%2 == 0 {
		return max(y/2-1, 0), 1
	}
	return min(y/2+1, u.ch-1), 2
}

func clamp255(v int) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}
