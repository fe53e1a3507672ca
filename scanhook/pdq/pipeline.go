package pdq

import (
	"math"
	"slices"
	"sync"
)

// dctMatrix is the 16x64 DCT-II matrix of pdqhashing.cpp without the DC
// row: D[i][j] = sqrt(2/64) * cos(pi/128 * (i+1) * (2j+1)), with the scale a
// float32, the product taken in double and rounded to float32 once.
var dctMatrix = sync.OnceValue(func() *[16][64]float32 {
	var d [16][64]float32
	scale := float64(float32(math.Sqrt(2.0 / 64)))
	for i := range d {
		for j := range d[i] {
			d[i][j] = float32(scale * math.Cos(math.Pi/2/64*float64(i+1)*float64(2*j+1)))
		}
	}
	return &d
})

// downsample64 is steps 4 and 5: the Jarosz filter (two passes of a box
// along every row then along every column) and decimation to 64x64. The
// plain hash path copies a 64x64 luma unfiltered; the dihedral path of the
// reference always filters (filter says which).
func downsample64(p plane, filter bool) *[64 * 64]float32 {
	var out [64 * 64]float32
	if p.w == 64 && p.h == 64 && !filter {
		copy(out[:], p.pix)
		return &out
	}
	buf1 := slices.Clone(p.pix)
	buf2 := make([]float32, len(buf1))
	wRow := (p.w + 127) / 128 // window along each row, from the number of columns
	wCol := (p.h + 127) / 128 // window along each column, from the number of rows
	for range 2 {
		for r := 0; r < p.h; r++ {
			box1D(buf1[r*p.w:], buf2[r*p.w:], 1, p.w, wRow)
		}
		boxColumns(buf2, buf1, p.w, p.h, wCol)
	}
	// Cell centres, computed in double and truncated.
	for i := 0; i < 64; i++ {
		y := int((float64(i) + 0.5) * float64(p.h) / 64)
		for j := 0; j < 64; j++ {
			x := int((float64(j) + 0.5) * float64(p.w) / 64)
			out[i*64+j] = buf1[y*p.w+x]
		}
	}
	return &out
}

// box1D is the reference's 1-D box filter over n samples spaced stride
// apart, with full window f: output o averages in[o-(f-half) .. o+half-1],
// clipped to the line and divided by the actual count. One float32 running
// sum: the first half-1 samples are added without output, then for each
// output the entering sample is added before the leaving one is subtracted.
func box1D(in, out []float32, stride, n, f int) {
	half := (f + 2) / 2
	left := f - half
	var sum float32
	for k := 0; k < half-1 && k < n; k++ {
		sum += in[k*stride]
	}
	for o := 0; o < n; o++ {
		if e := o + half - 1; e < n {
			sum += in[e*stride]
		}
		if l := o - left - 1; l >= 0 {
			sum -= in[l*stride]
		}
		count := min(n-1, o+half-1) - max(0, o-left) + 1
		out[o*stride] = sum / float32(count)
	}
}

// boxColumns is box1D down every column, all columns at once in row
// order (sequential memory); each column gets exactly box1D's arithmetic.
func boxColumns(in, out []float32, w, h, f int) {
	half := (f + 2) / 2
	left := f - half
	sums := make([]float32, w)
	add := func(row []float32) {
		for c, v := range row[:w] {
			sums[c] += v
		}
	}
	for k := 0; k < half-1 && k < h; k++ {
		add(in[k*w:])
	}
	for o := 0; o < h; o++ {
		if e := o + half - 1; e < h {
			add(in[e*w:])
		}
		if l := o - left - 1; l >= 0 {
			for c, v := range in[l*w : l*w+w] {
				sums[c] -= v
			}
		}
		count := float32(min(h-1, o+half-1) - max(0, o-left) + 1)
		dst := out[o*w : o*w+w]
		for c, s := range sums {
			dst[c] = s / count
		}
	}
}

// quality is step 6: the sum of |int((u-v)*100/255)| over all vertical and
// horizontal neighbour pairs, in float32 and truncated, over 90, at most 100.
func quality(a *[64 * 64]float32) int {
	sum := 0
	diff := func(u, v float32) int {
		d := int(float32(float32(u-v)*100) / 255)
		if d < 0 {
			return -d
		}
		return d
	}
	for i := 0; i < 63; i++ {
		for j := 0; j < 64; j++ {
			sum += diff(a[i*64+j], a[(i+1)*64+j])
		}
	}
	for i := 0; i < 64; i++ {
		for j := 0; j < 63; j++ {
			sum += diff(a[i*64+j], a[i*64+j+1])
		}
	}
	return min(sum/90, 100)
}

// dct16 is step 7: B = D * A * D^T in float32, each sum over k ascending,
// each product rounded on its own. B[i][j]: vertical frequency i+1,
// horizontal frequency j+1.
func dct16(a *[64 * 64]float32) *[16][16]float32 {
	d := dctMatrix()
	var t [16][64]float32
	for i := range 16 {
		for j := range 64 {
			var s float32
			for k := range 64 {
				s += float32(d[i][k] * a[k*64+j])
			}
			t[i][j] = s
		}
	}
	var b [16][16]float32
	for i := range 16 {
		for j := range 16 {
			var s float32
			for k := range 64 {
				s += float32(t[i][k] * d[j][k])
			}
			b[i][j] = s
		}
	}
	return &b
}

// threshold is steps 8 and 9: bit 16i+j is set when B[i][j] is strictly
// above the lower median (the 128th smallest of the 256 values, what
// Torben's algorithm returns).
func threshold(b *[16][16]float32) Hash {
	median := median(b)
	var h Hash
	for i := range b {
		for j := range b[i] {
			if b[i][j] > median {
				h.setBit(16*i + j)
			}
		}
	}
	return h
}

// median is the 128th smallest of the 256 coefficients.
func median(b *[16][16]float32) float32 {
	vals := make([]float32, 0, 256)
	for i := range b {
		vals = append(vals, b[i][:]...)
	}
	slices.Sort(vals)
	return vals[127]
}
