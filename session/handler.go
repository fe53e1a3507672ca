package session

import (
	"encoding/xml"
	"fmt"
	"strconv"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/stanza"
)

// HandleXMPP is the first stage of the receive pipeline, run by mellium's
// Serve for every top-level element. It decodes and hands off to the
// receive worker; it never uses the session's send methods (Serve holds the
// stream, so that would deadlock). Replies that belong to the element (IQ
// results, stream management answers) go out through t, as mellium intends.
//
// It never returns an error for bad input: an error would end the stream.
// A malformed or hostile stanza is dropped; a panic is caught.
func (l *link) HandleXMPP(t xmlstream.TokenReadEncoder, start *xml.StartElement) (err error) {
	defer func() {
		if r := recover(); r != nil {
			l.c.notice(Warning, fmt.Sprintf("dropped a stanza that could not be handled: %v", r))
			err = nil
		}
	}()
	// The decoder must see the start element, or the end one surprises it.
	d := xml.NewTokenDecoder(xmlstream.MultiReader(xmlstream.Token(*start), t))
	switch start.Name {
	case xml.Name{Space: stanza.NSClient, Local: "message"}:
		var w wireMessage
		err := d.Decode(&w)
		raw := l.wire.claim(w.ID, w.From) // the bytes have passed the console now
		if err != nil {
			return nil
		}
		if w.Event != nil {
			l.pepEvent(&w)
			return nil
		}
		m, ok := interpret(&w, l.own)
		m.raw = raw
		if !ok {
			return nil
		}
		if m.source == Archive && !l.isQuery(m.queryID) {
			return nil // an archive result we did not ask for
		}
		l.push(m)
	case xml.Name{Space: stanza.NSClient, Local: "presence"}:
		var w wirePresence
		if d.Decode(&w) != nil {
			return nil
		}
		if p, ok := interpretPresence(&w); ok {
			l.push(p)
		}
	case xml.Name{Space: stanza.NSClient, Local: "iq"}:
		return l.handleIQ(t, d, start)
	case xml.Name{Space: nsSM, Local: "r"}:
		if h, ok := l.sm.answer(); ok {
			_, err := xmlstream.Copy(t, smAnswer(h))
			return err
		}
	case xml.Name{Space: nsSM, Local: "a"}:
		for _, a := range start.Attr {
			if a.Name.Local == "h" {
				if h, err := strconv.ParseUint(a.Value, 10, 32); err == nil {
					if ids := l.sm.ack(uint32(h)); len(ids) > 0 {
						l.push(smAcked{ids: ids})
					}
				}
			}
		}
	case xml.Name{Space: nsSM, Local: "enabled"}:
		l.smSignal(true)
	case xml.Name{Space: nsSM, Local: "failed"}:
		l.smSignal(false)
	}
	return nil
}

func (l *link) smSignal(ok bool) {
	select {
	case l.smResult <- ok:
	default:
	}
}

// smAcked lists the ids of our messages the server acknowledged.
type smAcked struct{ ids []string }

// rosterPush is one roster item the server pushed.
type rosterPush struct {
	ver  string
	item wireRosterItem
}

// handleIQ answers the IQs a client must answer: roster pushes, pings and
// service discovery. Others get mellium's default service-unavailable.
func (l *link) handleIQ(t xmlstream.TokenReadEncoder, d *xml.Decoder, start *xml.StartElement) error {
	iq, err := stanza.NewIQ(*start)
	if err != nil || (iq.Type != stanza.GetIQ && iq.Type != stanza.SetIQ) {
		return nil
	}
	if _, err := d.Token(); err != nil { // the <iq> itself
		return nil
	}
	payload, ok := firstChild(d)
	if !ok {
		return nil
	}
	switch {
	case iq.Type == stanza.SetIQ && payload.Name == xml.Name{Space: nsRoster, Local: "query"}:
		// Pushes come from our own account only (RFC 6121 §2.1.6).
		if !iq.From.Equal(l.own) && iq.From.String() != "" {
			return nil
		}
		var q wireRosterQuery
		if d.DecodeElement(&q, &payload) != nil || len(q.Items) != 1 {
			_, err := xmlstream.Copy(t, iq.Error(stanza.Error{Type: stanza.Modify, Condition: stanza.BadRequest}))
			return err
		}
		ver := ""
		if q.Ver != nil {
			ver = *q.Ver
		}
		l.push(rosterPush{ver: ver, item: q.Items[0]})
		_, err := xmlstream.Copy(t, iq.Result(nil))
		return err
	case iq.Type == stanza.GetIQ && payload.Name == xml.Name{Space: nsPing, Local: "ping"}:
		_, err := xmlstream.Copy(t, iq.Result(nil))
		return err
	case iq.Type == stanza.GetIQ && payload.Name == xml.Name{Space: nsDiscoInfo, Local: "query"}:
		node := ""
		for _, a := range payload.Attr {
			if a.Name.Local == "node" {
				node = a.Value
			}
		}
		if node != "" && node != capsNode+"#"+capsVer() {
			_, err := xmlstream.Copy(t, iq.Error(stanza.Error{Type: stanza.Cancel, Condition: stanza.ItemNotFound}))
			return err
		}
		_, err := xmlstream.Copy(t, iq.Result(discoInfo(node)))
		return err
	}
	return nil
}

// firstChild reads up to the first child element of the element being
// decoded.
func firstChild(d *xml.Decoder) (xml.StartElement, bool) {
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.StartElement{}, false
		}
		switch tt := tok.(type) {
		case xml.StartElement:
			return tt, true
		case xml.EndElement:
			return xml.StartElement{}, false
		}
	}
}
