package session

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"strings"
	"testing"
)

func TestPadme(t *testing.T) {
	// Worked by hand: 1000 has E=9, S=4, so the low 5 bits are rounded up.
	for n, want := range map[int64]int64{0: 0, 1: 1, 2: 2, 9: 10, 1000: 1024, 1025: 1088, 1 << 20: 1 << 20, 1<<20 + 1: 1<<20 + 1<<15} {
		if got := padme(n); got != want {
			t.Errorf("padme(%d) = %d, want %d", n, got, want)
		}
	}
	// The properties Padmé promises: never smaller, at most ~12% larger,
	// idempotent, monotonic, and few distinct sizes per power of two.
	prev := int64(0)
	sizes := map[int64]bool{}
	for n := int64(1); n < 1<<17; n += 7 {
		p := padme(n)
		if p < n || (n >= 256 && float64(p-n)/float64(n) > 0.12) || padme(p) != p || p < prev {
			t.Fatalf("padme(%d) = %d (previous %d)", n, p, prev)
		}
		prev = p
		if n >= 1<<16 {
			sizes[p] = true
		}
	}
	if len(sizes) > 32 {
		t.Fatalf("%d distinct padded sizes in [64 KiB, 128 KiB): the buckets are too fine", len(sizes))
	}
}

func TestPlanPadding(t *testing.T) {
	p := planPadding("image/png", 1000, 0, 16)
	if p.add != 24 || p.refused != "" || p.freeBox || !strings.Contains(p.format, "IEND") {
		t.Fatalf("PNG of 1000 bytes: %+v", p)
	}
	if p := planPadding("video/mp4", 1020, 0, 16); p.add != 1088-1020 || !p.freeBox {
		t.Fatalf("MP4 of 1020 bytes: %+v (the box header must fit: padme(1028) = 1088)", p)
	}
	if p := planPadding("application/zip", 1000, 0, 16); p.add != 0 || !strings.Contains(p.refused, "application/zip") {
		t.Fatalf("ZIP: %+v", p)
	}
	// The server's limit caps the bucket; no room at all means exact.
	if p := planPadding("image/jpeg", 1000, 1016+10, 16); p.add != 10 {
		t.Fatalf("JPEG under a limit 10 bytes above it: %+v", p)
	}
	if p := planPadding("image/jpeg", 1000, 1016, 16); p.add != 0 || !strings.Contains(p.refused, "limit") {
		t.Fatalf("JPEG at the limit: %+v", p)
	}
	if p := planPadding("video/mp4", 1000, 1016+5, 16); p.add != 0 || p.refused == "" {
		t.Fatalf("MP4 with room for less than a box header: %+v", p)
	}
}

// Padded images still decode to the same pixels with Go's decoders, which
// like every common reader stop at the format's end marker.
func TestPaddedImagesDecode(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 37, 23))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	encode := map[string]func(io.Writer) error{
		"image/png":  func(w io.Writer) error { return png.Encode(w, img) },
		"image/jpeg": func(w io.Writer) error { return jpeg.Encode(w, img, &jpeg.Options{Quality: 90}) },
		"image/gif":  func(w io.Writer) error { return gif.Encode(w, img, nil) },
	}
	for typ, enc := range encode {
		var file bytes.Buffer
		if err := enc(&file); err != nil {
			t.Fatal(err)
		}
		want, _, err := image.Decode(bytes.NewReader(file.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		p := planPadding(typ, int64(file.Len()), 0, 16)
		if p.add == 0 {
			t.Fatalf("%s of %d bytes: not padded (%s)", typ, file.Len(), p.refused)
		}
		padded, err := io.ReadAll(io.MultiReader(bytes.NewReader(file.Bytes()), p.trailer()))
		if err != nil || int64(len(padded)) != padme(int64(file.Len())) {
			t.Fatalf("%s: %d padded bytes, want %d (%v)", typ, len(padded), padme(int64(file.Len())), err)
		}
		got, _, err := image.Decode(bytes.NewReader(padded))
		if err != nil {
			t.Fatalf("%s with %d bytes of padding: %v", typ, p.add, err)
		}
		if !samePixels(got, want) {
			t.Fatalf("%s: padding changed the pixels", typ)
		}
	}
}

// An MP4 with padding is still a sequence of whole boxes, the last one free.
func TestPaddedMP4Boxes(t *testing.T) {
	var file bytes.Buffer
	for _, box := range []struct {
		typ  string
		body int
	}{{"ftyp", 16}, {"moov", 300}, {"mdat", 5000}} {
		binary.Write(&file, binary.BigEndian, uint32(8+box.body))
		file.WriteString(box.typ)
		file.Write(make([]byte, box.body))
	}
	p := planPadding("video/mp4", int64(file.Len()), 0, 16)
	padded, _ := io.ReadAll(io.MultiReader(bytes.NewReader(file.Bytes()), p.trailer()))
	var types []string
	for rest := padded; len(rest) > 0; {
		if len(rest) < 8 {
			t.Fatalf("%d stray bytes after the boxes", len(rest))
		}
		n := binary.BigEndian.Uint32(rest)
		if n < 8 || int(n) > len(rest) {
			t.Fatalf("box %q claims %d bytes, %d left", rest[4:8], n, len(rest))
		}
		types = append(types, string(rest[4:8]))
		rest = rest[n:]
	}
	if strings.Join(types, " ") != "ftyp moov mdat free" || int64(len(padded)) != padme(int64(file.Len())+8) {
		t.Fatalf("boxes %v, %d bytes", types, len(padded))
	}
}

func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if color.RGBAModel.Convert(a.At(x, y)) != color.RGBAModel.Convert(b.At(x, y)) {
				return false
			}
		}
	}
	return true
}

// Past 4 GiB a free box carries its size in the 64-bit field.
func TestFreeBoxLargeSize(t *testing.T) {
	p := padding{add: 1<<32 + 100, freeBox: true}
	head := make([]byte, 16)
	if _, err := io.ReadFull(p.trailer(), head); err != nil {
		t.Fatal(err)
	}
	if binary.BigEndian.Uint32(head) != 1 || string(head[4:8]) != "free" || binary.BigEndian.Uint64(head[8:]) != uint64(p.add) {
		t.Fatalf("header % x", head)
	}
}
