package demo

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/testenv"
	"github.com/candor-xmpp/candor/scanhook/pdq"
)

// TestSharedHashes: the ThreatExchange hashes on the demo list are the
// reference's output for those photos (expected.tsv), and our hashing of
// the photos lands within 8 bits of them.
func TestSharedHashes(t *testing.T) {
	dir := filepath.Join(testenv.SharedDir(t), "testdata", "pdq")
	f, err := os.Open(filepath.Join(dir, "expected.tsv"))
	if err != nil {
		testenv.Skip(t, err.Error())
	}
	defer f.Close()
	ref := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Split(sc.Text(), "\t"); len(fields) == 3 && !strings.HasPrefix(fields[0], "#") {
			ref[fields[0]] = fields[1]
		}
	}
	for path, constant := range map[string]string{
		"reg-test-input/dih/bridge-1-original.jpg": BridgeHash,
		"reg-test-input/labelme-subset/q0004.jpg":  Q0004Hash,
		"misc-images/wee.jpg":                      WeeHash,
	} {
		if ref[path] != constant {
			t.Errorf("%s: constant %s, reference %s", path, constant, ref[path])
		}
		img, err := os.Open(filepath.Join(dir, path))
		if err != nil {
			t.Fatal(err)
		}
		h, _, err := pdq.HashReader(img)
		img.Close()
		want, _ := pdq.ParseHash(constant)
		if err != nil || h.Distance(want) > 8 {
			t.Errorf("%s: our hash %s is %d bits from the listed one (%v)", path, h, h.Distance(want), err)
		}
	}
}

// TestWriteDir: every file is written, the manifest lists each with an
// expected outcome, and the images read back from disk hash as listed.
func TestWriteDir(t *testing.T) {
	dir := t.TempDir()
	m, err := WriteDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var manifest []ManifestItem
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		t.Fatal(err)
	}
	if len(manifest) != 4+len(m.Evasions) {
		t.Errorf("manifest has %d items", len(manifest))
	}
	for _, item := range manifest {
		if item.Expected == "" {
			t.Errorf("%s: no expected outcome", item.File)
		}
		f, err := os.Open(filepath.Join(dir, item.File))
		if err != nil {
			t.Fatal(err)
		}
		h, _, err := pdq.HashReader(f)
		f.Close()
		if item.PDQ != "" && (err != nil || h.String() != item.PDQ) {
			t.Errorf("%s: hashes to %s (%v), manifest says %s", item.File, h, err, item.PDQ)
		}
	}
	list, err := os.ReadFile(filepath.Join(dir, "demo-hashes.tsv"))
	if err != nil || !strings.Contains(string(list), "DEMO-004\t"+m.TestCardHash.String()+"\tDEMO ENTRY: harmless generated test card\n") {
		t.Errorf("demo-hashes.tsv: %v\n%s", err, list)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(manifest)+2 {
		t.Errorf("%d files written, %d in the manifest plus 2", len(entries), len(manifest))
	}
}
