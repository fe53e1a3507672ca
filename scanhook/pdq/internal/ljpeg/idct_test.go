package ljpeg

import "testing"

// A block with only a DC term decodes to a flat block of DC/8 + 128,
// rounded half up, as libjpeg's descaling does.
func TestIDCTFlatBlock(t *testing.T) {
	var q [64]uint16
	for i := range q {
		q[i] = 1
	}
	for _, c := range []struct {
		dc   int16
		want uint8
	}{{0, 128}, {80, 138}, {84, 139}, {-80, 118}, {-1024, 0}, {1016, 255}} {
		coef := [64]int16{c.dc}
		var out [64]uint8
		idct(&coef, &q, out[:], 8)
		for i, v := range out {
			if v != c.want {
				t.Fatalf("DC %d: sample %d is %d, want %d", c.dc, i, v, c.want)
			}
		}
	}
}

// rangeLimit wraps modulo 1024 before clamping, like libjpeg's table
// indexed with RANGE_MASK.
func TestRangeLimit(t *testing.T) {
	for in, want := range map[int64]uint8{-128: 0, -129: 0, -1: 127, 0: 128, 127: 255, 511: 255, 512: 0, 1023: 127, 1024: 128} {
		if got := rangeLimit(in); got != want {
			t.Errorf("rangeLimit(%d) = %d, want %d", in, got, want)
		}
	}
}
