package conversation

import (
	"strconv"
	"testing"
)

// BenchmarkView renders one frame of a conversation scrolled a few pages
// back. The cost must not depend on the length of the history.
func BenchmarkView(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			x := newHarness(b, n, 100, 40)
			for range 5 {
				x.do(x.m.PageUp())
			}
			b.ReportAllocs()
			for b.Loop() {
				_ = x.m.View()
			}
		})
	}
}

// BenchmarkScroll is a page up (or down) plus the frame that shows it,
// loading pages from the backend double as the window moves: 20 pages back,
// then 20 forward, again and again (within the 1k history, so that both
// sizes do the same work and only the history length differs).
func BenchmarkScroll(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			x := newHarness(b, n, 100, 40)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if (i/20)%2 == 0 {
					x.do(x.m.PageUp())
				} else {
					x.do(x.m.PageDown())
				}
				_ = x.m.View()
				i++
			}
			if x.m.Len() > MaxWindow {
				b.Fatalf("window grew to %d", x.m.Len())
			}
		})
	}
}
