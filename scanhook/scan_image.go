package scanhook

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/candor-xmpp/candor/scanhook/pdq"
)

// imageScanner matches images by PDQ hash against a demo list: the nearest
// entry by Hamming distance, a match at or below the threshold, hashes
// under the quality gate discarded, and optionally all eight dihedral
// variants (scanning.md section 5 step 3).
type imageScanner struct {
	list    string
	entries []pdqEntry
}

type pdqEntry struct {
	entry ListEntry
	hash  pdq.Hash
}

func newImageScanner(l *List) (*imageScanner, error) {
	s := &imageScanner{}
	if l == nil {
		return s, nil
	}
	s.list = l.Name
	for _, e := range l.Entries {
		h, err := pdq.ParseHash(e.Value)
		if err != nil {
			return nil, fmt.Errorf("list %s line %d: %v", l.File, e.Line, err)
		}
		s.entries = append(s.entries, pdqEntry{entry: e, hash: h})
	}
	return s, nil
}

// scan hashes an image part (decoding its bytes unless a frame is given)
// and finds the nearest entry. Entries of class new count only when newOn.
func (s *imageScanner) scan(part *Part, d partData, set Settings, newOn bool) {
	img := d.frame
	if img == nil {
		decoded, _, err := pdq.DecodeImage(bytes.NewReader(d.bytes), pdq.Limits{MaxBytes: MaxAttachmentBytes})
		if errors.Is(err, pdq.ErrNotImage) {
			part.NotScannedReason = fmt.Sprintf("image (%s) NOT scanned: this pure-Go build decodes only JPEG, PNG and GIF; "+
				"a real scanner decodes every format, so this gap is the simulation's", sniffName(derefSniffed(part.Sniffed)))
			return
		}
		if err != nil {
			part.Error = err.Error()
			part.NotScannedReason = "the image could not be decoded"
			return
		}
		img = decoded
	}
	names := [8]string{"original"}
	var hashes [8]pdq.Hash
	n := 1
	var quality int
	var err error
	if set.Dihedral {
		hashes, quality, err = pdq.HashImageDihedral(img)
		names, n = pdq.DihedralNames(), 8
	} else {
		hashes[0], quality, err = pdq.HashImage(img)
	}
	if errors.Is(err, pdq.ErrTooSmall) {
		part.NotScannedReason = "image too small to hash (PDQ needs 5 pixels on a side)"
		return
	}
	if err != nil {
		part.Error = err.Error()
		part.NotScannedReason = "the image could not be hashed"
		return
	}
	part.Scanned = true
	part.Quality = &quality
	passed := !set.QualityGate || quality >= set.QualityMin
	part.QualityPassed = &passed
	for v := 0; v < n; v++ {
		part.Hashes = append(part.Hashes, HashValue{Algorithm: "pdq", Variant: names[v], Value: hashes[v].String()})
	}
	var best *Match
	for _, e := range s.entries {
		if e.entry.Class == ClassNew && !newOn {
			continue
		}
		for v := 0; v < n; v++ {
			dist := hashes[v].Distance(e.hash)
			if best == nil || dist < best.Distance {
				best = &Match{List: s.list, EntryID: e.entry.ID, Label: e.entry.Label, Class: e.entry.Class,
					Distance: dist, Threshold: set.PDQThreshold, Variant: names[v]}
			}
		}
	}
	if best == nil {
		return
	}
	best.Matched = passed && best.Distance <= set.PDQThreshold
	part.Nearest, part.Matched = best, best.Matched
	if !passed {
		part.Note = fmt.Sprintf("hash discarded by the quality gate: quality %d is under %d, so it cannot match", quality, set.QualityMin)
	}
}

func derefSniffed(s *Sniffed) Sniffed {
	if s == nil {
		return Sniffed{}
	}
	return *s
}
