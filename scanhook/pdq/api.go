package pdq

import "image"

// HashImageDihedral returns the hashes of the eight dihedral variants of
// img (see DihedralNames for the order; the first is the image as it is) and
// its quality. Like the reference's dihedral path it always runs the
// Jarosz filter, even on a 64x64 image, where HashImage copies the luma;
// the two can then differ in rare bits.
func HashImageDihedral(img image.Image) ([8]Hash, int, error) {
	p, err := lumaOf(img)
	if err != nil {
		return [8]Hash{}, 0, err
	}
	a := downsample64(p, true)
	var hs [8]Hash
	for v, b := range dihedralDCT(dct16(a)) {
		hs[v] = threshold(b)
	}
	return hs, quality(a), nil
}

// HashImage computes the PDQ hash and quality (0..100) of decoded pixels.
// Images under 5 pixels on a side give ErrTooSmall.
func HashImage(img image.Image) (Hash, int, error) {
	p, err := lumaOf(img)
	if err != nil {
		return Hash{}, 0, err
	}
	a := downsample64(p, false)
	return threshold(dct16(a)), quality(a), nil
}

// Inspection is what PDQ sees of an image, for showing it: the 64x64
// luminance the hash is computed from, its 16x16 DCT (the DC term
// dropped), the threshold, and the result.
type Inspection struct {
	Luma64  [64 * 64]float32 // row-major, values 0..255
	DCT     [16][16]float32  // [vertical][horizontal] frequency 1..16
	Median  float32          // the lower median of DCT, the bit threshold
	Hash    Hash
	Quality int
}

// Inspect runs the plain hash path of HashImage and keeps its steps.
func Inspect(img image.Image) (*Inspection, error) {
	p, err := lumaOf(img)
	if err != nil {
		return nil, err
	}
	in := &Inspection{Luma64: *downsample64(p, false)}
	in.DCT = *dct16(&in.Luma64)
	in.Hash = threshold(&in.DCT)
	in.Median = median(&in.DCT)
	in.Quality = quality(&in.Luma64)
	return in, nil
}
