package scanhook

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const hashA = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22"

func TestDemoListsLoad(t *testing.T) {
	ls := mustDemoLists(t)
	for _, l := range []*List{ls.PDQ, ls.URLs, ls.Lexicon} {
		if len(l.Entries) == 0 || l.Name == "" || !strings.Contains(l.Description, "Not a") {
			t.Errorf("%s: %d entries, description %q", l.File, len(l.Entries), l.Description)
		}
		for _, e := range l.Entries {
			if !strings.HasPrefix(e.Label, "DEMO ENTRY") {
				t.Errorf("%s line %d: label %q", l.File, e.Line, e.Label)
			}
		}
	}
}

func TestListRefusals(t *testing.T) {
	head := ListHeader + "\n# kind: pdq\n# name: t\n"
	entry := func(i int) string { return fmt.Sprintf("E%d\t%s\tknown\tDEMO %d\n", i, hashA, i) }
	var big strings.Builder
	big.WriteString(head)
	for i := 0; i <= MaxListEntries; i++ {
		big.WriteString(entry(i))
	}
	for name, c := range map[string]struct {
		text, line, want string
	}{
		"no header":        {"E1\t" + hashA + "\tknown\tDEMO x\n", "line 1", "missing the header"},
		"real-looking":     {"# PhotoDNA export\n" + entry(1), "line 1", "demo lists only"},
		"empty":            {"", "line 1", "missing the header"},
		"too many":         {big.String(), fmt.Sprintf("line %d", MaxListEntries+4), "more than 1000 entries"},
		"no kind":          {ListHeader + "\n# name: t\n" + entry(1), "line 3", "kind"},
		"unknown kind":     {ListHeader + "\n# kind: photodna\n", "line 2", "photodna"},
		"bad hex":          {head + "E1\tzz\tknown\tDEMO x\n", "line 4", "64 hex"},
		"short hash":       {head + "E1\tabcd\tknown\tDEMO x\n", "line 4", "64 hex"},
		"bad class":        {head + "E1\t" + hashA + "\tcsam\tDEMO x\n", "line 4", "class"},
		"label not demo":   {head + "E1\t" + hashA + "\tknown\treal entry\n", "line 4", "DEMO"},
		"duplicate id":     {head + entry(1) + entry(1), "line 5", "line 4"},
		"three fields":     {head + "E1\t" + hashA + "\tknown\n", "line 4", "4 tab-separated"},
		"lexicon weight":   {ListHeader + "\n# kind: lexicon\n# name: l\nL1\tword\t-1\tDEMO x\n", "line 4", "weight"},
		"url class new":    {ListHeader + "\n# kind: url-sha256\n# name: u\nU1\t" + hashA + "\tnew\tDEMO x\n", "line 4", "class"},
		"header only kind": {ListHeader + "\n# kind: pdq\n", "line 2", "name"},
	} {
		_, err := ParseList("lists/"+name+".list", strings.NewReader(c.text))
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, "lists/"+name+".list") || !strings.Contains(msg, c.line+":") || !strings.Contains(msg, c.want) {
			t.Errorf("%s: error %q; want the file, %q and %q", name, msg, c.line, c.want)
		}
		if strings.Contains(msg, "\n") {
			t.Errorf("%s: error is not one line: %q", name, msg)
		}
	}
	// Exactly the maximum is fine.
	var max strings.Builder
	max.WriteString(head)
	for i := 0; i < MaxListEntries; i++ {
		max.WriteString(entry(i))
	}
	if l, err := ParseList("max", strings.NewReader(max.String())); err != nil || len(l.Entries) != MaxListEntries {
		t.Errorf("%d entries: %v", MaxListEntries, err)
	}
}

func TestLoadListFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mine.list")
	if err := os.WriteFile(path, []byte("no header\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadList(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("LoadList error %v", err)
	}
	if _, err := LoadList(filepath.Join(t.TempDir(), "missing.list")); err == nil || !strings.Contains(err.Error(), "missing.list") {
		t.Errorf("missing file error %v", err)
	}
	good := ListHeader + "\r\n# kind: lexicon\r\n# name: mine\r\nW1\tFoo  Bar\t0.5\tDEMO phrase\r\n"
	if err := os.WriteFile(path, []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := LoadList(path)
	if err != nil || len(l.Entries) != 1 || l.Entries[0].Value != "foo bar" || l.Entries[0].Weight != 0.5 {
		t.Fatalf("LoadList = %+v, %v", l, err)
	}
	ls := mustDemoLists(t).With(l)
	if ls.Lexicon != l {
		t.Error("With did not replace the lexicon")
	}
}

func TestListRoundTrip(t *testing.T) {
	ls := mustDemoLists(t)
	for _, l := range []*List{ls.PDQ, ls.URLs, ls.Lexicon} {
		again, err := ParseList(l.File, strings.NewReader(string(l.Marshal())))
		if err != nil {
			t.Fatalf("%s: %v", l.File, err)
		}
		if !sameList(l, again) {
			t.Errorf("%s: round trip changed the list", l.File)
		}
	}
}

// sameList compares lists ignoring line numbers.
func sameList(a, b *List) bool {
	if a.Kind != b.Kind || a.Name != b.Name || a.Description != b.Description || len(a.Entries) != len(b.Entries) {
		return false
	}
	for i := range a.Entries {
		x, y := a.Entries[i], b.Entries[i]
		x.Line, y.Line = 0, 0
		if x != y {
			return false
		}
	}
	return true
}

func TestTextClassifierIsAToyOnTheLexicon(t *testing.T) {
	c := newTextClassifier(mustDemoLists(t).Lexicon)
	for text, want := range map[string]bool{
		"Blorptangle!":                 true,
		"a quexnarl":                   false, // weight 0.5
		"quexnarl and snorkelwhump":    true,  // 0.5 + 0.5
		"glimmer voss":                 true,  // phrase
		"glimmer and voss":             false,
		"blorp tangle":                 false, // a misspelling evades it
		"an ordinary message, nothing": false,
	} {
		if m := c.classify(text, 1); m.Matched != want {
			t.Errorf("classify(%q) = %+v, want matched=%v", text, m, want)
		}
	}
}
