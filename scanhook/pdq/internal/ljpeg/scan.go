package ljpeg

// scan parses a start-of-scan header and decodes its entropy-coded data.
func (d *decoder) scan(seg []byte) error {
	if d.comps == nil {
		return errorf("scan before frame")
	}
	if len(seg) < 1 {
		return errorf("short SOS")
	}
	n := int(seg[0])
	if n < 1 || n > len(d.comps) || len(seg) != 4+2*n {
		return errorf("bad SOS")
	}
	var in []*component
	for i := range n {
		id, tables := int(seg[1+2*i]), seg[2+2*i]
		var c *component
		for j := range d.comps {
			if d.comps[j].id == id {
				c = &d.comps[j]
			}
		}
		if c == nil {
			return errorf("scan names unknown component %d", id)
		}
		if td, ta := tables>>4, tables&15; td < 4 && ta < 4 {
			c.dc, c.ac = d.dcTables[td], d.acTables[ta]
		} else {
			return errorf("bad table selector")
		}
		// Quantisation tables are latched at a component's first scan,
		// as libjpeg does.
		if c.q == nil {
			if c.q = d.qt[c.tq]; c.q == nil {
				return errorf("component %d has no quantisation table", id)
			}
		}
		in = append(in, c)
	}
	ss, se, ah, al := int(seg[1+2*n]), int(seg[2+2*n]), uint(seg[3+2*n]>>4), uint(seg[3+2*n]&15)
	if d.progressive {
		if se > 63 || ss > se || (ss == 0 && se != 0) || (ss > 0 && n != 1) || ah > 13 || al > 13 {
			return errorf("bad progressive scan parameters")
		}
	} else {
		ss, se, ah, al = 0, 63, 0, 0
	}
	for _, c := range in {
		if (ss == 0 && ah == 0 && c.dc == nil) || (se > 0 && c.ac == nil) {
			return errorf("scan uses an undefined Huffman table")
		}
	}
	for i := range d.comps {
		d.comps[i].pred = 0
	}
	d.eobrun = 0
	d.scans++
	d.br = bitReader{data: d.data, pos: d.pos}

	// The MCU grid: interleaved scans walk whole MCUs; a one-component
	// scan walks that component's own blocks.
	mcusX, mcusY := d.mcusX, d.mcusY
	if n == 1 {
		mcusX, mcusY = (in[0].cw+7)/8, (in[0].ch+7)/8
	}
	decodeBlock := d.blockDecoder(ss, se, ah, al)
	mcu := 0
	for my := range mcusY {
		for mx := range mcusX {
			if d.restart > 0 && mcu > 0 && mcu%d.restart == 0 {
				d.restartMarker()
			}
			mcu++
			// Out of data: libjpeg leaves the rest of the segment's blocks
			// as they are (zero in a sequential scan, so flat grey).
			skip := d.br.insufficient
			for _, c := range in {
				if n == 1 {
					decodeBlock(c, mx, my, skip)
					continue
				}
				for v := range c.v {
					for h := range c.h {
						decodeBlock(c, mx*c.h+h, my*c.v+v, skip)
					}
				}
			}
		}
	}
	// Resume marker parsing after the data the bit reader consumed.
	d.pos = d.br.pos
	return nil
}

// restartMarker handles a restart interval's end: drop the buffered bits,
// consume the RSTn marker if it is next, and reset the predictions.
func (d *decoder) restartMarker() {
	b := &d.br
	insufficient := b.insufficient
	b.reset()
	b.insufficient = insufficient
	p := b.pos
	for p < len(b.data) && b.data[p] != 0xff {
		p++
	}
	for p+1 < len(b.data) && b.data[p+1] == 0xff {
		p++
	}
	if p+1 < len(b.data) && b.data[p+1] >= 0xd0 && b.data[p+1] <= 0xd7 {
		b.pos = p + 2
		b.insufficient = false // a new segment with data of its own
	}
	for i := range d.comps {
		d.comps[i].pred = 0
	}
	d.eobrun = 0
}

