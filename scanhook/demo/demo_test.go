package demo

import (
	"archive/zip"
	"bytes"
	"errors"
	"image"
	"image/color"
	"io"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/candor-xmpp/candor/scanhook/pdq"
)

// generated runs Generate once for all tests of the package.
var generated = sync.OnceValues(Generate)

func material(t *testing.T) *Material {
	t.Helper()
	m, err := generated()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestDeterministic(t *testing.T) {
	a := material(t)
	b, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]*image.NRGBA{{a.TestCard, b.TestCard}, {a.Logo, b.Logo}, {a.Landscape, b.Landscape}, {a.FalsePositive, b.FalsePositive}} {
		if !bytes.Equal(pair[0].Pix, pair[1].Pix) {
			t.Error("an image differs between two runs")
		}
	}
	for i := range a.Evasions {
		if !bytes.Equal(a.Evasions[i].Data, b.Evasions[i].Data) || a.Evasions[i].Outcome != b.Evasions[i].Outcome {
			t.Errorf("evasion %s differs between two runs", a.Evasions[i].Name)
		}
	}
}

// TestImagesUsable: each generated image passes the quality gate, and the
// listed ones and the landscape are far apart, so no match is accidental.
func TestImagesUsable(t *testing.T) {
	m := material(t)
	imgs := map[string]*image.NRGBA{"test card": m.TestCard, "logo": m.Logo, "landscape": m.Landscape}
	hashes := map[string]pdq.Hash{}
	for name, img := range imgs {
		h, q, err := pdq.HashImage(img)
		if err != nil || q < pdq.QualityGate {
			t.Errorf("%s: quality %d, err %v", name, q, err)
		}
		hashes[name] = h
	}
	for a, ha := range hashes {
		for b, hb := range hashes {
			if a < b && ha.Distance(hb) <= 2*pdq.DefaultThreshold {
				t.Errorf("%s and %s only %d bits apart", a, b, ha.Distance(hb))
			}
		}
	}
}

// lumaRMS is the root-mean-square luminance difference of two images.
func lumaRMS(a, b *image.NRGBA) float64 {
	var s float64
	for i := 0; i < len(a.Pix); i += 4 {
		d := lumaDiff(color.NRGBA{a.Pix[i], a.Pix[i+1], a.Pix[i+2], 255}, color.NRGBA{b.Pix[i], b.Pix[i+1], b.Pix[i+2], 255})
		s += d * d
	}
	return math.Sqrt(s / float64(len(a.Pix)/4))
}

// TestFalsePositive: the crafted landscape matches the listed test card
// (measured again here from its PNG), although the landscape itself does
// not, and it stays close to the landscape and far from the test card.
func TestFalsePositive(t *testing.T) {
	m := material(t)
	data, err := encodePNG(m.FalsePositive)
	if err != nil {
		t.Fatal(err)
	}
	h, q, err := pdq.HashReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	d := h.Distance(m.TestCardHash)
	orig, _, _ := pdq.HashImage(m.Landscape)
	near, far := lumaRMS(m.FalsePositive, m.Landscape), lumaRMS(m.FalsePositive, m.TestCard)
	t.Logf("false positive: %d bits from the test card (landscape: %d), quality %d; RMS change %.1f (reported %.1f, max %.0f); RMS from the test card %.1f",
		d, orig.Distance(m.TestCardHash), q, near, m.Collision.RMSChange, m.Collision.MaxChange, far)
	if d > pdq.DefaultThreshold || d != m.Collision.Distance || q < pdq.QualityGate {
		t.Errorf("distance %d (reported %d), quality %d", d, m.Collision.Distance, q)
	}
	if orig.Distance(m.TestCardHash) <= pdq.DefaultThreshold {
		t.Error("the landscape matched the test card before crafting")
	}
	if near > 12 || far < 4*near {
		t.Errorf("looks: RMS %.1f from the landscape, %.1f from the test card", near, far)
	}
}

