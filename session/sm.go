package session

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"sync"

	"mellium.im/xmlstream"
)

// streamMgmt is a minimal XEP-0198 (stream management) without resumption:
// acknowledgements in both directions. The server learns which of its
// stanzas we handled; we learn which of our messages the server has, which
// is what lets the outbox call a message sent.
//
// Stanzas are counted on the XML console's split of the byte stream, which
// sees exactly what crossed the wire in order, IQ results included (mellium
// hands those to the waiting caller, never to our handler).
type streamMgmt struct {
	mu sync.Mutex
	// Inbound: counting starts at <enabled/>.
	inOn     bool
	inCount  uint32
	pendingR []uint32 // the count at each <r/> not yet answered
	// Outbound: counting starts at <enable/>.
	outOn    bool
	outCount uint32
	unacked  []sentStanza // messages with ids, oldest first
	acked    uint32
}

type sentStanza struct {
	seq uint32
	id  string
}

// maxPendingR bounds unanswered requests (a server flooding <r/> while our
// handler is slow must not grow memory without end).
const maxPendingR = 1024

// observeIn sees every top-level element received.
func (m *streamMgmt) observeIn(p piece) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch localName(p.Name) {
	case "enabled":
		m.inOn, m.inCount, m.pendingR = true, 0, nil
	case "message", "presence", "iq":
		if m.inOn {
			m.inCount++
		}
	case "r":
		if m.inOn && len(m.pendingR) < maxPendingR {
			m.pendingR = append(m.pendingR, m.inCount)
		}
	}
}

// observeOut sees every top-level element sent.
func (m *streamMgmt) observeOut(p piece) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch localName(p.Name) {
	case "enable":
		m.outOn, m.outCount, m.unacked, m.acked = true, 0, nil, 0
	case "message", "presence", "iq":
		if !m.outOn {
			return
		}
		m.outCount++
		if localName(p.Name) == "message" {
			if id := pieceAttr(p.Raw, "id"); id != "" {
				m.unacked = append(m.unacked, sentStanza{seq: m.outCount, id: id})
			}
		}
	}
}

// answer is the h to put in our <a/> for the oldest unanswered <r/>.
func (m *streamMgmt) answer() (uint32, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.pendingR) == 0 {
		return m.inCount, m.inOn
	}
	h := m.pendingR[0]
	m.pendingR = m.pendingR[1:]
	return h, true
}

// ack takes the server's <a h='…'/> and returns the ids of the messages it
// newly acknowledges. An h beyond what we sent is bogus: it acknowledges
// nothing rather than everything.
func (m *streamMgmt) ack(h uint32) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.outOn || h > m.outCount || h < m.acked {
		return nil
	}
	m.acked = h
	var ids []string
	i := 0
	for ; i < len(m.unacked) && m.unacked[i].seq <= h; i++ {
		ids = append(ids, m.unacked[i].id)
	}
	m.unacked = m.unacked[i:]
	return ids
}

// enabled reports whether the server acknowledges our stanzas.
func (m *streamMgmt) enabled() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.inOn && m.outOn
}

// pieceAttr reads one attribute of a piece's first tag.
func pieceAttr(raw []byte, name string) string {
	tok, err := xml.NewDecoder(bytes.NewReader(raw)).RawToken()
	if err != nil {
		return ""
	}
	start, ok := tok.(xml.StartElement)
	if !ok {
		return ""
	}
	for _, a := range start.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// smAnswer is our <a h='…'/>.
func smAnswer(h uint32) xml.TokenReader {
	return xmlstream.Wrap(nil, xml.StartElement{
		Name: xml.Name{Space: nsSM, Local: "a"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "h"}, Value: strconv.FormatUint(uint64(h), 10)}},
	})
}
