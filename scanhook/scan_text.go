package scanhook

import (
	"strings"
	"unicode"
)

// textClassifier is a TOY: it sums the weights of demo lexicon terms found
// in a text. Real grooming classifiers (Microsoft's Project Artemis and the
// like) score whole conversations with machine learning and publish no
// error rates (scanning.md section 3). This one exists to show where such a
// classifier sits and what it would report; misspelling a word defeats it.
type textClassifier struct {
	list  string
	terms []lexTerm
}

type lexTerm struct {
	entry ListEntry
	words []string
}

func newTextClassifier(l *List) *textClassifier {
	c := &textClassifier{}
	if l == nil {
		return c
	}
	c.list = l.Name
	for _, e := range l.Entries {
		c.terms = append(c.terms, lexTerm{entry: e, words: strings.Fields(e.Value)})
	}
	return c
}

// words splits text into lowercase letter-and-digit runs.
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// classify scores text; every term counts once however often it occurs.
func (c *textClassifier) classify(text string, threshold float64) Match {
	ws := words(text)
	m := Match{List: c.list, Class: ClassSolicitation, ScoreThreshold: threshold}
	for _, t := range c.terms {
		if containsRun(ws, t.words) {
			m.Score += t.entry.Weight
			m.Terms = append(m.Terms, t.entry.Value)
			if m.EntryID == "" {
				m.EntryID, m.Label = t.entry.ID, t.entry.Label
			}
		}
	}
	m.Matched = len(m.Terms) > 0 && m.Score >= threshold
	return m
}

// containsRun reports whether run occurs as consecutive words in ws.
func containsRun(ws, run []string) bool {
	if len(run) == 0 {
		return false
	}
outer:
	for i := 0; i+len(run) <= len(ws); i++ {
		for j, w := range run {
			if ws[i+j] != w {
				continue outer
			}
		}
		return true
	}
	return false
}
