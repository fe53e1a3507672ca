package scanhook

import (
	"bytes"
	"embed"
	"fmt"
	"os"
)

// demoListFiles are the lists the binary ships: harmless images' hashes,
// reserved-domain links and nonsense words. Nothing else is ever embedded.
//
//go:embed demolists/*.list
var demoListFiles embed.FS

// Lists are the lists the scanners match against.
type Lists struct {
	PDQ     *List `json:"pdq"`
	URLs    *List `json:"urls"`
	Lexicon *List `json:"lexicon"`
}

// DemoLists parses the embedded demo lists.
func DemoLists() (*Lists, error) {
	var ls Lists
	for _, x := range []struct {
		file string
		kind ListKind
		dst  **List
	}{
		{"demolists/pdq.list", ListPDQ, &ls.PDQ},
		{"demolists/urls.list", ListURL, &ls.URLs},
		{"demolists/lexicon.list", ListLexicon, &ls.Lexicon},
	} {
		b, err := demoListFiles.ReadFile(x.file)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", x.file, err)
		}
		l, err := ParseList(x.file, bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		if l.Kind != x.kind {
			return nil, fmt.Errorf("list %s: kind %s, want %s", x.file, l.Kind, x.kind)
		}
		*x.dst = l
	}
	return &ls, nil
}

// LoadList reads a demo list file (it must carry the demo header).
func LoadList(path string) (*List, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", path, err)
	}
	defer f.Close()
	return ParseList(path, f)
}

// With returns a copy of ls with l in the slot for its kind.
func (ls Lists) With(l *List) Lists {
	switch l.Kind {
	case ListPDQ:
		ls.PDQ = l
	case ListURL:
		ls.URLs = l
	case ListLexicon:
		ls.Lexicon = l
	}
	return ls
}
