// Package qrcode draws QR codes in a terminal with half-block characters,
// two modules per character cell, so that phone apps (Conversations, Dino,
// Gajim, Monal) can scan a fingerprint URI off the screen.
package qrcode

import (
	"fmt"
	"strings"

	"rsc.io/qr"
)

// quiet is the margin of light modules around the code; scanners need
// some, the standard asks for four.
const quiet = 2

// Render returns text as a QR code: lines of "█", "▀", "▄" and spaces,
// dark modules drawn as spaces on a light background so that the code reads
// the same on dark and light terminals (the caller styles it: light
// foreground and background). Width and height in cells are the code's size
// plus the margins, the height halved.
func Render(text string) (string, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return "", fmt.Errorf("QR code of %d bytes: %v", len(text), err)
	}
	n := code.Size + 2*quiet
	dark := func(x, y int) bool {
		x, y = x-quiet, y-quiet
		return x >= 0 && y >= 0 && x < code.Size && y < code.Size && code.Black(x, y)
	}
	var b strings.Builder
	for y := 0; y < n; y += 2 {
		for x := 0; x < n; x++ {
			top, bottom := !dark(x, y), y+1 < n && !dark(x, y+1)
			switch {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteString(" ")
			}
		}
		if y+2 < n {
			b.WriteByte('\n')
		}
	}
	return b.String(), nil
}

// Size is the width in cells of text's QR code (its height is half that,
// rounded up), or 0 when it cannot be encoded.
func Size(text string) int {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return 0
	}
	return code.Size + 2*quiet
}
