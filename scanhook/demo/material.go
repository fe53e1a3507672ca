package demo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"os"
	"path/filepath"

	"github.com/candor-xmpp/candor/scanhook/pdq"
)

// FalsePositiveGoal is how close the crafted landscape is pushed to the
// test card: half the default threshold, so that it matches with room
// to spare while its pixels change as little as needed.
const FalsePositiveGoal = 16

// Material is the whole demo set, generated in memory.
type Material struct {
	TestCard, Logo *image.NRGBA // listed
	Landscape      *image.NRGBA // unrelated and unlisted
	FalsePositive  *image.NRGBA // Landscape, crafted to match TestCard
	Collision      Collision
	TestCardHash   pdq.Hash
	LogoHash       pdq.Hash
	Evasions       []Evasion
	List           []Entry
}

// Generate makes the demo set. It is deterministic: the same bytes on
// every run.
func Generate() (*Material, error) {
	m := &Material{TestCard: TestCard(), Logo: Logo(), Landscape: Landscape()}
	var err error
	if m.TestCardHash, _, err = pdq.HashImage(m.TestCard); err != nil {
		return nil, err
	}
	if m.LogoHash, _, err = pdq.HashImage(m.Logo); err != nil {
		return nil, err
	}
	m.FalsePositive, m.Collision, err = Collide(m.Landscape, m.TestCardHash, FalsePositiveGoal, 20)
	if err != nil {
		return nil, err
	}
	if m.Collision.Distance > FalsePositiveGoal {
		return nil, fmt.Errorf("demo: the false positive got only within %d bits of the test card", m.Collision.Distance)
	}
	if m.Evasions, err = Evasions(m.TestCard, m.TestCardHash, pdq.DefaultThreshold); err != nil {
		return nil, err
	}
	m.List = List(m.TestCardHash, m.LogoHash)
	return m, nil
}

// ManifestItem describes one file WriteDir writes.
type ManifestItem struct {
	File     string `json:"file"`
	What     string `json:"what"`
	PDQ      string `json:"pdq,omitempty"`
	Quality  *int   `json:"quality,omitempty"`
	Expected string `json:"expected"`
}

// WriteDir generates the demo set and writes it into dir (created if
// missing): the images as PNG, the evasions, demo-hashes.tsv and
// manifest.json, which says for every file what the scanner should report.
func WriteDir(dir string) (*Material, error) {
	m, err := Generate()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	files := map[string][]byte{}
	var manifest []ManifestItem
	addImage := func(file, what, expected string, img *image.NRGBA) error {
		data, err := encodePNG(img)
		if err != nil {
			return err
		}
		h, q, err := pdq.HashReader(bytes.NewReader(data))
		if err != nil {
			return err
		}
		files[file] = data
		manifest = append(manifest, ManifestItem{file, what, h.String(), &q, expected})
		return nil
	}
	listed := fmt.Sprintf("match: listed as DEMO-004 (distance 0 <= %d)", pdq.DefaultThreshold)
	steps := []struct {
		file, what, expected string
		img                  *image.NRGBA
	}{
		{"testcard.png", "listed demo image: generated test card", listed, m.TestCard},
		{"logo.png", "listed demo image: generated Candor logo", fmt.Sprintf("match: listed as DEMO-005 (distance 0 <= %d)", pdq.DefaultThreshold), m.Logo},
		{"landscape.png", "unlisted harmless image: generated landscape", fmt.Sprintf("no match: distance %d to the nearest entry", nearest(m, m.Landscape)), m.Landscape},
		{"false-positive.png", "the landscape with a faint smooth pattern added, crafted against PDQ",
			fmt.Sprintf("FALSE POSITIVE: matches DEMO-004 (test card) at distance %d <= %d although it shows a landscape; pixels changed by %.1f RMS, %.0f at most (of 255)",
				m.Collision.Distance, pdq.DefaultThreshold, m.Collision.RMSChange, m.Collision.MaxChange), m.FalsePositive},
	}
	for _, s := range steps {
		if err := addImage(s.file, s.what, s.expected, s.img); err != nil {
			return nil, err
		}
	}
	for _, e := range m.Evasions {
		files["evasion-"+e.File] = e.Data
		manifest = append(manifest, ManifestItem{File: "evasion-" + e.File, What: "evasion of the test card: " + e.Name, Expected: e.Outcome})
	}
	var list bytes.Buffer
	if err := WriteHashList(&list, m.List); err != nil {
		return nil, err
	}
	files["demo-hashes.tsv"] = list.Bytes()
	js, err := json.MarshalIndent(manifest, "", "  ")
	if err != nil {
		return nil, err
	}
	files["manifest.json"] = append(js, '\n')
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	return m, nil
}

// nearest is the smallest distance from img to a list entry.
func nearest(m *Material, img image.Image) int {
	h, _, err := pdq.HashImage(img)
	if err != nil {
		return -1
	}
	best := pdq.Bits
	for _, e := range m.List {
		if l, err := pdq.ParseHash(e.Hash); err == nil {
			best = min(best, h.Distance(l))
		}
	}
	return best
}
