package preview

import (
	"bufio"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // decoders for previews
	_ "image/jpeg"
	_ "image/png"
	"os"
	"strconv"
	"strings"
)

// Limits of what is decoded.
const (
	MaxPixels    = 40_000_000 // a 40 MP photo decodes; a decompression bomb does not
	MaxDimension = 20_000
	MaxFileSize  = 64 << 20
)

// Image is a rendered preview: Rows of exactly Cols cells. Transmit, when
// set, must reach the terminal once before Rows show (kitty).
type Image struct {
	Rows     []string
	Cols     int
	Transmit string
	ID       uint32
}

// Render decodes the image at path and draws it in at most cols × rows
// cells.
func Render(path string, cols, rows int, mode Mode, id uint32) (Image, error) {
	if cols < 1 || rows < 1 {
		return Image{}, errors.New("no room for a preview")
	}
	img, err := decode(path)
	if err != nil {
		return Image{}, err
	}
	b := img.Bounds()
	tw, th := fit(b.Dx(), b.Dy(), cols, rows*2)
	switch mode {
	case Kitty:
		return kittyImage(img, tw, (th+1)/2, id)
	default:
		return blocks(sample(img, tw, th)), nil
	}
}

// decode reads an image within the limits. Errors do not repeat the path:
// they are shown under the file's own line.
func decode(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("cannot read the file: %v", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || fi.Size() > MaxFileSize {
		return nil, errors.New("too large to preview")
	}
	cfg, format, err := image.DecodeConfig(bufio.NewReader(f))
	if err != nil {
		return nil, errors.New("not an image Candor can preview (PNG, JPEG or GIF)")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxDimension || cfg.Height > MaxDimension ||
		int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, fmt.Errorf("%dx%d %s is too large to preview", cfg.Width, cfg.Height, format)
	}
	if _, err := f.Seek(0, 0); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("broken %s: %v", format, err)
	}
	return img, nil
}

// fit scales w×h down (never up) to fit maxW×maxH, keeping the aspect.
func fit(w, h, maxW, maxH int) (int, int) {
	if w <= maxW && h <= maxH {
		return w, h
	}
	if w*maxH > h*maxW {
		return maxW, max(1, h*maxW/w)
	}
	return max(1, w*maxH/h), maxH
}

// sample scales img to w×h pixels, averaging a few samples per pixel over
// a dark backdrop (for transparency).
func sample(img image.Image, w, h int) [][]color.RGBA {
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	out := make([][]color.RGBA, h)
	const grid = 3
	for y := range h {
		out[y] = make([]color.RGBA, w)
		for x := range w {
			var r, g, bl, n uint32
			for sy := range grid {
				for sx := range grid {
					px := b.Min.X + (x*grid+sx)*sw/(w*grid)
					py := b.Min.Y + (y*grid+sy)*sh/(h*grid)
					cr, cg, cb, ca := img.At(px, py).RGBA()
					// Over the backdrop (0x20): premultiplied plus the rest.
					back := (0xffff - ca) * 0x20 / 0xff
					r += (cr + back) >> 8
					g += (cg + back) >> 8
					bl += (cb + back) >> 8
					n++
				}
			}
			out[y][x] = color.RGBA{uint8(r / n), uint8(g / n), uint8(bl / n), 0xff}
		}
	}
	return out
}

// blocks draws pixels two rows per cell: ▀ in the upper pixel's colour on
// the lower's.
func blocks(px [][]color.RGBA) Image {
	h := len(px)
	if h == 0 {
		return Image{}
	}
	w := len(px[0])
	img := Image{Cols: w}
	var b strings.Builder
	for y := 0; y < h; y += 2 {
		b.Reset()
		for x := range w {
			top := px[y][x]
			b.WriteString("\x1b[38;2;" + rgb(top))
			if y+1 < h {
				b.WriteString(";48;2;" + rgb(px[y+1][x]) + "m▀")
			} else {
				b.WriteString(";49m▀")
			}
		}
		b.WriteString("\x1b[m")
		img.Rows = append(img.Rows, b.String())
	}
	return img
}

func rgb(c color.RGBA) string {
	return strconv.Itoa(int(c.R)) + ";" + strconv.Itoa(int(c.G)) + ";" + strconv.Itoa(int(c.B))
}

var errPanic = errors.New("the image could not be decoded")
