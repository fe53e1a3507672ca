// Package pdq computes PDQ perceptual hashes (Meta's ThreatExchange PDQ) in
// pure Go, bit for bit as the C++ reference pdq-photo-hasher computes them
// from the same pixels: float32 luma, the nearest-neighbour pre-resize to
// 512x512, the two-pass Jarosz box filter, decimation to 64x64, the
// gradient quality metric, the 16x16 DCT, the lower-median threshold and the
// eight dihedral variants taken from the DCT.
//
// The steps and their arithmetic follow shared/reference/pdq-check.md; no
// code of the reference or of any port was copied.
//
// Decoding: PNG and GIF go through the standard library, which gives the
// same pixels as libpng. JPEG goes through internal/ljpeg, a decoder that
// reproduces libjpeg-turbo's pixels exactly (its ISLOW IDCT, fancy
// upsampling and colour tables), so JPEG hashes equal the reference's too.
// JPEGs it does not handle (CMYK, arithmetic coding, 12-bit) fall back to
// the standard library's decoder, whose IDCT differs: such hashes can be a
// few bits off (0 to 4 bits on the reference's test images when forced).
//
// Channel policy where the reference has none or a poor one (it aborts on
// alpha and CMYK and keeps the low byte of 16-bit samples): alpha is
// ignored (the stored colour is hashed), 16-bit samples keep their high
// byte, CMYK is converted with the standard library's colour model, and EXIF
// orientation is ignored as the reference ignores it.
package pdq
