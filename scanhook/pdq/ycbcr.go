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

// rgb is the colour of pixel (x, y), relative to the image's origin.
func (c *jpegColor) rgb(x, y int) (r, g, b uint8) {
	yy := int(c.m.Y[y*c.m.YStride+x])
	cb := c.chroma(c.m.Cb, x, y) - 128
	cr := c.chroma(c.m.Cr, x, y) - 128
	// jdcolor.c: FIX(1.402)=91881, FIX(1.772)=116130, FIX(0.34414)=22554,
	// FIX(0.71414)=46802, ONE_HALF=32768, arithmetic shift by 16.
	r = clamp255(yy + (91881*cr+32768)>>16)
	g = clamp255(yy + (-22554*cb+32768-46802*cr)>>16)
	b = clamp255(yy + (116130*cb+32768)>>16)
	return r, g, b
}

// chroma is the upsampled chroma sample at full-resolution (x, y), computed
// locally with libjpeg's rounding biases; edges are duplicated as libjpeg's
// context rows and special first/last columns do.
func (c *jpegColor) chroma(p []uint8, x, y int) int {
	at := func(cx, cy int) int { return int(p[cy*c.m.CStride+cx]) }
	switch c.mode {
	case upNone:
		return at(x, y)
	case upFancyH:
		col := x / 2
		if x%2 == 0 {
			if col == 0 {
				return at(0, y)
			}
			return (3*at(col, y) + at(col-1, y) + 1) >> 2
		}
		if col == c.cw-1 {
			return at(col, y)
		}
		return (3*at(col, y) + at(col+1, y) + 2) >> 2
	case upFancyV:
		row := y / 2
		if y%2 == 0 {
			return (3*at(x, row) + at(x, max(row-1, 0)) + 1) >> 2
		}
		return (3*at(x, row) + at(x, min(row+1, c.ch-1)) + 2) >> 2
	case upFancyHV:
		row, near := y/2, 0
		if y%2 == 0 {
			near = max(row-1, 0)
		} else {
			near = min(row+1, c.ch-1)
		}
		colsum := func(cx int) int { return 3*at(cx, row) + at(cx, near) }
		col := x / 2
		if x%2 == 0 {
			if col == 0 {
				return (4*colsum(0) + 8) >> 4
			}
			return (3*colsum(col) + colsum(col-1) + 8) >> 4
		}
		if col == c.cw-1 {
			return (4*colsum(col) + 7) >> 4
		}
		return (3*colsum(col) + colsum(col+1) + 7) >> 4
	default:
		return at(x/c.hs, y/c.vs)
	}
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
