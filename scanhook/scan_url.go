package scanhook

// urlScanner matches normalised links by SHA-256 against a URL list, the
// way hashed URL lists are distributed so that they are no readable
// directory (scanning.md section 3). An exact match or nothing: any change
// to the link (another path, a shortener, "example[.]org") evades it.
type urlScanner struct {
	list   string
	byHash map[string]ListEntry
}

func newURLScanner(l *List) *urlScanner {
	s := &urlScanner{byHash: map[string]ListEntry{}}
	if l == nil {
		return s
	}
	s.list = l.Name
	for _, e := range l.Entries {
		s.byHash[e.Value] = e
	}
	return s
}

// scan fills in the part's hash and match.
func (s *urlScanner) scan(part *Part) {
	part.Hashes = append(part.Hashes, HashValue{Algorithm: "sha256-url", Value: part.URL.SHA256})
	e, ok := s.byHash[part.URL.SHA256]
	if !ok {
		return
	}
	part.Nearest = &Match{List: s.list, EntryID: e.ID, Label: e.Label, Class: e.Class, Matched: true}
	part.Matched = true
}
