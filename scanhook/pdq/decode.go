package pdq

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"github.com/candor-xmpp/candor/scanhook/pdq/internal/ljpeg"
)

// Default limits of HashReader and DecodeImage.
const (
	// DefaultMaxPixels bounds width*height, read from the header before
	// any pixel is decoded. At 8 bytes a pixel (16-bit RGBA PNG) a decoded
	// image then stays under 400 MB.
	DefaultMaxPixels = 50_000_000
	// DefaultMaxBytes bounds the encoded input.
	DefaultMaxBytes = 64 << 20
)

// Limits bound what HashReaderLimits and DecodeImage accept; zero fields
// take the defaults.
type Limits struct {
	MaxPixels int64
	MaxBytes  int64
}

func (l Limits) withDefaults() Limits {
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	return l
}

var (
	// ErrNotImage: the input's magic bytes are not PNG, JPEG or GIF.
	ErrNotImage = errors.New("not a PNG, JPEG or GIF image")
	// ErrTooLarge: the input exceeds the byte or pixel limit.
	ErrTooLarge = errors.New("image too large")
)

// Sniff names the image format from the first bytes of a file: "png",
// "jpeg", "gif", or "" for anything else. Only magic bytes count, never a
// file name.
func Sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(head, []byte{0xff, 0xd8, 0xff}):
		return "jpeg"
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return "gif"
	}
	return ""
}

// HashReader decodes a PNG, JPEG or GIF (the first frame) recognised by
// its magic bytes, within the default limits, and hashes it.
func HashReader(r io.Reader) (Hash, int, error) {
	return HashReaderLimits(r, Limits{})
}

// HashReaderLimits is HashReader with explicit limits.
func HashReaderLimits(r io.Reader, lim Limits) (Hash, int, error) {
	img, _, err := DecodeImage(r, lim)
	if err != nil {
		return Hash{}, 0, err
	}
	return HashImage(img)
}

// DecodeImage reads a PNG, JPEG or GIF recognised by its magic bytes and
// returns its pixels and format name. It refuses inputs over lim.MaxBytes
// and images over lim.MaxPixels, the latter from the header alone.
func DecodeImage(r io.Reader, lim Limits) (img image.Image, format string, err error) {
	lim = lim.withDefaults()
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("pdq: reading image: %w", err)
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, "", fmt.Errorf("pdq: input over %d bytes: %w", lim.MaxBytes, ErrTooLarge)
	}
	format = Sniff(data)
	var decodeConfig func(io.Reader) (image.Config, error)
	var decode func(io.Reader) (image.Image, error)
	switch format {
	case "png":
		decodeConfig, decode = png.DecodeConfig, png.Decode
	case "jpeg":
		decodeConfig = func(io.Reader) (image.Config, error) {
			w, h, err := ljpeg.Config(data)
			return image.Config{Width: w, Height: h}, err
		}
		decode = func(r io.Reader) (image.Image, error) { return decodeJPEG(data, lim.MaxPixels) }
	case "gif":
		decodeConfig, decode = gif.DecodeConfig, gif.Decode
	default:
		return nil, "", fmt.Errorf("pdq: input starting %x: %w", data[:min(len(data), 8)], ErrNotImage)
	}
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, format, fmt.Errorf("pdq: bad %s header: %v", format, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, format, fmt.Errorf("pdq: %s declares %dx%d pixels", format, cfg.Width, cfg.Height)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > lim.MaxPixels {
		return nil, format, fmt.Errorf("pdq: %s of %dx%d pixels is over the limit of %d: %w", format, cfg.Width, cfg.Height, lim.MaxPixels, ErrTooLarge)
	}
	img, err = decodeSafely(decode, data)
	if err != nil {
		return nil, format, fmt.Errorf("pdq: decoding %s: %v", format, err)
	}
	return img, format, nil
}

// decodeSafely turns a panic in a standard-library decoder into an error:
// bad input must never crash the client.
func decodeSafely(decode func(io.Reader) (image.Image, error), data []byte) (img image.Image, err error) {
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, fmt.Errorf("decoder failed: %v", p)
		}
	}()
	return decode(bytes.NewReader(data))
}

// decodeJPEG decodes with the libjpeg-compatible decoder, which gives the
// reference's exact pixels, and falls back to the standard library for
// what it does not handle (CMYK, arithmetic coding, 12-bit, ...).
func decodeJPEG(data []byte, maxPixels int64) (image.Image, error) {
	j, err := ljpeg.Decode(data, maxPixels)
	if errors.Is(err, ljpeg.ErrUnsupported) {
		img, stdErr := jpeg.Decode(bytes.NewReader(data))
		if stdErr != nil {
			return nil, err // ours says what is unsupported
		}
		return img, nil
	}
	if err != nil {
		return nil, err
	}
	return planesImage(j), nil
}

// planesImage wraps decoded planes without copying: grey as image.Gray,
// the usual YCbCr layouts as image.YCbCr, anything else as jpegPlanes.
func planesImage(j *ljpeg.Image) image.Image {
	rect := image.Rect(0, 0, j.Width, j.Height)
	p := j.Planes
	if len(p) == 1 {
		return &image.Gray{Pix: p[0].Pix, Stride: p[0].Stride, Rect: rect}
	}
	maxH := max(p[0].H, p[1].H, p[2].H)
	maxV := max(p[0].V, p[1].V, p[2].V)
	ratios := map[[2]int]image.YCbCrSubsampleRatio{
		{1, 1}: image.YCbCrSubsampleRatio444, {2, 1}: image.YCbCrSubsampleRatio422,
		{2, 2}: image.YCbCrSubsampleRatio420, {1, 2}: image.YCbCrSubsampleRatio440,
		{4, 1}: image.YCbCrSubsampleRatio411, {4, 2}: image.YCbCrSubsampleRatio410,
	}
	ratio, ok := ratios[[2]int{maxH / p[1].H, maxV / p[1].V}]
	if !j.RGB && ok && p[0].H == maxH && p[0].V == maxV && p[1].H == p[2].H && p[1].V == p[2].V && p[1].Stride == p[2].Stride {
		return &image.YCbCr{Y: p[0].Pix, Cb: p[1].Pix, Cr: p[2].Pix, YStride: p[0].Stride, CStride: p[1].Stride,
			SubsampleRatio: ratio, Rect: rect}
	}
	out := &jpegPlanes{rect: rect, rgb: j.RGB}
	for i := range out.comps {
		out.comps[i] = newUpsampler(p[i].Pix, p[i].Stride, maxH/p[i].H, maxV/p[i].V, j.Width, j.Height)
	}
	return out
}
