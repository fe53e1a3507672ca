package pdq

// DihedralNames names the eight variants HashImageDihedral returns, in the
// reference's order (pdqDihedralHash256esFromFloatLuma).
func DihedralNames() [8]string {
	return [8]string{"original", "rotate90", "rotate180", "rotate270", "flipX", "flipY", "flipPlus1", "flipMinus1"}
}

// Dihedral transforms act on the DCT, not the pixels (step 10). Mirroring
// rows (y -> 63-y) negates the coefficients of odd vertical frequency
// (even i); mirroring columns does the same for j; a transpose of the
// image transposes B. The rotations and diagonal flips are compositions.
// As in the reference's test images bridge-2-rotate-90 and bridge-5-flipx,
// rotate90 turns the image counter-clockwise and flipX mirrors it top to
// bottom; flipPlus1 is the transpose, flipMinus1 the anti-transpose.
func dihedralDCT(b *[16][16]float32) [8]*[16][16]float32 {
	sign := func(k int) float32 { // (-1)^(k+1)
		if k%2 == 0 {
			return -1
		}
		return 1
	}
	var out [8]*[16][16]float32
	for v := range out {
		out[v] = new([16][16]float32)
	}
	for i := range 16 {
		for j := range 16 {
			out[0][i][j] = b[i][j]
			out[1][i][j] = sign(i) * b[j][i]
			out[2][i][j] = sign(i) * sign(j) * b[i][j]
			out[3][i][j] = sign(j) * b[j][i]
			out[4][i][j] = sign(i) * b[i][j]
			out[5][i][j] = sign(j) * b[i][j]
			out[6][i][j] = b[j][i]
			out[7][i][j] = sign(i) * sign(j) * b[j][i]
		}
	}
	return out
}
