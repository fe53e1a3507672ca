// Package ljpeg decodes baseline and progressive Huffman JPEGs to exactly
// the samples libjpeg(-turbo) produces with its defaults: the same
// entropy decoding, libjpeg's integer "ISLOW" IDCT with its range limiting,
// and (in the caller, pdq) libjpeg's fancy upsampling and colour tables.
// PDQ's C++ reference decodes with libjpeg, so this is what makes JPEG
// hashes bit-exact. Written from the JPEG specification (ITU T.81) and the
// facts in shared/reference/pdq-check.md; no code was copied.
//
// It handles 8-bit SOF0/SOF1/SOF2 with one or three components. Anything
// else (arithmetic coding, lossless, 12-bit, CMYK) is ErrUnsupported, and
// the caller falls back to the standard library's decoder.
package ljpeg
