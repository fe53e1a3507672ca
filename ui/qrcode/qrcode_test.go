package qrcode

import (
	"strings"
	"testing"

	"rsc.io/qr"
)

// The drawing holds every module of the code: reading the half blocks back
// gives the code's own matrix.
func TestRenderMatchesTheCode(t *testing.T) {
	text := "xmpp:alice@example.org?omemo-sid-123456=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	out, err := Render(text)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := qr.Encode(text, qr.M)
	lines := strings.Split(out, "\n")
	n := code.Size + 2*quiet
	if len(lines) != (n+1)/2 || Size(text) != n {
		t.Fatalf("%d lines for a code of %d modules", len(lines), n)
	}
	for row, line := range lines {
		cells := []rune(line)
		if len(cells) != n {
			t.Fatalf("line %d is %d cells, want %d", row, len(cells), n)
		}
		for x, c := range cells {
			for half, y := range []int{2 * row, 2*row + 1} {
				if y >= n {
					continue
				}
				light := c == '█' || half == 0 && c == '▀' || half == 1 && c == '▄'
				mx, my := x-quiet, y-quiet
				black := mx >= 0 && my >= 0 && mx < code.Size && my < code.Size && code.Black(mx, my)
				if light == black {
					t.Fatalf("module %d,%d drawn wrong", x, y)
				}
			}
		}
	}
}
