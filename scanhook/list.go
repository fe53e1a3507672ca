package scanhook

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The demo list format. A list is UTF-8 text:
//
//	# candor demo list v1 purpose: demo
//	# kind: pdq
//	# name: candor-demo-pdq
//	# description: what the entries are and where they come from
//	DEMO-001<TAB>d8f8…9b22<TAB>known<TAB>DEMO ENTRY: harmless bridge photo
//
// The first line must be exactly ListHeader: scanhook loads nothing else, so
// a real hash list cannot be dropped in by mistake. The "# key: value" lines
// after it are the header; blank lines and other "#" lines are skipped.
// Entries are tab-separated: id, value, class (pdq, url-sha256) or weight
// (lexicon), and a label that starts with "DEMO". Lists of more than
// MaxListEntries entries are refused: a demo needs no more.
const (
	ListHeader     = "# candor demo list v1 purpose: demo"
	MaxListEntries = 1000
)

// ListKind says what a list's values are.
type ListKind string

const (
	ListPDQ     ListKind = "pdq"        // 64-hex PDQ hashes
	ListURL     ListKind = "url-sha256" // hex SHA-256 of normalised URLs
	ListLexicon ListKind = "lexicon"    // words or phrases with weights (toy classifier)
)

// Class is what a list entry stands for, in the categories of COM(2022) 209
// Art. 13(1)(e): known material, new material, solicitation.
type Class string

const (
	ClassKnown Class = "known"
	// ClassNew marks a demo entry that stands in for a classifier's verdict
	// on material never seen before: the simulation has no such classifier.
	ClassNew          Class = "new"
	ClassSolicitation Class = "solicitation"
)

// List is a parsed demo list.
type List struct {
	File        string      `json:"file"`
	Kind        ListKind    `json:"kind"`
	Name        string      `json:"name"`
	Description string      `json:"description,omitempty"`
	Entries     []ListEntry `json:"entries"`
}

// ListEntry is one entry of a list.
type ListEntry struct {
	Line  int    `json:"line"`
	ID    string `json:"id"`
	Value string `json:"value"` // lowercase hex, or the lexicon term
	Class Class  `json:"class"`
	// Weight is a lexicon term's score (lexicon lists only).
	Weight float64 `json:"weight,omitempty"`
	Label  string  `json:"label"`
}

// ParseList reads a demo list. file names the list in errors.
func ParseList(file string, r io.Reader) (*List, error) {
	l := &List{File: file}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	lineNo := 0
	inHeader := true
	ids := map[string]int{}
	fail := func(format string, a ...any) error {
		return fmt.Errorf("list %s line %d: %s", file, lineNo, fmt.Sprintf(format, a...))
	}
	for sc.Scan() {
		lineNo++
		line := strings.TrimRight(sc.Text(), " \t\r")
		if lineNo == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
			if line != ListHeader {
				return nil, fail("missing the header %q: scanhook loads demo lists only", ListHeader)
			}
			continue
		}
		if inHeader && strings.HasPrefix(line, "# ") && strings.Contains(line, ":") {
			key, value, _ := strings.Cut(strings.TrimPrefix(line, "# "), ":")
			value = oneLine(value)
			switch strings.TrimSpace(key) {
			case "kind":
				switch k := ListKind(value); k {
				case ListPDQ, ListURL, ListLexicon:
					l.Kind = k
				default:
					return nil, fail("unknown kind %q (want pdq, url-sha256 or lexicon)", value)
				}
			case "name":
				l.Name = value
			case "description":
				l.Description = value
			}
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if inHeader {
			inHeader = false
			if l.Kind == "" {
				return nil, fail("the header has no \"# kind:\" line")
			}
			if l.Name == "" {
				return nil, fail("the header has no \"# name:\" line")
			}
		}
		if len(l.Entries) == MaxListEntries {
			return nil, fail("more than %d entries: scanhook refuses lists larger than a demo list", MaxListEntries)
		}
		e, err := parseEntry(l.Kind, line)
		if err != nil {
			return nil, fail("%v", err)
		}
		if first, dup := ids[e.ID]; dup {
			return nil, fail("id %q already used on line %d", e.ID, first)
		}
		ids[e.ID] = lineNo
		e.Line = lineNo
		l.Entries = append(l.Entries, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("list %s line %d: %v", file, lineNo+1, err)
	}
	if lineNo == 0 {
		return nil, fmt.Errorf("list %s line 1: empty file: missing the header %q", file, ListHeader)
	}
	if l.Kind == "" || l.Name == "" {
		return nil, fmt.Errorf("list %s line %d: the header needs \"# kind:\" and \"# name:\" lines", file, lineNo)
	}
	return l, nil
}

func parseEntry(kind ListKind, line string) (ListEntry, error) {
	f := strings.Split(line, "\t")
	if len(f) != 4 {
		return ListEntry{}, fmt.Errorf("want 4 tab-separated fields (id, value, %s, label), got %d",
			map[bool]string{true: "weight", false: "class"}[kind == ListLexicon], len(f))
	}
	e := ListEntry{ID: strings.TrimSpace(f[0]), Label: strings.TrimSpace(f[3])}
	if e.ID == "" || strings.ContainsAny(e.ID, " #") {
		return ListEntry{}, fmt.Errorf("bad id %q", f[0])
	}
	if !strings.HasPrefix(e.Label, "DEMO") {
		return ListEntry{}, fmt.Errorf("label %q does not start with \"DEMO\"", e.Label)
	}
	value := strings.TrimSpace(f[1])
	switch kind {
	case ListPDQ, ListURL:
		b, err := hex.DecodeString(value)
		if err != nil || len(b) != 32 {
			return ListEntry{}, fmt.Errorf("value %q is not 64 hex digits", value)
		}
		e.Value = hex.EncodeToString(b)
		e.Class = Class(strings.TrimSpace(f[2]))
		switch {
		case e.Class == ClassKnown:
		case e.Class == ClassNew && kind == ListPDQ:
		default:
			return ListEntry{}, fmt.Errorf("class %q: want known%s", f[2], map[bool]string{true: " or new", false: ""}[kind == ListPDQ])
		}
	case ListLexicon:
		e.Value = strings.Join(strings.Fields(strings.ToLower(value)), " ")
		if e.Value == "" {
			return ListEntry{}, fmt.Errorf("empty term")
		}
		w, err := strconv.ParseFloat(strings.TrimSpace(f[2]), 64)
		if err != nil || !(w > 0 && w <= 100) {
			return ListEntry{}, fmt.Errorf("weight %q: want a number above 0 and at most 100", f[2])
		}
		e.Weight = w
		e.Class = ClassSolicitation
	}
	return e, nil
}

// Marshal writes the list in the demo list format; ParseList reads it back.
func (l *List) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString(ListHeader + "\n")
	fmt.Fprintf(&b, "# kind: %s\n# name: %s\n", l.Kind, oneLine(l.Name))
	if l.Description != "" {
		fmt.Fprintf(&b, "# description: %s\n", oneLine(l.Description))
	}
	for _, e := range l.Entries {
		third := string(e.Class)
		if l.Kind == ListLexicon {
			third = strconv.FormatFloat(e.Weight, 'g', -1, 64)
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\n", e.ID, e.Value, third, e.Label)
	}
	return b.Bytes()
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
