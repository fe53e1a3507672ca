package console

import (
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/candor-xmpp/candor/ui/common"
	"github.com/candor-xmpp/candor/ui/theme"
)

// maxShown is how much of one stanza the console keeps; the rest is
// counted, not shown (a file upload or a big bundle can be large).
const maxShown = 16 << 10

// pretty indents and colours XML. What does not parse is shown as it came.
func pretty(raw string, t *theme.Theme) []string {
	extra := 0
	if len(raw) > maxShown {
		extra = len(raw) - maxShown
		raw = raw[:maxShown]
	}
	raw = common.Sanitize(raw)
	var toks []xml.Token
	d := xml.NewDecoder(strings.NewReader(raw))
	var parseErr error
	var open []xml.Name // RawToken does not match end tags; we do
	for parseErr == nil {
		tok, err := d.RawToken()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				parseErr = err
			}
			break
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			open = append(open, tok.Name)
		case xml.EndElement:
			if len(open) == 0 || open[len(open)-1] != tok.Name {
				parseErr = errors.New("mismatched end tag")
			} else {
				open = open[:len(open)-1]
			}
		}
		toks = append(toks, xml.CopyToken(tok))
	}
	var lines []string
	if parseErr != nil || len(toks) == 0 {
		for _, l := range strings.Split(strings.TrimSpace(raw), "\n") {
			lines = append(lines, t.XMLText.Render(l))
		}
	} else {
		lines = format(toks, t)
	}
	if extra > 0 {
		lines = append(lines, t.Faint.Render("… "+strconv.Itoa(extra)+" more bytes not shown"))
	}
	return lines
}

func format(toks []xml.Token, t *theme.Theme) []string {
	var lines []string
	depth := 0
	indent := func() string { return strings.Repeat("  ", depth) }
	for i := 0; i < len(toks); i++ {
		switch tok := toks[i].(type) {
		case xml.StartElement:
			open := openTag(tok, t)
			// <x/> and <x>short text</x> stay on one line.
			if i+1 < len(toks) {
				if end, ok := toks[i+1].(xml.EndElement); ok && end.Name == tok.Name {
					lines = append(lines, indent()+strings.TrimSuffix(open, t.XMLTag.Render(">"))+t.XMLTag.Render("/>"))
					i++
					continue
				}
			}
			if i+2 < len(toks) {
				text, isText := toks[i+1].(xml.CharData)
				end, isEnd := toks[i+2].(xml.EndElement)
				if isText && isEnd && end.Name == tok.Name && !strings.Contains(strings.TrimSpace(string(text)), "\n") {
					lines = append(lines, indent()+open+t.XMLText.Render(strings.TrimSpace(string(text)))+closeTag(end, t))
					i += 2
					continue
				}
			}
			lines = append(lines, indent()+open)
			depth++
		case xml.EndElement:
			depth = max(depth-1, 0)
			lines = append(lines, indent()+closeTag(tok, t))
		case xml.CharData:
			for _, l := range strings.Split(strings.TrimSpace(string(tok)), "\n") {
				if l = strings.TrimSpace(l); l != "" {
					lines = append(lines, indent()+t.XMLText.Render(l))
				}
			}
		case xml.Comment:
			lines = append(lines, indent()+t.Faint.Render("<!--"+string(tok)+"-->"))
		case xml.ProcInst:
			lines = append(lines, indent()+t.Faint.Render("<?"+tok.Target+" "+string(tok.Inst)+"?>"))
		}
	}
	return lines
}

func name(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

func openTag(s xml.StartElement, t *theme.Theme) string {
	var b strings.Builder
	b.WriteString(t.XMLTag.Render("<" + name(s.Name)))
	for _, a := range s.Attr {
		b.WriteString(" " + t.XMLAttr.Render(name(a.Name)) + t.Faint.Render("=") + t.XMLValue.Render("'"+a.Value+"'"))
	}
	b.WriteString(t.XMLTag.Render(">"))
	return b.String()
}

func closeTag(e xml.EndElement, t *theme.Theme) string {
	return t.XMLTag.Render("</" + name(e.Name) + ">")
}
