package ljpeg

// lookBits is how many bits the fast table decodes at once (libjpeg's
// HUFF_LOOKAHEAD).
const lookBits = 8

// huffTable is a canonical Huffman table (T.81 annex C) with a lookup
// table for codes of up to lookBits bits.
type huffTable struct {
	maxCode   [18]int32 // largest code of each length, -1 if none; [17] sentinel
	valOffset [17]int32 // index into vals of a code of each length, minus that code
	vals      []uint8
	look      [1 << lookBits]uint16 // length<<8 | symbol, 0 when the code is longer
}

// newHuffTable builds a table from the DHT counts per length (1..16) and
// symbols. isDC: DC symbols above 15 are refused, as libjpeg refuses them.
func newHuffTable(counts [17]int, vals []uint8, isDC bool) (*huffTable, error) {
	t := &huffTable{vals: vals}
	code, p := int32(0), 0
	for l := 1; l <= 16; l++ {
		t.valOffset[l] = int32(p) - code
		p += counts[l]
		code += int32(counts[l])
		if counts[l] > 0 {
			t.maxCode[l] = code - 1
		} else {
			t.maxCode[l] = -1
		}
		if code >= 1<<l && counts[l] > 0 {
			return nil, errorf("bad Huffman table: too many codes of length %d", l)
		}
		code <<= 1
	}
	t.maxCode[17] = 1<<31 - 1 // ends the slow loop
	code, p = 0, 0
	for l := 1; l <= lookBits; l++ {
		for range counts[l] {
			shift := lookBits - l
			for fill := range 1 << shift {
				t.look[int(code)<<shift|fill] = uint16(l)<<8 | uint16(vals[p])
			}
			code++
			p++
		}
		code <<= 1
	}
	if isDC {
		for _, s := range vals {
			if s > 15 {
				return nil, errorf("bad Huffman table: DC symbol %d", s)
			}
		}
	}
	return t, nil
}

// bitReader reads entropy-coded data as libjpeg does: 0xFF 0x00 is a
// data byte 0xFF; at a marker it stops and supplies zero bits for as long
// as asked, leaving the marker for the marker reader. Once a zero bit past
// the data is used, insufficient is set (libjpeg's insufficient_data), and
// the decoder leaves the remaining blocks of the segment alone.
type bitReader struct {
	data         []byte
	pos          int
	acc          uint64 // bits, most significant first, in the low n bits
	n            uint
	pad          uint // how many of the low bits of acc are zero padding
	marker       bool // a marker (or the end of the data) was reached
	insufficient bool
}

// fill tops the accumulator up to at least 57 bits.
func (b *bitReader) fill() {
	for b.n <= 56 {
		var c byte
		if !b.marker {
			if b.pos >= len(b.data) {
				b.marker = true
			} else if c = b.data[b.pos]; c != 0xff {
				b.pos++
			} else {
				// Skip fill bytes; FF 00 is a stuffed FF.
				q := b.pos + 1
				for q < len(b.data) && b.data[q] == 0xff {
					q++
				}
				if q < len(b.data) && b.data[q] == 0 {
					b.pos = q + 1
				} else {
					b.pos = q - 1 // the marker's 0xFF
					b.marker = true
					c = 0
				}
			}
		}
		b.acc = b.acc<<8 | uint64(c)
		b.n += 8
		if b.marker {
			b.pad += 8
		}
	}
}

// consume drops n bits, noting when padding is used.
func (b *bitReader) consume(n uint) {
	b.n -= n
	if b.n < b.pad {
		b.insufficient = true
		b.pad = b.n
	}
}

func (b *bitReader) bits(n uint) int32 {
	if n == 0 {
		return 0
	}
	if b.n < n {
		b.fill()
	}
	b.consume(n)
	return int32(b.acc>>b.n) & (1<<n - 1)
}

func (b *bitReader) bit() bool { return b.bits(1) == 1 }

// receiveExtend reads an s-bit magnitude and sign-extends it (T.81 F.2.2.1).
func (b *bitReader) receiveExtend(s uint8) int32 {
	if s == 0 {
		return 0
	}
	v := b.bits(uint(s))
	if v < 1<<(s-1) {
		v += -1<<s + 1
	}
	return v
}

// decode reads one Huffman symbol. A code longer than 16 bits is corrupt
// data, which libjpeg reads as symbol 0.
func (b *bitReader) decode(t *huffTable) uint8 {
	if b.n < 16 {
		b.fill()
	}
	if e := t.look[(b.acc>>(b.n-lookBits))&(1<<lookBits-1)]; e != 0 {
		b.consume(uint(e >> 8))
		return uint8(e)
	}
	code := int32(b.acc>>(b.n-lookBits)) & (1<<lookBits - 1)
	b.consume(lookBits)
	l := lookBits + 1
	for ; l <= 16; l++ {
		code = code<<1 | b.bits(1)
		if code <= t.maxCode[l] {
			return t.vals[t.valOffset[l]+code]
		}
	}
	return 0
}

// reset drops the buffered bits at a restart marker.
func (b *bitReader) reset() {
	b.acc, b.n, b.pad = 0, 0, 0
	b.marker = false
}
