package session

// splitter cuts an XMPP byte stream, fed in arbitrary chunks, into its
// top-level pieces: the XML declaration, the stream header, each element
// inside the stream (stanzas, stream features, SASL, stream management
// elements) and the stream's end tag. Whitespace between elements
// (keepalives) is dropped.
//
// It does not validate: it only tracks tags, quoted attribute values,
// comments, CDATA and processing instructions, so that a '>' or '<' in
// those does not confuse the depth. Malformed input yields odd pieces, never
// a panic, and memory is bounded by maxPiece per piece.
type splitter struct {
	emit func(p piece)

	st      splitState
	depth   int    // open elements inside the stream
	buf     []byte // the current piece
	dropped int    // bytes of the current piece beyond maxPiece
	name    []byte // name of the tag being read
	quote   byte   // the quote that opened the attribute value being read
	match   int    // progress through a terminator ("-->", "]]>", "?>")
	endTag  bool   // the tag being read is an end tag
	selfEnd bool   // the tag being read ended with "/>"
}

// piece is one top-level item of the stream.
type piece struct {
	Name      string // the element's (qualified) name: "message", "stream:stream", "?xml"
	Raw       []byte // the bytes (a copy)
	Truncated int    // bytes beyond maxPiece that were dropped from Raw
	Header    bool   // a stream header, which stays open
	End       bool   // the stream's end tag
}

// maxPiece bounds the bytes kept of one piece; a larger element is logged
// truncated.
const maxPiece = 1 << 20

type splitState uint8

const (
	stText    splitState = iota // character data, or between elements
	stLT                        // after '<'
	stName                      // reading a tag name
	stAttrs                     // inside a tag, after its name
	stQuoted                    // inside an attribute value
	stSlash                     // after '/' inside a start tag
	stBang                      // after "<!"
	stComment                   // inside "<!--", looking for "-->"
	stCDATA                     // inside "<![CDATA[", looking for "]]>"
	stDecl                      // inside "<!...", looking for '>'
	stPI                        // inside "<?", looking for "?>"
)

func newSplitter(emit func(piece)) *splitter { return &splitter{emit: emit} }

// Write feeds bytes; it never fails.
func (s *splitter) Write(p []byte) (int, error) {
	for _, b := range p {
		s.step(b)
	}
	return len(p), nil
}

