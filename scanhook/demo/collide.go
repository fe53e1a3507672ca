package demo

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"

	"github.com/candor-xmpp/candor/scanhook/pdq"
)

// Collision tells how a crafted image was made and how far it landed.
type Collision struct {
	Distance   int     // PDQ bits from the target hash
	Quality    int     // PDQ quality of the crafted image
	Iterations int     // rounds of the optimisation
	MaxChange  float64 // largest luminance change of any pixel, 0..255
	RMSChange  float64 // root-mean-square luminance change
}

// Collide crafts a false positive by direct optimisation against PDQ: it
// adds to base a smooth luminance pattern made only of the 16x16 lowest
// DCT frequencies PDQ looks at, nudging exactly the coefficients that sit
// on the wrong side of the median for target, until the hash is within
// goal bits. The image keeps looking like base; PDQ sees target. This is
// the weakness client-side scanning inherits from perceptual hashes.
func Collide(base *image.NRGBA, target pdq.Hash, goal, maxRounds int) (*image.NRGBA, Collision, error) {
	b := base.Rect
	w, h := b.Dx(), b.Dy()
	basisX, basisY := basis(w), basis(h)
	delta := make([]float64, w*h) // luminance added to every channel
	cur := base
	var res Collision
	for res.Iterations = 0; ; res.Iterations++ {
		in, err := pdq.Inspect(cur)
		if err != nil {
			return nil, Collision{}, fmt.Errorf("demo: collide: %w", err)
		}
		res.Distance, res.Quality = in.Hash.Distance(target), in.Quality
		if res.Distance <= goal || res.Iterations == maxRounds {
			break
		}
		// The change each coefficient needs to reach the wanted side of the
		// median with a margin, as a fraction of the spread of the DCT.
		margin := 0.03 * spread(&in.DCT, in.Median)
		// Leave the costliest wrong bits alone (up to three quarters of the
		// allowance): a match needs only distance <= goal, and the costly
		// ones are the large low-frequency coefficients that carry base's
		// look.
		var step [16][16]float64
		var costs []float64
		for i := range 16 {
			for j := range 16 {
				c := float64(in.DCT[i][j] - in.Median)
				if target.Bit(16*i + j) {
					step[i][j] = max(0, margin-c)
				} else {
					step[i][j] = min(0, -margin-c)
				}
				if (c > 0) != target.Bit(16*i+j) {
					costs = append(costs, math.Abs(step[i][j]))
				}
			}
		}
		slices.Sort(costs)
		if spare := goal * 3 / 4; spare > 0 && len(costs) > spare {
			limit := costs[len(costs)-spare]
			for i := range 16 {
				for j := range 16 {
					if math.Abs(step[i][j]) >= limit {
						step[i][j] = 0
					}
				}
			}
		}
		// Back to pixels through the DCT basis: rows of the orthonormal
		// DCT, evaluated on the image grid, so the pattern is smooth.
		row := make([][16]float64, w) // row[x][i] = sum_j step[i][j] basisX[x][j]
		for x := range w {
			for i := range 16 {
				for j := range 16 {
					row[x][i] += step[i][j] * basisX[x][j]
				}
			}
		}
		for y := range h {
			for x := range w {
				s := 0.0
				for i := range 16 {
					s += basisY[y][i] * row[x][i]
				}
				delta[y*w+x] += s
			}
		}
		cur = addLuma(base, delta)
	}
	var sq float64
	for y := range h {
		for x := range w {
			d := lumaDiff(base.NRGBAAt(b.Min.X+x, b.Min.Y+y), cur.NRGBAAt(b.Min.X+x, b.Min.Y+y))
			res.MaxChange = max(res.MaxChange, math.Abs(d))
			sq += d * d
		}
	}
	res.RMSChange = math.Sqrt(sq / float64(w*h))
	return cur, res, nil
}

// basis[t][k] is the k-th PDQ DCT basis function (frequency k+1) at pixel
// t of a side n, mapped onto PDQ's 64-sample grid.
func basis(n int) [][16]float64 {
	out := make([][16]float64, n)
	for t := range n {
		u := (float64(t)+0.5)*64/float64(n) - 0.5
		for k := range 16 {
			out[t][k] = math.Sqrt(2.0/64) * math.Cos(math.Pi/128*float64(k+1)*(2*u+1))
		}
	}
	return out
}

// spread is the mean distance of the coefficients from the median.
func spread(dct *[16][16]float32, median float32) float64 {
	s := 0.0
	for i := range dct {
		for j := range dct[i] {
			s += math.Abs(float64(dct[i][j] - median))
		}
	}
	return s / 256
}

func addLuma(base *image.NRGBA, delta []float64) *image.NRGBA {
	out := image.NewNRGBA(base.Rect)
	w := base.Rect.Dx()
	for i := range delta {
		x, y := base.Rect.Min.X+i%w, base.Rect.Min.Y+i/w
		c := base.NRGBAAt(x, y)
		d := delta[i]
		out.SetNRGBA(x, y, color.NRGBA{clamp(float64(c.R) + d), clamp(float64(c.G) + d), clamp(float64(c.B) + d), c.A})
	}
	return out
}

func lumaDiff(a, b color.NRGBA) float64 {
	l := func(c color.NRGBA) float64 { return 0.299*float64(c.R) + 0.587*float64(c.G) + 0.114*float64(c.B) }
	return l(b) - l(a)
}
