package ljpeg

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrUnsupported marks JPEGs this package does not decode; they may still
// be valid (arithmetic coding, lossless, 12-bit, CMYK, ...).
var ErrUnsupported = errors.New("unsupported JPEG")

func errorf(format string, args ...any) error { return fmt.Errorf("jpeg: "+format, args...) }

// zigzag maps the zig-zag index of a coefficient to its natural index.
var zigzag = [64 + 16]uint8{
	0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
	// Corrupt data can run k past 63; libjpeg's table pads with 63 too.
	63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
}

type component struct {
	id, h, v, tq int
	bw, bh       int // blocks across and down, padded to whole MCUs
	cw, ch       int // samples across and down (libjpeg's downsampled size)
	q            *[64]uint16
	coef         []int16 // progressive only: bw*bh blocks of 64, natural order
	plane        []uint8 // bw*8 x bh*8 samples
	pred         int32
	dc, ac       *huffTable
}

type decoder struct {
	data          []byte
	pos           int
	maxPixels     int64
	qt            [4]*[64]uint16
	dcTables      [4]*huffTable
	acTables      [4]*huffTable
	comps         []component
	width, height int
	progressive   bool
	maxH, maxV    int
	mcusX, mcusY  int
	restart       int
	eobrun        int32
	scans         int
	jfif, adobe   bool
	transform     int
	br            bitReader
}

// Image is a decoded JPEG: its component planes, as libjpeg's IDCT leaves
// them, before upsampling and colour conversion.
type Image struct {
	Width, Height int
	Planes        []Plane
	// RGB: the components are R, G, B (Adobe transform 0, or IDs 'R','G',
	// 'B'), not Y, Cb, Cr.
	RGB bool
}

// Plane is one component: cw x ch samples with row stride Stride, taken
// at H x V of the maximum sampling factors.
type Plane struct {
	Pix            []uint8
	Stride, CW, CH int
	H, V           int // sampling factors
}

