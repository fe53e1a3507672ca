package demo

import (
	"image"
	"image/color"
	"strings"
)

// glyph is a 5x7 bitmap font for the few letters the demo images print,
// so that every generated image says what it is. '#' is ink.
func glyph(r rune) ([7]string, bool) {
	switch r {
	case 'A':
		return [7]string{" ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"}, true
	case 'C':
		return [7]string{" ####", "#    ", "#    ", "#    ", "#    ", "#    ", " ####"}, true
	case 'D':
		return [7]string{"#### ", "#   #", "#   #", "#   #", "#   #", "#   #", "#### "}, true
	case 'E':
		return [7]string{"#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####"}, true
	case 'G':
		return [7]string{" ####", "#    ", "#    ", "# ###", "#   #", "#   #", " ### "}, true
	case 'H':
		return [7]string{"#   #", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"}, true
	case 'I':
		return [7]string{"#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "#####"}, true
	case 'L':
		return [7]string{"#    ", "#    ", "#    ", "#    ", "#    ", "#    ", "#####"}, true
	case 'M':
		return [7]string{"#   #", "## ##", "# # #", "#   #", "#   #", "#   #", "#   #"}, true
	case 'N':
		return [7]string{"#   #", "##  #", "# # #", "#  ##", "#   #", "#   #", "#   #"}, true
	case 'O':
		return [7]string{" ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "}, true
	case 'R':
		return [7]string{"#### ", "#   #", "#   #", "#### ", "# #  ", "#  # ", "#   #"}, true
	case 'S':
		return [7]string{" ####", "#    ", "#    ", " ### ", "    #", "    #", "#### "}, true
	case 'T':
		return [7]string{"#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  "}, true
	case 'U':
		return [7]string{"#   #", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "}, true
	case 'P':
		return [7]string{"#### ", "#   #", "#   #", "#### ", "#    ", "#    ", "#    "}, true
	case 'F':
		return [7]string{"#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#    "}, true
	case 'K':
		return [7]string{"#   #", "#  # ", "# #  ", "##   ", "# #  ", "#  # ", "#   #"}, true
	case 'V':
		return [7]string{"#   #", "#   #", "#   #", "#   #", "#   #", " # # ", "  #  "}, true
	case 'Y':
		return [7]string{"#   #", "#   #", " # # ", "  #  ", "  #  ", "  #  ", "  #  "}, true
	case '-':
		return [7]string{"     ", "     ", "     ", "#####", "     ", "     ", "     "}, true
	case ' ':
		return [7]string{"     ", "     ", "     ", "     ", "     ", "     ", "     "}, true
	}
	return [7]string{}, false
}

// drawText prints s with its top-left corner at (x, y), each font pixel a
// scale x scale square. Letters without a glyph print as blanks.
func drawText(m *image.NRGBA, x, y, scale int, s string, c color.NRGBA) {
	for _, r := range strings.ToUpper(s) {
		g, ok := glyph(r)
		if ok {
			for gy, row := range g {
				for gx, ch := range row {
					if ch == '#' {
						fillRect(m, image.Rect(x+gx*scale, y+gy*scale, x+(gx+1)*scale, y+(gy+1)*scale), c)
					}
				}
			}
		}
		x += 6 * scale
	}
}

// textWidth is the width drawText uses for s.
func textWidth(s string, scale int) int { return len([]rune(s))*6*scale - scale }

func fillRect(m *image.NRGBA, r image.Rectangle, c color.NRGBA) {
	r = r.Intersect(m.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			m.SetNRGBA(x, y, c)
		}
	}
}
