package demo

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
)

// Size is the side of the generated images: 512 is what PDQ's reference
// resizes larger images to, so PDQ sees these pixels as they are.
const Size = 512

// TestCard draws the listed demo image: colour bars, a grey ramp,
// gratings, a circle and the words "CANDOR DEMO TEST CARD".
func TestCard() *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, Size, Size))
	// A background ramp, light to dark: smooth structure that is not
	// left-right symmetric, so mirroring changes coefficients clearly.
	for y := range Size {
		for x := range Size {
			v := uint8(200 - 170*x/Size)
			m.SetNRGBA(x, y, color.NRGBA{v, v, v, 255})
		}
	}
	bars := []color.NRGBA{{235, 235, 235, 255}, {235, 235, 16, 255}, {16, 235, 235, 255}, {16, 235, 16, 255},
		{235, 16, 235, 255}, {235, 16, 16, 255}, {16, 16, 235, 255}, {16, 16, 16, 255}}
	for i, c := range bars {
		fillRect(m, image.Rect(i*64, 40, (i+1)*64, 200), c)
	}
	for i := range 16 {
		v := uint8(i * 17)
		fillRect(m, image.Rect(i*32, 200, (i+1)*32, 250), color.NRGBA{v, v, v, 255})
	}
	// Gratings, finer to the right, but coarse: PDQ samples a 512 px image
	// 3 px off-centre once mirrored (its box filter and cell centres are
	// asymmetric), and fine gratings then flip enough bits to defeat even
	// dihedral matching (16 px periods: 26 bits; these: about 10).
	for x := 0; x < Size; x++ {
		period := 64 + 64*(Size-x)/Size
		for y := 260; y < 330; y++ {
			if (x/(period/2))%2 == 0 {
				m.SetNRGBA(x, y, color.NRGBA{20, 20, 20, 255})
			} else {
				m.SetNRGBA(x, y, color.NRGBA{230, 230, 230, 255})
			}
		}
	}
	for _, corner := range []image.Point{{0, 0}, {Size - 32, 0}, {0, 338}, {Size - 32, 338}} {
		for y := range 32 {
			for x := range 32 {
				if (x/16+y/16)%2 == 0 {
					m.SetNRGBA(corner.X+x, corner.Y+y, color.NRGBA{0, 0, 0, 255})
				}
			}
		}
	}
	ring(m, Size/2, Size/2, 192, 204, color.NRGBA{255, 255, 255, 255}, nil)
	fillRect(m, image.Rect(Size/2-4, 20, Size/2+4, Size-20), color.NRGBA{255, 255, 255, 255})
	fillRect(m, image.Rect(20, Size/2-4, Size-20, Size/2+4), color.NRGBA{255, 255, 255, 255})
	fillRect(m, image.Rect(0, 420, Size, 500), color.NRGBA{10, 10, 40, 255})
	const title = "CANDOR DEMO TEST CARD"
	drawText(m, (Size-textWidth(title, 3))/2, 450, 3, title, color.NRGBA{255, 255, 255, 255})
	return m
}

// Logo draws the second listed demo image: an orange "C" ring around a
// padlock on dark blue, over the word "CANDOR".
func Logo() *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, Size, Size))
	fillRect(m, m.Rect, color.NRGBA{20, 30, 70, 255})
	orange := color.NRGBA{255, 140, 0, 255}
	gap := func(dx, dy float64) bool { // the opening of the C, to the right
		return dx > 0 && math.Abs(math.Atan2(dy, dx)) < math.Pi/5
	}
	ring(m, 256, 230, 140, 190, orange, gap)
	pale := color.NRGBA{230, 230, 240, 255}
	ring(m, 256, 230, 32, 48, pale, func(dx, dy float64) bool { return dy > 0 })
	fillRect(m, image.Rect(208, 230, 304, 310), pale)
	ring(m, 256, 262, 0, 12, color.NRGBA{20, 30, 70, 255}, nil)
	fillRect(m, image.Rect(251, 262, 261, 292), color.NRGBA{20, 30, 70, 255})
	drawText(m, (Size-textWidth("CANDOR", 7))/2, 440, 7, "CANDOR", orange)
	return m
}

// Landscape draws an unrelated, harmless picture (sky, sun, hills, trees)
// with a little fixed-seed grain; the false positive is made from it.
func Landscape() *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, Size, Size))
	rng := rand.New(rand.NewPCG(2026, 4))
	for y := range Size {
		for x := range Size {
			fx, fy := float64(x), float64(y)
			t := fy / 330
			c := [3]float64{90 + 160*t, 150 + 50*t, 230 - 80*t} // sky to the horizon
			if math.Hypot(fx-380, fy-140) < 45 {
				c = [3]float64{255, 232, 120}
			}
			if fy > 300+40*math.Sin(fx/60) {
				c = [3]float64{60, 120 - 20*math.Sin(fx/23), 90}
			}
			if fy > 370+30*math.Sin(fx/45+1) {
				c = [3]float64{40 + fy/10, 160 - fy/8, 60}
			}
			n := float64(rng.IntN(13) - 6)
			m.SetNRGBA(x, y, color.NRGBA{clamp(c[0] + n), clamp(c[1] + n), clamp(c[2] + n), 255})
		}
	}
	for i, x := range []int{70, 150, 205, 330, 450} {
		base := 395 + 30*math.Sin(float64(x)/45+1) + float64(10*(i%2))
		triangle(m, x, int(base)-70-10*(i%3), int(base), 28, color.NRGBA{20, 80, 35, 255})
		fillRect(m, image.Rect(x-4, int(base), x+4, int(base)+14), color.NRGBA{90, 60, 30, 255})
	}
	const title = "HARMLESS DEMO LANDSCAPE"
	drawText(m, (Size-textWidth(title, 2))/2, 490, 2, title, color.NRGBA{255, 255, 255, 255})
	return m
}

// ring fills the annulus r0 <= distance < r1 around (cx, cy), except where
// skip says so.
func ring(m *image.NRGBA, cx, cy int, r0, r1 float64, c color.NRGBA, skip func(dx, dy float64) bool) {
	for y := cy - int(r1) - 1; y <= cy+int(r1)+1; y++ {
		for x := cx - int(r1) - 1; x <= cx+int(r1)+1; x++ {
			dx, dy := float64(x-cx)+0.5, float64(y-cy)+0.5
			d := math.Hypot(dx, dy)
			if d >= r0 && d < r1 && (skip == nil || !skip(dx, dy)) && image.Pt(x, y).In(m.Rect) {
				m.SetNRGBA(x, y, c)
			}
		}
	}
}

// triangle fills an upright triangle with apex (x, top), base at y = bottom.
func triangle(m *image.NRGBA, x, top, bottom, halfWidth int, c color.NRGBA) {
	for y := top; y < bottom; y++ {
		w := halfWidth * (y - top) / max(bottom-top, 1)
		fillRect(m, image.Rect(x-w, y, x+w+1, y+1), c)
	}
}

func clamp(v float64) uint8 { return uint8(math.Max(0, math.Min(255, math.Round(v)))) }
