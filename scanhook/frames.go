package scanhook

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/gif"
)

// maxPixels bounds the images the simulation decodes (a decompression bomb
// guard): 50 megapixels.
const maxPixels = 50_000_000

// maxSampledFrames is how many frames of an animation are hashed.
const maxSampledFrames = 5

// gifFrames decodes an animated GIF and returns up to maxSampledFrames
// evenly spaced frames, each composited as a viewer would show it, with the
// frame numbers and the total. A one-frame GIF returns total 1.
func gifFrames(b []byte) (frames []image.Image, numbers []int, total int, err error) {
	defer func() {
		// A decoder panic on hostile input must not crash the client.
		if p := recover(); p != nil {
			frames, numbers, total, err = nil, nil, 0, fmt.Errorf("GIF decoder failed: %v", p)
		}
	}()
	if err := checkSize(gif.DecodeConfig(bytes.NewReader(b))); err != nil {
		return nil, nil, 0, err
	}
	g, err := gif.DecodeAll(bytes.NewReader(b))
	if err != nil {
		return nil, nil, 0, err
	}
	total = len(g.Image)
	pick := map[int]bool{}
	if total <= maxSampledFrames {
		for i := 0; i < total; i++ {
			pick[i] = true
		}
	} else {
		for i := 0; i < maxSampledFrames; i++ {
			pick[i*(total-1)/(maxSampledFrames-1)] = true
		}
	}
	bounds := image.Rect(0, 0, g.Config.Width, g.Config.Height)
	canvas := image.NewRGBA(bounds)
	for i, fr := range g.Image {
		disposal := byte(0)
		if i < len(g.Disposal) {
			disposal = g.Disposal[i]
		}
		var saved *image.RGBA
		if disposal == gif.DisposalPrevious {
			saved = cloneRGBA(canvas)
		}
		draw.Draw(canvas, fr.Bounds(), fr, fr.Bounds().Min, draw.Over)
		if pick[i] {
			frames = append(frames, cloneRGBA(canvas))
			numbers = append(numbers, i)
		}
		switch disposal {
		case gif.DisposalBackground:
			draw.Draw(canvas, fr.Bounds(), image.Transparent, image.Point{}, draw.Src)
		case gif.DisposalPrevious:
			canvas = saved
		}
	}
	return frames, numbers, total, nil
}

func cloneRGBA(m *image.RGBA) *image.RGBA {
	c := image.NewRGBA(m.Bounds())
	copy(c.Pix, m.Pix)
	return c
}

// checkSize refuses images larger than maxPixels from their header.
func checkSize(cfg image.Config, err error) error {
	if err != nil {
		return err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPixels {
		return fmt.Errorf("image of %dx%d pixels is outside the simulation's limit of %d pixels", cfg.Width, cfg.Height, maxPixels)
	}
	return nil
}
