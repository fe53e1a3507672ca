package commands

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Source is what completion draws on besides the command names.
type Source struct {
	JIDs     []string // the contacts
	Requests []string // JIDs waiting for /accept or /deny
	Scan     ScanWords
}

// Completer completes a compose line on tab. Pressing tab again on the line
// it produced cycles through the candidates. The zero value is not usable;
// build one with NewCompleter.
type Completer struct {
	reg   *Registry
	last  string   // the line as we left it
	base  string   // the part of the line before the word being completed
	cands []string // candidates of the current cycle
	idx   int
}

// NewCompleter returns a completer over the registry's commands.
func NewCompleter(r *Registry) *Completer { return &Completer{reg: r} }

// Reset forgets the current cycle (the user typed something else).
func (c *Completer) Reset() { c.cands, c.last, c.base = nil, "", "" }

// Next completes line. It returns the new line and, when several
// candidates matched, all of them (for a hint). ok is false when nothing
// could be completed.
func (c *Completer) Next(line string, src Source) (newLine string, candidates []string, ok bool) {
	if len(c.cands) > 0 && line == c.last {
		c.idx = (c.idx + 1) % len(c.cands)
		c.last = c.base + c.cands[c.idx]
		return c.last, c.cands, true
	}
	c.Reset()
	base, word, cands := c.candidates(line, src)
	switch len(cands) {
	case 0:
		return line, nil, false
	case 1:
		if strings.HasSuffix(cands[0], "/") {
			return base + cands[0], nil, true // a directory: go on into it
		}
		return base + cands[0] + " ", nil, true
	}
	c.base, c.cands = base, cands
	if p := commonPrefix(cands); len(p) > len(word) {
		c.idx = -1
		c.last = base + p
		return c.last, cands, true
	}
	c.idx = 0
	c.last = base + cands[0]
	return c.last, cands, true
}

// candidates splits line into the fixed part and the word under
// completion, and lists what that word may become.
func (c *Completer) candidates(line string, src Source) (base, word string, cands []string) {
	if !IsCommand(line) {
		return line, "", nil
	}
	name, rest := cutWord(line[1:])
	if rest == "" && !strings.HasSuffix(line, " ") {
		for _, s := range c.reg.Specs() {
			if strings.HasPrefix(s.Name, strings.ToLower(name)) {
				cands = append(cands, "/"+s.Name)
			}
		}
		return "", line, cands
	}
	spec, ok := c.reg.Lookup(name)
	if !ok {
		return line, "", nil
	}
	if len(spec.Args) > 0 && spec.Args[0].Kind == ArgPath {
		word = strings.TrimLeftFunc(rest, unicode.IsSpace)
		return line[:len(line)-len(word)], word, completePath(word)
	}
	words := strings.Fields(rest)
	argIndex := len(words)
	if len(rest) > 0 && !unicode.IsSpace(rune(rest[len(rest)-1])) {
		word = words[len(words)-1]
		argIndex--
	}
	base = line[:len(line)-len(word)]
	if argIndex >= len(spec.Args) {
		return base, word, nil
	}
	var pool []string
	switch spec.Args[argIndex].Kind {
	case ArgJID:
		pool = src.JIDs
	case ArgRequest:
		pool = src.Requests
		if len(pool) == 0 {
			pool = src.JIDs
		}
	case ArgShow:
		pool = Shows()
	case ArgCommand:
		for _, s := range c.reg.Specs() {
			pool = append(pool, s.Name)
		}
	default:
		if pool = scanPool(spec.Args[argIndex].Kind, words, src); pool == nil { // scan.go
			return base, word, nil
		}
	}
	lw := strings.ToLower(word)
	seen := map[string]bool{}
	for _, p := range pool {
		if strings.HasPrefix(strings.ToLower(p), lw) && !seen[p] {
			seen[p] = true
			cands = append(cands, p)
		}
	}
	sort.Strings(cands)
	return base, word, cands
}

func commonPrefix(ss []string) string {
	p := ss[0]
	for _, s := range ss[1:] {
		for !strings.HasPrefix(s, p) {
			p = p[:len(p)-1]
		}
	}
	for !utf8.ValidString(p) {
		p = p[:len(p)-1]
	}
	return p
}
