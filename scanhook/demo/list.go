package demo

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/candor-xmpp/candor/scanhook/pdq"
)

// Entry is one line of the demo hash list.
type Entry struct {
	ID    string // e.g. "DEMO-004"
	Hash  string // PDQ, 64 hex digits as the reference prints them
	Label string // what a match shows, always starting "DEMO ENTRY:"
}

// PDQ hashes of harmless ThreatExchange test photos (BSD licence), as the
// C++ reference prints them (shared/testdata/pdq/expected.tsv). Only the
// hashes ship, never the photos; a test checks them against the reference
// output and our own hashing of the files.
const (
	BridgeHash = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22" // reg-test-input/dih/bridge-1-original.jpg
	Q0004Hash  = "992d44af36d69e6ca6b812585928bac11def254ef5398c6d07466c9abcc65b92" // reg-test-input/labelme-subset/q0004.jpg
	WeeHash    = "6227401f601ff4ccafcc9fad4b0d95d371a2eb7265a3285234d228ca94deeb2d" // misc-images/wee.jpg
)

// List is the demo hash list: the three ThreatExchange test photos, then
// the generated test card and logo, hashed now with this package's PDQ.
func List(testCard, logo pdq.Hash) []Entry {
	return []Entry{
		{"DEMO-001", BridgeHash, "DEMO ENTRY: harmless bridge photo (ThreatExchange test image)"},
		{"DEMO-002", Q0004Hash, "DEMO ENTRY: harmless street photo (ThreatExchange test image, quality 4: under the quality gate)"},
		{"DEMO-003", WeeHash, "DEMO ENTRY: harmless tiny photo (ThreatExchange test image)"},
		{"DEMO-004", testCard.String(), "DEMO ENTRY: harmless generated test card"},
		{"DEMO-005", logo.String(), "DEMO ENTRY: harmless generated Candor logo"},
	}
}

// WriteHashList writes entries as tab-separated lines (id, hash, label)
// under a "# purpose: demo" header. The scanner's list format may wrap
// this; the header marks it as demo material either way.
func WriteHashList(w io.Writer, entries []Entry) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "# purpose: demo")
	fmt.Fprintln(bw, "# Candor scanhook demo hash list: PDQ hashes of harmless images only. SIMULATION.")
	fmt.Fprintln(bw, "# id\tpdq\tlabel")
	for _, e := range entries {
		if _, err := pdq.ParseHash(e.Hash); err != nil {
			return fmt.Errorf("demo: entry %s: %w", e.ID, err)
		}
		if strings.ContainsAny(e.ID+e.Label, "\t\n") || !strings.HasPrefix(e.Label, "DEMO ENTRY:") {
			return fmt.Errorf("demo: entry %s: id and label must be one line, the label starting \"DEMO ENTRY:\"", e.ID)
		}
		fmt.Fprintf(bw, "%s\t%s\t%s\n", e.ID, e.Hash, e.Label)
	}
	return bw.Flush()
}
