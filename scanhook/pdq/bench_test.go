package pdq

import (
	"bytes"
	"image/jpeg"
	"testing"
)

// Benchmarks of PDQ on a 512x512 and a 4000x3000 JPEG (synthetic, quality
// 90, made in the benchmark): with decoding (HashReader, our
// libjpeg-compatible decoder), with the standard library's decoder for
// comparison, and without decoding (HashImage on decoded pixels).
// Reported per image in ms/image.

func benchJPEG(b *testing.B, w, h int) []byte {
	b.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, synthetic(w, h, 42), &jpeg.Options{Quality: 90}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func benchDecode(b *testing.B, w, h int) {
	data := benchJPEG(b, w, h)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := HashReader(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/image")
}

// benchStdlib is the comparison: the standard library's decoder (the
// fallback path, a few bits off the reference) plus hashing.
func benchStdlib(b *testing.B, w, h int) {
	data := benchJPEG(b, w, h)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err == nil {
			_, _, err = HashImage(img)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/image")
}

func benchPixels(b *testing.B, w, h int, dihedral bool) {
	img, err := jpeg.Decode(bytes.NewReader(benchJPEG(b, w, h)))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if dihedral {
			_, _, err = HashImageDihedral(img)
		} else {
			_, _, err = HashImage(img)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/image")
}

func BenchmarkJPEG512Decoded(b *testing.B)             { benchDecode(b, 512, 512) }
func BenchmarkJPEG512StdlibDecoded(b *testing.B)       { benchStdlib(b, 512, 512) }
func BenchmarkJPEG4000x3000StdlibDecoded(b *testing.B) { benchStdlib(b, 4000, 3000) }
func BenchmarkJPEG512Pixels(b *testing.B)              { benchPixels(b, 512, 512, false) }
func BenchmarkJPEG512PixelsDihedral(b *testing.B)      { benchPixels(b, 512, 512, true) }
func BenchmarkJPEG4000x3000Decoded(b *testing.B)       { benchDecode(b, 4000, 3000) }
func BenchmarkJPEG4000x3000Pixels(b *testing.B)        { benchPixels(b, 4000, 3000, false) }
