package pdq

import (
	"bufio"
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/testenv"
)

// refRow is one line of shared/testdata/pdq/expected.tsv: the C++
// reference's output for a shared image.
type refRow struct {
	path    string
	hash    Hash
	quality int
}

// pdqDir is shared/testdata/pdq; the images are read there, never copied.
func pdqDir(t testing.TB) string {
	t.Helper()
	return filepath.Join(testenv.SharedDir(t), "testdata", "pdq")
}

func readExpected(t testing.TB) []refRow {
	t.Helper()
	f, err := os.Open(filepath.Join(pdqDir(t), "expected.tsv"))
	if err != nil {
		testenv.Skip(t, "expected.tsv: "+err.Error())
	}
	defer f.Close()
	var rows []refRow
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			t.Fatalf("expected.tsv: bad line %q", line)
		}
		h, err := ParseHash(f[1])
		if err != nil {
			t.Fatalf("expected.tsv: %v", err)
		}
		q, err := strconv.Atoi(f[2])
		if err != nil {
			t.Fatalf("expected.tsv: bad quality in %q", line)
		}
		rows = append(rows, refRow{f[0], h, q})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) < 20 {
		t.Fatalf("expected.tsv has only %d rows", len(rows))
	}
	return rows
}

func hashFile(t testing.TB, path string) (Hash, int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, q, err := HashReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return h, q
}

// TestReferenceJPEGs: every shared image through HashReader gives exactly
// the reference's hash and quality (our decoder reproduces libjpeg's
// pixels, and the PDQ steps are bit-exact).
func TestReferenceJPEGs(t *testing.T) {
	dir := pdqDir(t)
	for _, r := range readExpected(t) {
		h, q := hashFile(t, filepath.Join(dir, r.path))
		if h != r.hash || q != r.quality {
			t.Errorf("%s: %s quality %d, reference %s quality %d (%d bits apart)", r.path, h, q, r.hash, r.quality, h.Distance(r.hash))
		}
	}
}

// TestReferenceJPEGsStdlibDecoder measures the fallback path: Go's
// image/jpeg (its own IDCT) with our libjpeg-style upsampling and colour
// conversion. Within 8 bits and the same quality for the images of
// quality 100; the distances are logged.
func TestReferenceJPEGsStdlibDecoder(t *testing.T) {
	dir := pdqDir(t)
	worst := 0
	for _, r := range readExpected(t) {
		f, err := os.Open(filepath.Join(dir, r.path))
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", r.path, err)
		}
		h, q, err := HashImage(img)
		if err != nil {
			t.Fatalf("%s: %v", r.path, err)
		}
		d := h.Distance(r.hash)
		t.Logf("%-45s distance %3d  quality %3d (reference %3d)", r.path, d, q, r.quality)
		if r.quality == 100 {
			worst = max(worst, d)
			if d > 8 || q != r.quality {
				t.Errorf("%s: %d bits from the reference, quality %d (reference %d)", r.path, d, q, r.quality)
			}
		}
	}
	t.Logf("worst distance at quality 100: %d", worst)
}

// libjpegPixels decodes a JPEG with libjpeg-turbo's djpeg and its defaults
// (ISLOW IDCT, fancy upsampling), the decoder the reference binary is
// linked with.
func libjpegPixels(t *testing.T, djpeg string, jpegData []byte) image.Image {
	t.Helper()
	cmd := exec.Command(djpeg, "-pnm")
	cmd.Stdin = bytes.NewReader(jpegData)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("djpeg: %v", err)
	}
	img, err := readPNM(out)
	if err != nil {
		t.Fatalf("djpeg: %v", err)
	}
	return img
}

// libjpegPNG is the file decoded by libjpeg, as a PNG file.
func libjpegPNG(t *testing.T, djpeg, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img := libjpegPixels(t, djpeg, data)
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.NoCompression}
	if err := enc.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReferenceExactOnSamePixels is the bit-exactness test: every shared
// image, decoded by libjpeg as the reference decodes it and handed to
// HashReader as a PNG, must give the reference's hash and quality exactly,
// through the plain path and the dihedral path alike.
func TestReferenceExactOnSamePixels(t *testing.T) {
	djpeg := testenv.LookPath(t, "djpeg") // Debian: libjpeg-turbo-progs
	dir := pdqDir(t)
	for _, r := range readExpected(t) {
		pngData := libjpegPNG(t, djpeg, filepath.Join(dir, r.path))
		h, q, err := HashReader(bytes.NewReader(pngData))
		if err != nil {
			t.Fatalf("%s: %v", r.path, err)
		}
		if h != r.hash || q != r.quality {
			t.Errorf("%s: got %s quality %d, reference %s quality %d (%d bits apart)",
				r.path, h, q, r.hash, r.quality, h.Distance(r.hash))
		}
		img, err := png.Decode(bytes.NewReader(pngData))
		if err != nil {
			t.Fatal(err)
		}
		hs, qd, err := HashImageDihedral(img)
		if err != nil || hs[0] != r.hash || qd != r.quality {
			t.Errorf("%s: dihedral path gives %s quality %d (err %v), reference %s quality %d",
				r.path, hs[0], qd, err, r.hash, r.quality)
		}
	}
}

// TestDihedralMatchesReferenceFiles: the reference ships bridge-1 rotated
// and mirrored into seven more files (re-encoded JPEGs, so not the same
// pixels). Each dihedral variant of bridge-1 must match (<= 31 bits) the
// reference hash of the file made with that transform, and no other.
func TestDihedralMatchesReferenceFiles(t *testing.T) {
	files := [8]string{"bridge-1-original", "bridge-2-rotate-90", "bridge-3-rotate-180", "bridge-4-rotate-270",
		"bridge-5-flipx", "bridge-6-flipy", "bridge-7-flip-plus-1", "bridge-8-flip-minus-1"}
	want := map[string]Hash{}
	for _, r := range readExpected(t) {
		want[r.path] = r.hash
	}
	f, err := os.Open(filepath.Join(pdqDir(t), "reg-test-input/dih/bridge-1-original.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := DecodeImage(f, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	hs, _, err := HashImageDihedral(img)
	if err != nil {
		t.Fatal(err)
	}
	for v, name := range DihedralNames() {
		for k, file := range files {
			ref, ok := want["reg-test-input/dih/"+file+".jpg"]
			if !ok {
				t.Fatalf("expected.tsv lacks %s", file)
			}
			d := hs[v].Distance(ref)
			if k == v {
				t.Logf("%-10s vs %-22s %3d bits", name, file, d)
			}
			if (k == v) != (d <= DefaultThreshold) {
				t.Errorf("variant %s vs reference %s: %d bits", name, file, d)
			}
		}
	}
}
