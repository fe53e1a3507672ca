package ljpeg

// libjpeg's jidctint.c "ISLOW" inverse DCT: the Loeffler-Ligtenberg-
// Moschytz algorithm in integer arithmetic with 13-bit constants, two
// extra bits of precision between the passes, columns first.
const (
	constBits = 13
	pass1Bits = 2

	fix0_298631336 = 2446
	fix0_390180644 = 3196
	fix0_541196100 = 4433
	fix0_765366865 = 6270
	fix0_899976223 = 7373
	fix1_175875602 = 9633
	fix1_501321110 = 12299
	fix1_847759065 = 15137
	fix1_961570560 = 16069
	fix2_053119869 = 16819
	fix2_562915447 = 20995
	fix3_072711026 = 25172
)

// descale is libjpeg's DESCALE: shift right by n, rounding half up.
func descale(x int64, n uint) int64 { return (x + 1<<(n-1)) >> n }

// rangeLimit is libjpeg's post-IDCT range limit: the value is taken
// modulo 1024 as a signed 10-bit number, centred by +128 and clamped.
func rangeLimit(x int64) uint8 {
	v := int64(int32(x<<22)>>22) + 128
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}

// butterfly is the shared body of both passes: the even and odd parts of
// the 8-point IDCT on in[0..7] (already scaled), returning the eight
// outputs before descaling.
func butterfly(in *[8]int64) (out [8]int64) {
	// Even part.
	z2, z3 := in[2], in[6]
	z1 := (z2 + z3) * fix0_541196100
	tmp2 := z1 + z3*-fix1_847759065
	tmp3 := z1 + z2*fix0_765366865
	tmp0 := (in[0] + in[4]) << constBits
	tmp1 := (in[0] - in[4]) << constBits
	tmp10, tmp13 := tmp0+tmp3, tmp0-tmp3
	tmp11, tmp12 := tmp1+tmp2, tmp1-tmp2

	// Odd part.
	t0, t1, t2, t3 := in[7], in[5], in[3], in[1]
	z1 = t0 + t3
	z2 = t1 + t2
	z3 = t0 + t2
	z4 := t1 + t3
	z5 := (z3 + z4) * fix1_175875602
	t0 *= fix0_298631336
	t1 *= fix2_053119869
	t2 *= fix3_072711026
	t3 *= fix1_501321110
	z1 *= -fix0_899976223
	z2 *= -fix2_562915447
	z3 = z3*-fix1_961570560 + z5
	z4 = z4*-fix0_390180644 + z5
	t0 += z1 + z3
	t1 += z2 + z4
	t2 += z2 + z3
	t3 += z1 + z4

	return [8]int64{tmp10 + t3, tmp11 + t2, tmp12 + t1, tmp13 + t0, tmp13 - t0, tmp12 - t1, tmp11 - t2, tmp10 - t3}
}

// idct transforms one block of coefficients (natural order) with its
// quantisation table into 8x8 samples at dst (row stride).
func idct(coef *[64]int16, q *[64]uint16, dst []uint8, stride int) {
	var ws [64]int64
	var v [8]int64
	for c := range 8 {
		zeroAC := true
		for r := 1; r < 8; r++ {
			if coef[r*8+c] != 0 {
				zeroAC = false
				break
			}
		}
		if zeroAC { // libjpeg's shortcut; the full pass gives the same
			dc := int64(coef[c]) * int64(q[c]) << pass1Bits
			for r := range 8 {
				ws[r*8+c] = dc
			}
			continue
		}
		for r := range 8 {
			v[r] = int64(coef[r*8+c]) * int64(q[r*8+c])
		}
		out := butterfly(&v)
		for r := range 8 {
			ws[r*8+c] = descale(out[r], constBits-pass1Bits)
		}
	}
	for r := range 8 {
		copy(v[:], ws[r*8:r*8+8])
		out := butterfly(&v)
		row := dst[r*stride : r*stride+8]
		for c := range 8 {
			row[c] = rangeLimit(descale(out[c], constBits+pass1Bits+3))
		}
	}
}
