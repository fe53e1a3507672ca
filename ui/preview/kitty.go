package preview

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
	"strconv"
	"strings"
)

// The kitty graphics protocol with Unicode placeholders: the image is
// transmitted once with a virtual placement (U=1) of cols × rows cells, and
// shown wherever cells hold U+10EEEE in a foreground colour that encodes
// the image id. The first cell of each row names its row and column with
// combining diacritics; the cells after it continue the row, so only the
// first few diacritics of the protocol's table are needed.

// placeholder is kitty's image placeholder character.
const placeholder = "\U0010EEEE"

// diacritics are the first entries of the protocol's row/column table
// (rowcolumn-diacritics.txt): the n-th stands for the number n.
var diacritics = []rune{
	0x0305, 0x030D, 0x030E, 0x0310, 0x0312, 0x033D, 0x033E, 0x033F,
	0x0346, 0x034A, 0x034B, 0x034C, 0x0350, 0x0351, 0x0352, 0x0357,
	0x035B, 0x0363, 0x0364, 0x0365, 0x0366, 0x0367, 0x0368, 0x0369,
}

// MaxKittyRows is the tallest kitty preview, in cells: one diacritic a row.
const MaxKittyRows = 24

// chunk is the payload size of one graphics command (the protocol's limit).
const chunk = 4096

// kittyImage transmits img scaled for cols × rows cells and lays out the
// placeholders.
func kittyImage(img image.Image, cols, rows int, id uint32) (Image, error) {
	rows = min(rows, len(diacritics))
	// About 10×20 pixels a cell: enough detail, a small payload.
	b := img.Bounds()
	pw, ph := fit(b.Dx(), b.Dy(), cols*10, rows*20)
	scaled := image.NewRGBA(image.Rect(0, 0, pw, ph))
	px := sample(img, pw, ph)
	for y := range ph {
		for x := range pw {
			scaled.SetRGBA(x, y, px[y][x])
		}
	}
	var enc bytes.Buffer
	if err := png.Encode(&enc, scaled); err != nil {
		return Image{}, err
	}
	return Image{Rows: placeholders(id, cols, rows), Cols: cols, Transmit: transmit(id, cols, rows, enc.Bytes()), ID: id}, nil
}

// transmit is the escape sequence that sends a PNG as image id with a
// virtual placement of cols × rows cells, quietly (q=2: no replies that
// would reach the program as input).
func transmit(id uint32, cols, rows int, pngData []byte) string {
	data := base64.StdEncoding.EncodeToString(pngData)
	var b strings.Builder
	first := true
	for len(data) > 0 {
		n := min(chunk, len(data))
		part := data[:n]
		data = data[n:]
		more := "0"
		if len(data) > 0 {
			more = "1"
		}
		b.WriteString("\x1b_G")
		if first {
			b.WriteString("a=T,f=100,U=1,q=2,i=" + strconv.FormatUint(uint64(id), 10) +
				",c=" + strconv.Itoa(cols) + ",r=" + strconv.Itoa(rows) + ",")
			first = false
		}
		b.WriteString("m=" + more + ";" + part + "\x1b\\")
	}
	return b.String()
}

// placeholders are the rows of cells that show image id.
func placeholders(id uint32, cols, rows int) []string {
	fg := "\x1b[38;2;" + strconv.Itoa(int(id>>16&0xff)) + ";" + strconv.Itoa(int(id>>8&0xff)) + ";" + strconv.Itoa(int(id&0xff)) + "m"
	out := make([]string, rows)
	for r := range rows {
		out[r] = fg + placeholder + string(diacritics[r]) + string(diacritics[0]) + strings.Repeat(placeholder, cols-1) + "\x1b[39m"
	}
	return out
}

// DeleteAll is the sequence that frees every image this program placed
// (sent when it exits, so that the terminal does not keep them).
const DeleteAll = "\x1b_Ga=d,d=A,q=2\x1b\\"
