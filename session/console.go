package session

import (
	"bytes"
	"fmt"
	"sync"
)

// consoleTee is one direction of the XML console: the stream's bytes (as
// mellium's TeeIn or TeeOut writes them, plaintext after TLS) cut into
// top-level pieces, SASL payloads masked, each piece handed to observe (stream
// management counts stanzas there) and logged as a StanzaLogged event.
type consoleTee struct {
	mu       sync.Mutex
	split    *splitter
	outgoing bool
	c        *Client
	observe  func(piece)
}

func newConsoleTee(c *Client, outgoing bool, observe func(piece)) *consoleTee {
	t := &consoleTee{c: c, outgoing: outgoing, observe: observe}
	t.split = newSplitter(t.piece)
	return t
}

// Write is called by mellium from the stream's reading or writing goroutine.
func (t *consoleTee) Write(p []byte) (int, error) {
	defer func() {
		// The console must never take the connection down.
		if r := recover(); r != nil {
			t.c.notice(Warning, fmt.Sprintf("XML console: internal error: %v", r))
		}
	}()
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.split.Write(p)
}

func (t *consoleTee) piece(p piece) {
	if t.observe != nil {
		t.observe(p)
	}
	text := string(maskSecrets(p))
	if p.Truncated > 0 {
		text += fmt.Sprintf("<!-- %d more bytes not shown -->", p.Truncated)
	}
	t.c.events.emitConsole(StanzaLogged{Time: t.c.clock.Now(), Outgoing: t.outgoing, XML: text})
}

// secretElements are the top-level elements whose text is a SASL payload:
// a PLAIN <auth/> carries the password itself, SCRAM messages carry proofs
// and salts. The console shows their tags, never their content.
var secretElements = map[string]bool{"auth": true, "response": true, "challenge": true, "success": true}

// maskSecrets returns the piece's bytes with the content of a SASL element
// replaced by a note of its length.
func maskSecrets(p piece) []byte {
	if !secretElements[localName(p.Name)] {
		return p.Raw
	}
	raw := p.Raw
	end := startTagEnd(raw)
	if end < 0 {
		return []byte("<" + p.Name + ">[hidden]")
	}
	if end >= 2 && raw[end-1] == '/' {
		return raw // <success/>: nothing inside
	}
	closeAt := bytes.LastIndex(raw, []byte("</"))
	if closeAt <= end {
		closeAt = len(raw)
	}
	hidden := closeAt - (end + 1) + p.Truncated
	out := make([]byte, 0, end+1+32+len(raw)-closeAt)
	out = append(out, raw[:end+1]...)
	if hidden > 0 {
		out = fmt.Appendf(out, "[%d bytes hidden]", hidden)
	}
	return append(out, raw[closeAt:]...)
}

// startTagEnd is the index of the '>' that ends the first tag of raw,
// skipping quoted attribute values, or -1.
func startTagEnd(raw []byte) int {
	var quote byte
	for i, b := range raw {
		switch {
		case quote != 0:
			if b == quote {
				quote = 0
			}
		case b == '"' || b == '\'':
			quote = b
		case b == '>':
			return i
		}
	}
	return -1
}
