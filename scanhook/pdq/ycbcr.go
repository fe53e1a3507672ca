package pdq

import "image"

// jpegColor turns a decoded JPEG's Y, Cb, Cr planes into RGB the way
// libjpeg(-turbo) does with its defaults, which the reference binary uses:
// "fancy" (triangle) chroma upsampling and the 16.16 fixed-point
// YCbCr->RGB tables of jdcolor.c. Only the IDCT then differs from the
// reference (Go's decoder has its own), which costs a few bits at most.
type jpegColor struct {
	m      *image.YCbCr
	hs, vs int // chroma subsampling factors
	cw, ch int // chroma plane size (libjpeg's downsampled_width/height)
	mode   upsampling
}

type upsampling int

const (
	upNone      upsampling = iota // 4:4:4
	upReplicate                   // libjpeg's plain h2v1/h2v2/int upsampling
	upFancyH                      // h2v1_fancy_upsample
	upFancyV                      // h1v2_fancy_upsample
	upFancyHV                     // h2v2_fancy_upsample
)

func newJPEGColor(m *image.YCbCr) jpegColor {
	c := jpegColor{m: m, hs: 1, vs: 1}
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		c.hs = 2
	case image.YCbCrSubsampleRatio420:
		c.hs, c.vs = 2, 2
	case image.YCbCrSubsampleRatio440:
		c.vs = 2
	case image.YCbCrSubsampleRatio411:
		c.hs = 4
	case image.YCbCrSubsampleRatio410:
		c.hs, c.vs = 4, 2
	}
	w, h := m.Rect.Dx(), m.Rect.Dy()
	c.cw, c.ch = (w+c.hs-1)/c.hs, (h+c.vs-1)/c.vs
	// libjpeg-turbo's jinit_upsampler: the triangle filter for h2v1 and h2v2
	// only when the chroma plane is wider than 2, always for h1v2, and
	// replication for everything else.
	switch {
	case c.hs == 1 && c.vs == 1:
		c.mode = upNone
	case c.hs == 2 && c.vs == 1 && c.cw > 2:
		c.mode = upFancyH
	case c.hs == 2 && c.vs == 2 && c.cw > 2:
		c.mode = upFancyHV
	case c.hs == 1 && c.vs == 2:
		c.mode = upFancyV
	default:
		c.mode = upReplicate
	}
	return c
}

// lumaRow writes the luma of pixels (x, y) for x in xs, relative to the
// image's origin.
func (c *jpegColor) lumaRow(y int, xs []int, cb, cr []int, dst []float32) {
	c.chromaRow(c.m.Cb, y, xs, cb)
	c.chromaRow(c.m.Cr, y, xs, cr)
	row := c.m.Y[y*c.m.YStride:]
	for i, x := range xs {
		dst[i] = luma(toRGB(int(row[x]), cb[i]-128, cr[i]-128))
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

// chromaRow writes the upsampled chroma samples of row y at columns xs,
// with libjpeg's rounding biases; edges are duplicated as libjpeg's
// context rows and special first and last columns do.
func (c *jpegColor) chromaRow(p []uint8, y int, xs []int, dst []int) {
	stride := c.m.CStride
	switch c.mode {
	case upNone:
		row := p[y*stride:]
		for i, x := range xs {
			dst[i] = int(row[x])
		}
	case upReplicate:
		row := p[(y/c.vs)*stride:]
		for i, x := range xs {
			dst[i] = int(row[x/c.hs])
		}
	case upFancyH: // h2v1_fancy_upsample
		row := p[y*stride:]
		for i, x := range xs {
			col := x / 2
			switch {
			case x%2 == 0 && col == 0, x%2 == 1 && col == c.cw-1:
				dst[i] = int(row[col])
			case x%2 == 0:
				dst[i] = (3*int(row[col]) + int(row[col-1]) + 1) >> 2
			default:
				dst[i] = (3*int(row[col]) + int(row[col+1]) + 2) >> 2
			}
		}
	case upFancyV: // h1v2_fancy_upsample
		near, bias := c.nearRow(y)
		row, other := p[(y/2)*stride:], p[near*stride:]
		for i, x := range xs {
			dst[i] = (3*int(row[x]) + int(other[x]) + bias) >> 2
		}
	case upFancyHV: // h2v2_fancy_upsample: vertical sums, then horizontal
		near, _ := c.nearRow(y)
		row, other := p[(y/2)*stride:], p[near*stride:]
		colsum := func(col int) int { return 3*int(row[col]) + int(other[col]) }
		for i, x := range xs {
			col := x / 2
			switch {
			case x%2 == 0 && col == 0:
				dst[i] = (4*colsum(0) + 8) >> 4
			case x%2 == 1 && col == c.cw-1:
				dst[i] = (4*colsum(col) + 7) >> 4
			case x%2 == 0:
				dst[i] = (3*colsum(col) + colsum(col-1) + 8) >> 4
			default:
				dst[i] = (3*colsum(col) + colsum(col+1) + 7) >> 4
			}
		}
	}
}

// nearRow is the chroma row that vertical upsampling blends into output
// row y (the one above for even y, below for odd, clamped at the edges)
// and h1v2's rounding bias for it.
func (c *jpegColor) nearRow(y int) (row, bias int) {
	if y%2 == 0 {
		return max(y/2-1, 0), 1
	}
	return min(y/2+1, c.ch-1), 2
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
