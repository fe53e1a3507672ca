package demo

import (
	"archive/zip"
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"time"

	"github.com/candor-xmpp/candor/scanhook/pdq"
)

// Evasion is one way of sending a listed image past the scanner, with the
// outcome a scanner would report and the measurements behind it.
type Evasion struct {
	Name    string // short identifier, e.g. "rotated-90"
	File    string // file name in the demo directory
	Data    []byte // the file's bytes, exactly as sent
	Outcome string // what the scanner would say, in words
	// Format is what the magic bytes say (pdq.Sniff): "" when the scanner
	// would not treat the file as an image at all.
	Format string
	// Distance is the PDQ distance to the listed hash without dihedral
	// matching; DihedralDistance the best of the eight variants, Variant
	// its name. Both -1 when the file is not hashed.
	Distance, DihedralDistance int
	Variant                    string
}

// LinkURL is the "link instead of upload" evasion: a reserved .example
// host (RFC 2606), so nothing real is ever named.
const LinkURL = "https://share.example/d/7f3a9c/holiday.png"

// zipTime dates the zip entry so that the archive is byte-for-byte the
// same on every run.
func zipTime() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

// Evasions makes the listed image's evasions: turned 90 degrees clockwise,
// mirrored left to right, zipped, inside a PDF, and sent as a link.
func Evasions(listed *image.NRGBA, listedHash pdq.Hash, threshold int) ([]Evasion, error) {
	var out []Evasion
	for _, t := range []struct {
		name string
		img  *image.NRGBA
	}{{"rotated-90", rotateClockwise(listed)}, {"mirrored", mirror(listed)}} {
		data, err := encodePNG(t.img)
		if err != nil {
			return nil, err
		}
		e, err := imageEvasion(t.name, t.name+".png", data, listedHash, threshold)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}

	plain, err := encodePNG(listed)
	if err != nil {
		return nil, err
	}
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	f, err := zw.CreateHeader(&zip.FileHeader{Name: "testcard.png", Method: zip.Deflate, Modified: zipTime()})
	if err == nil {
		_, err = f.Write(plain)
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("demo: zip: %w", err)
	}
	inner, _, err := pdq.HashReader(bytes.NewReader(plain))
	if err != nil {
		return nil, err
	}
	out = append(out, containerEvasion("zipped", "testcard.zip", zipped.Bytes(), "a ZIP archive",
		fmt.Sprintf("the PNG inside would match at distance %d if the scanner unpacked archives", inner.Distance(listedHash))))

	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, listed, &jpeg.Options{Quality: 90}); err != nil {
		return nil, fmt.Errorf("demo: jpeg: %w", err)
	}
	inner, _, err = pdq.HashReader(bytes.NewReader(jpg.Bytes()))
	if err != nil {
		return nil, err
	}
	b := listed.Rect
	out = append(out, containerEvasion("pdf", "testcard.pdf", minimalPDF(jpg.Bytes(), b.Dx(), b.Dy()), "a PDF document",
		fmt.Sprintf("the JPEG inside would match at distance %d if the scanner extracted images from documents", inner.Distance(listedHash))))

	out = append(out, Evasion{
		Name: "link", File: "link.txt", Data: []byte("look at this: " + LinkURL + "\n"),
		Distance: -1, DihedralDistance: -1,
		Outcome: "not scanned as an image: the message is text with a link; the picture stays on another server, " +
			"which the scanner never fetches (it opens no connections); only a URL list could flag it, and this URL is on none",
	})
	return out, nil
}

func imageEvasion(name, file string, data []byte, listed pdq.Hash, threshold int) (Evasion, error) {
	img, format, err := pdq.DecodeImage(bytes.NewReader(data), pdq.Limits{})
	if err != nil {
		return Evasion{}, err
	}
	h, _, err := pdq.HashImage(img)
	if err != nil {
		return Evasion{}, err
	}
	hs, _, err := pdq.HashImageDihedral(img)
	if err != nil {
		return Evasion{}, err
	}
	e := Evasion{Name: name, File: file, Data: data, Format: format, Distance: h.Distance(listed), DihedralDistance: pdq.Bits + 1}
	for v, name := range pdq.DihedralNames() {
		if d := hs[v].Distance(listed); d < e.DihedralDistance {
			e.DihedralDistance, e.Variant = d, name
		}
	}
	switch {
	case e.Distance <= threshold:
		e.Outcome = fmt.Sprintf("match: distance %d <= %d", e.Distance, threshold)
	case e.DihedralDistance <= threshold:
		e.Outcome = fmt.Sprintf("no match: distance %d > %d; matches only with dihedral matching on (variant %s at distance %d)",
			e.Distance, threshold, e.Variant, e.DihedralDistance)
	default:
		e.Outcome = fmt.Sprintf("no match: distance %d > %d, and %d even with dihedral matching", e.Distance, threshold, e.DihedralDistance)
	}
	return e, nil
}

func containerEvasion(name, file string, data []byte, what, inside string) Evasion {
	return Evasion{
		Name: name, File: file, Data: data, Format: pdq.Sniff(data), Distance: -1, DihedralDistance: -1,
		Outcome: fmt.Sprintf("not scanned: %s by its magic bytes (%q), not an image; %s", what, data[:4], inside),
	}
}

func encodePNG(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("demo: png: %w", err)
	}
	return b.Bytes(), nil
}

func rotateClockwise(m *image.NRGBA) *image.NRGBA {
	b := m.Rect
	out := image.NewNRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := range b.Dy() {
		for x := range b.Dx() {
			out.SetNRGBA(b.Dy()-1-y, x, m.NRGBAAt(b.Min.X+x, b.Min.Y+y))
		}
	}
	return out
}

func mirror(m *image.NRGBA) *image.NRGBA {
	b := m.Rect
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := range b.Dy() {
		for x := range b.Dx() {
			out.SetNRGBA(b.Dx()-1-x, y, m.NRGBAAt(b.Min.X+x, b.Min.Y+y))
		}
	}
	return out
}