func evasion(t *testing.T, name string) Evasion {
	t.Helper()
	for _, e := range material(t).Evasions {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("no evasion %q", name)
	return Evasion{}
}

// TestTurnedAndMirrored: no match at the threshold, a match with dihedral
// matching, and the outcome says so with the measured numbers.
func TestTurnedAndMirrored(t *testing.T) {
	listed := material(t).TestCardHash
	for _, name := range []string{"rotated-90", "mirrored"} {
		e := evasion(t, name)
		img, format, err := pdq.DecodeImage(bytes.NewReader(e.Data), pdq.Limits{})
		if err != nil || format != "png" {
			t.Fatalf("%s: %v %q", name, err, format)
		}
		h, _, _ := pdq.HashImage(img)
		hs, _, _ := pdq.HashImageDihedral(img)
		best := pdq.Bits
		for _, v := range hs {
			best = min(best, v.Distance(listed))
		}
		t.Logf("%s: %d bits, %d with dihedral matching: %s", name, h.Distance(listed), best, e.Outcome)
		if h.Distance(listed) <= pdq.DefaultThreshold || best > pdq.DefaultThreshold {
			t.Errorf("%s: distance %d, dihedral %d", name, h.Distance(listed), best)
		}
		want := "no match: distance " + strconv.Itoa(h.Distance(listed)) + " > 31; matches only with dihedral matching on"
		if !strings.HasPrefix(e.Outcome, want) || e.DihedralDistance != best {
			t.Errorf("%s: outcome %q, want it to start %q", name, e.Outcome, want)
		}
	}
}

// TestContainersAreNotImages: by magic bytes a ZIP or a PDF is no image,
// so the scanner never hashes it, although the image inside would match.
func TestContainersAreNotImages(t *testing.T) {
	listed := material(t).TestCardHash
	for name, magic := range map[string]string{"zipped": "PK\x03\x04", "pdf": "%PDF-1."} {
		e := evasion(t, name)
		if !bytes.HasPrefix(e.Data, []byte(magic)) || pdq.Sniff(e.Data) != "" || e.Format != "" {
			t.Errorf("%s: starts %q, sniffed as %q", name, e.Data[:8], pdq.Sniff(e.Data))
		}
		if _, _, err := pdq.HashReader(bytes.NewReader(e.Data)); !errors.Is(err, pdq.ErrNotImage) {
			t.Errorf("%s: HashReader says %v", name, err)
		}
		if !strings.HasPrefix(e.Outcome, "not scanned: ") {
			t.Errorf("%s: outcome %q", name, e.Outcome)
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(evasion(t, "zipped").Data), int64(len(evasion(t, "zipped").Data)))
	if err != nil || len(zr.File) != 1 {
		t.Fatalf("zip: %v", err)
	}
	f, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	inner, _, err := pdq.HashReader(f)
	if err != nil || inner.Distance(listed) != 0 {
		t.Errorf("the PNG in the zip: %v, distance %d", err, inner.Distance(listed))
	}
	jpg := pdfImage(t, evasion(t, "pdf").Data)
	h, _, err := pdq.HashReader(bytes.NewReader(jpg))
	if err != nil || h.Distance(listed) > pdq.DefaultThreshold {
		t.Errorf("the JPEG in the PDF: %v, distance %d", err, h.Distance(listed))
	}
	if !strings.Contains(evasion(t, "pdf").Outcome, "distance "+strconv.Itoa(h.Distance(listed))+" ") {
		t.Errorf("pdf outcome %q lacks the measured distance %d", evasion(t, "pdf").Outcome, h.Distance(listed))
	}
}

// pdfImage checks the PDF's cross-reference table and returns the image
// stream.
func pdfImage(t *testing.T, pdf []byte) []byte {
	t.Helper()
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("pdf: no startxref at the end")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(pdf[xref:], []byte("xref\n0 6\n")) {
		t.Fatalf("pdf: startxref %d does not point at the xref table", xref)
	}
	entries := regexp.MustCompile(`(\d{10}) 00000 n \n`).FindAllSubmatch(pdf[xref:], -1)
	if len(entries) != 5 {
		t.Fatalf("pdf: %d xref entries", len(entries))
	}
	for i, e := range entries {
		off, _ := strconv.Atoi(string(e[1]))
		if !bytes.HasPrefix(pdf[off:], []byte(strconv.Itoa(i+1)+" 0 obj\n")) {
			t.Errorf("pdf: xref entry %d points at %q", i+1, pdf[off:min(off+10, len(pdf))])
		}
	}
	lm := regexp.MustCompile(`/DCTDecode /Length (\d+) >>\nstream\n`).FindSubmatchIndex(pdf)
	if lm == nil {
		t.Fatal("pdf: no image stream")
	}
	n, _ := strconv.Atoi(string(pdf[lm[2]:lm[3]]))
	stream := pdf[lm[1] : lm[1]+n]
	if !bytes.HasPrefix(pdf[lm[1]+n:], []byte("\nendstream")) {
		t.Fatal("pdf: /Length does not end the stream")
	}
	return stream
}

func TestLink(t *testing.T) {
	e := evasion(t, "link")
	if pdq.Sniff(e.Data) != "" || !strings.Contains(string(e.Data), LinkURL) {
		t.Errorf("link message %q", e.Data)
	}
	u, err := url.Parse(LinkURL)
	if err != nil || !strings.HasSuffix(u.Hostname(), ".example") {
		t.Errorf("link %s must use a reserved .example host", LinkURL)
	}
	if !strings.HasPrefix(e.Outcome, "not scanned as an image") {
		t.Errorf("outcome %q", e.Outcome)
	}
}

func TestWriteHashList(t *testing.T) {
	m := material(t)
	var b bytes.Buffer
	if err := WriteHashList(&b, m.List); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if lines[0] != "# purpose: demo" {
		t.Errorf("first line %q", lines[0])
	}
	var ids []string
	for _, l := range lines {
		if strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != 3 || !strings.HasPrefix(f[2], "DEMO ENTRY: harmless ") {
			t.Errorf("line %q", l)
			continue
		}
		if _, err := pdq.ParseHash(f[1]); err != nil {
			t.Error(err)
		}
		ids = append(ids, f[0])
	}
	if strings.Join(ids, ",") != "DEMO-001,DEMO-002,DEMO-003,DEMO-004,DEMO-005" {
		t.Errorf("ids %v", ids)
	}
	if m.List[3].Hash != m.TestCardHash.String() || m.List[4].Hash != m.LogoHash.String() {
		t.Error("the list does not carry the generated images' hashes")
	}
	for _, bad := range []Entry{{"X", "00", "DEMO ENTRY: x"}, {"X", BridgeHash, "not a demo label"}, {"X\tY", BridgeHash, "DEMO ENTRY: x"}} {
		if err := WriteHashList(io.Discard, []Entry{bad}); err == nil {
			t.Errorf("entry %+v accepted", bad)
		}
	}
}