// Decode parses a JPEG. maxPixels bounds width*height, checked before any
// large allocation.
func Decode(data []byte, maxPixels int64) (*Image, error) {
	d := &decoder{data: data, maxPixels: maxPixels}
	if len(data) < 2 || data[0] != 0xff || data[1] != 0xd8 {
		return nil, errorf("missing SOI marker")
	}
	d.pos = 2
	for {
		m, err := d.nextMarker()
		if err != nil {
			if d.scans > 0 && errors.Is(err, errEOF) {
				break // libjpeg outputs what it has, with a warning
			}
			return nil, err
		}
		if m == 0xd9 { // EOI
			break
		}
		if m == 0x01 || (m >= 0xd0 && m <= 0xd7) { // TEM, stray RSTn: no length
			continue
		}
		seg, err := d.segment()
		if err != nil {
			return nil, err
		}
		switch {
		case m == 0xc0 || m == 0xc1 || m == 0xc2:
			err = d.frame(seg, m == 0xc2)
		case m >= 0xc3 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc:
			err = fmt.Errorf("jpeg: SOF%d: %w", m-0xc0, ErrUnsupported)
		case m == 0xc4:
			err = d.huffman(seg)
		case m == 0xdb:
			err = d.quant(seg)
		case m == 0xdd:
			if len(seg) != 2 {
				err = errorf("bad DRI")
			} else {
				d.restart = int(binary.BigEndian.Uint16(seg))
			}
		case m == 0xda:
			err = d.scan(seg)
		case m == 0xe0:
			// libjpeg's examine_app0: a JFIF marker needs 14 bytes.
			d.jfif = d.jfif || len(seg) >= 14 && string(seg[:5]) == "JFIF\x00"
		case m == 0xee:
			// examine_app14: "Adobe", at least 12 bytes, transform at 11.
			if len(seg) >= 12 && string(seg[:5]) == "Adobe" {
				d.adobe, d.transform = true, int(seg[11])
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if d.scans == 0 {
		return nil, errorf("no image data")
	}
	return d.finish(), nil
}

var errEOF = errorf("unexpected end of data")

// nextMarker skips to the next marker, as libjpeg's next_marker does
// (garbage bytes before it are skipped), and returns its code.
func (d *decoder) nextMarker() (byte, error) {
	for {
		for d.pos < len(d.data) && d.data[d.pos] != 0xff {
			d.pos++
		}
		for d.pos < len(d.data) && d.data[d.pos] == 0xff {
			d.pos++
		}
		if d.pos >= len(d.data) {
			return 0, errEOF
		}
		m := d.data[d.pos]
		d.pos++
		if m != 0 {
			return m, nil
		}
	}
}

// segment returns a marker segment's payload (after the length).
func (d *decoder) segment() ([]byte, error) {
	if d.pos+2 > len(d.data) {
		return nil, errEOF
	}
	n := int(binary.BigEndian.Uint16(d.data[d.pos:]))
	if n < 2 || d.pos+n > len(d.data) {
		return nil, errorf("bad marker segment length %d", n)
	}
	seg := d.data[d.pos+2 : d.pos+n]
	d.pos += n
	return seg, nil
}

func (d *decoder) frame(seg []byte, progressive bool) error {
	if d.comps != nil {
		return errorf("more than one frame")
	}
	if len(seg) < 6 {
		return errorf("short SOF")
	}
	if seg[0] != 8 {
		return fmt.Errorf("jpeg: %d-bit samples: %w", seg[0], ErrUnsupported)
	}
	d.height = int(binary.BigEndian.Uint16(seg[1:]))
	d.width = int(binary.BigEndian.Uint16(seg[3:]))
	n := int(seg[5])
	if d.width == 0 || d.height == 0 {
		return errorf("empty image (%dx%d)", d.width, d.height)
	}
	if int64(d.width)*int64(d.height) > d.maxPixels {
		return errorf("%dx%d pixels is over the limit", d.width, d.height)
	}
	if n != 1 && n != 3 {
		return fmt.Errorf("jpeg: %d components: %w", n, ErrUnsupported)
	}
	if len(seg) != 6+3*n {
		return errorf("bad SOF length")
	}
	d.progressive = progressive
	d.comps = make([]component, n)
	for i := range d.comps {
		c := &d.comps[i]
		c.id, c.h, c.v, c.tq = int(seg[6+3*i]), int(seg[7+3*i]>>4), int(seg[7+3*i]&15), int(seg[8+3*i])
		if c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 || c.tq > 3 {
			return errorf("bad component %d parameters", i)
		}
		d.maxH, d.maxV = max(d.maxH, c.h), max(d.maxV, c.v)
	}
	d.mcusX = (d.width + 8*d.maxH - 1) / (8 * d.maxH)
	d.mcusY = (d.height + 8*d.maxV - 1) / (8 * d.maxV)
	for i := range d.comps {
		c := &d.comps[i]
		if d.maxH%c.h != 0 || d.maxV%c.v != 0 {
			return fmt.Errorf("jpeg: fractional sampling: %w", ErrUnsupported)
		}
		if n == 1 { // a lone component is never interleaved
			c.h, c.v, d.maxH, d.maxV = 1, 1, 1, 1
			d.mcusX, d.mcusY = (d.width+7)/8, (d.height+7)/8
		}
		c.cw = (d.width*c.h + d.maxH - 1) / d.maxH
		c.ch = (d.height*c.v + d.maxV - 1) / d.maxV
		c.bw, c.bh = d.mcusX*c.h, d.mcusY*c.v
		// Progressive images keep coefficients until the last scan and get
		// their planes then, one at a time, to bound the peak memory.
		if progressive {
			c.coef = make([]int16, c.bw*c.bh*64)
		} else {
			c.plane = make([]uint8, c.bw*8*c.bh*8)
		}
	}
	return nil
}

func (d *decoder) huffman(seg []byte) error {
	for len(seg) > 0 {
		if len(seg) < 17 {
			return errorf("short DHT")
		}
		class, id := seg[0]>>4, seg[0]&15
		if class > 1 || id > 3 {
			return errorf("bad DHT class %d id %d", class, id)
		}
		var counts [17]int
		total := 0
		for l := 1; l <= 16; l++ {
			counts[l] = int(seg[l])
			total += counts[l]
		}
		if total > 256 || len(seg) < 17+total {
			return errorf("bad DHT")
		}
		t, err := newHuffTable(counts, append([]uint8(nil), seg[17:17+total]...), class == 0)
		if err != nil {
			return err
		}
		if class == 0 {
			d.dcTables[id] = t
		} else {
			d.acTables[id] = t
		}
		seg = seg[17+total:]
	}
	return nil
}

func (d *decoder) quant(seg []byte) error {
	for len(seg) > 0 {
		prec, id := seg[0]>>4, seg[0]&15
		if prec > 1 || id > 3 {
			return errorf("bad DQT")
		}
		size := 64 * (1 + int(prec))
		if len(seg) < 1+size {
			return errorf("short DQT")
		}
		q := new([64]uint16)
		for k := range 64 {
			if prec == 0 {
				q[zigzag[k]] = uint16(seg[1+k])
			} else {
				q[zigzag[k]] = binary.BigEndian.Uint16(seg[1+2*k:])
			}
		}
		d.qt[id] = q
		seg = seg[1+size:]
	}
	return nil
}

// finish runs the IDCT of a progressive image and hands out the planes.
func (d *decoder) finish() *Image {
	img := &Image{Width: d.width, Height: d.height}
	for i := range d.comps {
		c := &d.comps[i]
		if d.progressive {
			c.plane = make([]uint8, c.bw*8*c.bh*8)
			q := c.q
			if q == nil { // a component that no scan named: libjpeg leaves it flat
				q = new([64]uint16)
			}
			for by := range c.bh {
				for bx := range c.bw {
					j := (by*c.bw + bx) * 64
					idct((*[64]int16)(c.coef[j:j+64]), q, c.plane[by*8*c.bw*8+bx*8:], c.bw*8)
				}
			}
			c.coef = nil
		}
		img.Planes = append(img.Planes, Plane{Pix: c.plane, Stride: c.bw * 8, CW: c.cw, CH: c.ch, H: c.h, V: c.v})
	}
	if len(d.comps) == 3 {
		// libjpeg's default_decompress_parms: JFIF means YCbCr; else an
		// Adobe marker's transform 0 means RGB; else IDs 'R','G','B'.
		ids := [3]int{d.comps[0].id, d.comps[1].id, d.comps[2].id}
		switch {
		case d.jfif:
		case d.adobe:
			img.RGB = d.transform == 0
		default:
			img.RGB = ids == [3]int{'R', 'G', 'B'}
		}
	}
	return img
}

// Config reads a JPEG's size from its first frame header, of any kind,
// without decoding anything.
func Config(data []byte) (width, height int, err error) {
	d := &decoder{data: data}
	if len(data) < 2 || data[0] != 0xff || data[1] != 0xd8 {
		return 0, 0, errorf("missing SOI marker")
	}
	d.pos = 2
	for {
		m, err := d.nextMarker()
		if err != nil {
			return 0, 0, err
		}
		if m == 0xd9 || m == 0xda {
			return 0, 0, errorf("no frame header")
		}
		if m == 0x01 || (m >= 0xd0 && m <= 0xd7) {
			continue
		}
		seg, err := d.segment()
		if err != nil {
			return 0, 0, err
		}
		if m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc {
			if len(seg) < 6 {
				return 0, 0, errorf("short SOF")
			}
			return int(binary.BigEndian.Uint16(seg[3:])), int(binary.BigEndian.Uint16(seg[1:])), nil
		}
	}
}