// blockDecoder returns the decoder for one block of this scan's kind.
func (d *decoder) blockDecoder(ss, se int, ah, al uint) func(c *component, bx, by int, skip bool) {
	if !d.progressive {
		var coef [64]int16
		return func(c *component, bx, by int, skip bool) {
			coef = [64]int16{}
			if !skip {
				d.sequential(c, &coef)
			}
			idct(&coef, c.q, c.plane[by*8*c.bw*8+bx*8:], c.bw*8)
		}
	}
	block := func(c *component, bx, by int) *[64]int16 {
		i := (by*c.bw + bx) * 64
		return (*[64]int16)(c.coef[i : i+64])
	}
	var decode func(c *component, coef *[64]int16)
	switch {
	case ss == 0 && ah == 0:
		decode = func(c *component, coef *[64]int16) { d.dcFirst(c, coef, al) }
	case ss == 0:
		decode = func(c *component, coef *[64]int16) { d.dcRefine(coef, al) }
	case ah == 0:
		decode = func(c *component, coef *[64]int16) { d.acFirst(c, coef, ss, se, al) }
	default:
		decode = func(c *component, coef *[64]int16) { d.acRefine(c, coef, ss, se, al) }
	}
	return func(c *component, bx, by int, skip bool) {
		if !skip {
			decode(c, block(c, bx, by))
		}
	}
}

// sequential decodes a baseline block (T.81 F.2.2).
func (d *decoder) sequential(c *component, coef *[64]int16) {
	b := &d.br
	c.pred += b.receiveExtend(b.decode(c.dc))
	coef[0] = int16(c.pred)
	for k := 1; k < 64; k++ {
		rs := b.decode(c.ac)
		r, s := int(rs>>4), rs&15
		if s == 0 {
			if r != 15 {
				return
			}
			k += 15
			continue
		}
		k += r
		coef[zigzag[k]] = int16(b.receiveExtend(s))
	}
}

// dcFirst, dcRefine, acFirst and acRefine are the four progressive scan
// kinds (T.81 G.1.2).
func (d *decoder) dcFirst(c *component, coef *[64]int16, al uint) {
	b := &d.br
	c.pred += b.receiveExtend(b.decode(c.dc))
	coef[0] = int16(c.pred << al)
}

func (d *decoder) dcRefine(coef *[64]int16, al uint) {
	if d.br.bit() {
		coef[0] |= 1 << al
	}
}

func (d *decoder) acFirst(c *component, coef *[64]int16, ss, se int, al uint) {
	if d.eobrun > 0 {
		d.eobrun--
		return
	}
	b := &d.br
	for k := ss; k <= se; k++ {
		rs := b.decode(c.ac)
		r, s := int32(rs>>4), rs&15
		if s == 0 {
			if r != 15 {
				d.eobrun = 1<<r - 1
				if r > 0 {
					d.eobrun += b.bits(uint(r))
				}
				return
			}
			k += 15
			continue
		}
		k += int(r)
		coef[zigzag[k]] = int16(b.receiveExtend(s) * (1 << al))
	}
}

func (d *decoder) acRefine(c *component, coef *[64]int16, ss, se int, al uint) {
	b := &d.br
	p1, m1 := int16(1)<<al, int16(-1)<<al
	// correct appends a correction bit to an already nonzero coefficient.
	correct := func(z int) {
		if b.bit() && coef[z]&p1 == 0 {
			if coef[z] >= 0 {
				coef[z] += p1
			} else {
				coef[z] += m1
			}
		}
	}
	k := ss
	if d.eobrun == 0 {
		for ; k <= se; k++ {
			rs := b.decode(c.ac)
			r, s := int32(rs>>4), int16(rs&15)
			if s != 0 {
				// s must be 1: a newly nonzero coefficient of +-1<<al.
				if b.bit() {
					s = p1
				} else {
					s = m1
				}
			} else if r != 15 {
				d.eobrun = 1 << r
				if r > 0 {
					d.eobrun += b.bits(uint(r))
				}
				break
			}
			// Pass over nonzero coefficients (correcting them) and r zero
			// ones; the new coefficient goes in the next zero position.
			for ; k <= se; k++ {
				z := int(zigzag[k])
				if coef[z] != 0 {
					correct(z)
				} else {
					if r == 0 {
						break
					}
					r--
				}
			}
			if s != 0 {
				coef[zigzag[k]] = s // k is at most 64 here; zigzag pads
			}
		}
	}
	if d.eobrun > 0 {
		for ; k <= se; k++ {
			if z := int(zigzag[k]); coef[z] != 0 {
				correct(z)
			}
		}
		d.eobrun--
	}
}