func (s *splitter) keep(b byte) {
	if len(s.buf) < maxPiece {
		s.buf = append(s.buf, b)
	} else {
		s.dropped++
	}
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

func (s *splitter) step(b byte) {
	switch s.st {
	case stText:
		if s.depth == 0 && len(s.buf) == 0 {
			if isSpace(b) {
				return // keepalive or formatting between elements
			}
			if b != '<' {
				// Stray text at the top level: keep it, it ends at the next '<'.
				s.keep(b)
				return
			}
		}
		if b == '<' {
			if s.depth == 0 && len(s.buf) > 0 {
				s.flush("#text", false, false) // stray top-level text
			}
			s.keep(b)
			s.st = stLT
			s.name = s.name[:0]
			s.endTag, s.selfEnd = false, false
			return
		}
		s.keep(b)
	case stLT:
		s.keep(b)
		switch b {
		case '/':
			s.endTag = true
			s.st = stName
		case '?':
			s.st, s.match = stPI, 0
		case '!':
			s.st, s.match = stBang, 0
		default:
			s.name = append(s.name[:0], b)
			s.st = stName
		}
	case stName:
		s.keep(b)
		switch {
		case b == '>':
			s.tagEnd()
		case b == '/' && !s.endTag:
			s.st = stSlash
		case isSpace(b):
			s.st = stAttrs
		default:
			if len(s.name) < 64 {
				s.name = append(s.name, b)
			}
		}
	case stAttrs:
		s.keep(b)
		switch b {
		case '"', '\'':
			s.quote, s.st = b, stQuoted
		case '/':
			if !s.endTag {
				s.st = stSlash
			}
		case '>':
			s.tagEnd()
		}
	case stQuoted:
		s.keep(b)
		if b == s.quote {
			s.st = stAttrs
		}
	case stSlash:
		s.keep(b)
		if b == '>' {
			s.selfEnd = true
			s.tagEnd()
			return
		}
		s.st = stAttrs
		if b == '"' || b == '\'' {
			s.quote, s.st = b, stQuoted
		}
	case stBang:
		s.keep(b)
		// "<!-" starts a comment, "<![" a CDATA section, else a declaration.
		switch {
		case b == '-':
			s.st, s.match = stComment, 0
		case b == '[':
			s.st, s.match = stCDATA, 0
		case b == '>':
			s.markupEnd("!")
		default:
			s.st = stDecl
		}
	case stComment:
		s.keep(b)
		s.st, s.match = terminator(s.st, s.match, b, "-->")
		if s.st == stText {
			s.markupEnd("!--")
		}
	case stCDATA:
		s.keep(b)
		s.st, s.match = terminator(s.st, s.match, b, "]]>")
		if s.st == stText {
			s.markupEnd("![CDATA[")
		}
	case stDecl:
		s.keep(b)
		if b == '>' {
			s.markupEnd("!")
		}
	case stPI:
		s.keep(b)
		s.st, s.match = terminator(s.st, s.match, b, "?>")
		if s.st == stText {
			s.markupEnd("?xml")
		}
	}
}

// terminator advances the match of end against b and returns stText once
// end is complete.
func terminator(st splitState, match int, b byte, end string) (splitState, int) {
	switch {
	case b == end[match]:
		match++
	case b == end[0]:
		// "--->" and "]]]>" restart the match on their last bytes.
		if match == 0 || end[match-1] != end[0] {
			match = 1
		}
	default:
		match = 0
	}
	if match == len(end) {
		return stText, 0
	}
	return st, match
}

// markupEnd finishes a comment, CDATA section, declaration or processing
// instruction: at the top level it is a piece of its own.
func (s *splitter) markupEnd(name string) {
	s.st = stText
	if s.depth == 0 {
		s.flush(name, false, false)
	}
}

// tagEnd finishes a start, end or empty-element tag.
func (s *splitter) tagEnd() {
	s.st = stText
	name := string(s.name)
	switch {
	case s.endTag:
		if s.depth == 0 {
			// The stream's end tag (or a stray one).
			s.flush(name, false, isStreamName(name))
			return
		}
		s.depth--
		if s.depth == 0 {
			s.flush(s.pieceName(), false, false)
		}
	case s.selfEnd:
		if s.depth == 0 {
			s.flush(name, false, false)
		}
	default:
		if s.depth == 0 && isStreamName(name) {
			s.flush(name, true, false)
			return
		}
		s.depth++
	}
}

// pieceName is the name of the element whose bytes are in buf: its first tag.
func (s *splitter) pieceName() string {
	b := s.buf
	if len(b) < 2 || b[0] != '<' {
		return ""
	}
	end := 1
	for end < len(b) && !isSpace(b[end]) && b[end] != '>' && b[end] != '/' && end < 65 {
		end++
	}
	return string(b[1:end])
}

func (s *splitter) flush(name string, header, end bool) {
	p := piece{Name: name, Raw: append([]byte(nil), s.buf...), Truncated: s.dropped, Header: header, End: end}
	s.buf, s.dropped = s.buf[:0], 0
	if cap(s.buf) > 64<<10 {
		s.buf = nil // let a huge piece's buffer go
	}
	s.emit(p)
}

// isStreamName reports whether a tag name is the stream element's, with any
// prefix ("stream:stream").
func isStreamName(name string) bool {
	if name == "stream" {
		return true
	}
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == ':' {
			return name[i+1:] == "stream"
		}
	}
	return false
}

// localName strips a prefix from a qualified name.
func localName(name string) string {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == ':' {
			return name[i+1:]
		}
	}
	return name
}
