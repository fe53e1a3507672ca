package session

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"mellium.im/xmlstream"
	"mellium.im/xmpp"
	"mellium.im/xmpp/jid"
	"mellium.im/xmpp/stanza"
)

const nsBind = "urn:ietf:params:xml:ns:xmpp-bind" // RFC 6120 §7 resource binding

// bindFeature binds a resource, asking for resource when it is set (the
// server may still choose another). mellium's BindResource asks with the
// resource of the stream header's address, which the server's header has
// already replaced by the bare JID, so it can never ask for one.
func bindFeature(resource string) xmpp.StreamFeature {
	f := xmpp.BindResource()
	f.Negotiate = func(ctx context.Context, s *xmpp.Session, _ any) (xmpp.SessionState, io.ReadWriter, error) {
		id := newID()
		var inner xml.TokenReader
		if resource != "" {
			inner = xmlstream.Wrap(xmlstream.Token(xml.CharData(resource)), xml.StartElement{Name: xml.Name{Local: "resource"}})
		}
		req := stanza.IQ{ID: id, Type: stanza.SetIQ}.Wrap(
			xmlstream.Wrap(inner, xml.StartElement{Name: xml.Name{Space: nsBind, Local: "bind"}}))
		w := s.TokenWriter()
		if _, err := xmlstream.Copy(w, req); err != nil {
			w.Close()
			return 0, nil, err
		}
		if err := w.Close(); err != nil { // flushes
			return 0, nil, err
		}

		r := s.TokenReader()
		defer r.Close()
		d := xml.NewTokenDecoder(r)
		var start xml.StartElement
		for {
			tok, err := d.Token()
			if err != nil {
				return 0, nil, err
			}
			if se, ok := tok.(xml.StartElement); ok {
				start = se
				break
			}
		}
		var resp struct {
			ID    string        `xml:"id,attr"`
			Type  string        `xml:"type,attr"`
			JID   string        `xml:"urn:ietf:params:xml:ns:xmpp-bind bind>jid"`
			Error *stanza.Error `xml:"error"`
		}
		if start.Name.Local != "iq" {
			return 0, nil, fmt.Errorf("binding a resource: the server sent <%s/>", start.Name.Local)
		}
		if err := d.DecodeElement(&resp, &start); err != nil {
			return 0, nil, err
		}
		switch {
		case resp.ID != id:
			return 0, nil, errors.New("binding a resource: the answer has another id")
		case resp.Type == "error" && resp.Error != nil:
			return 0, nil, fmt.Errorf("binding a resource: %s", describeStanzaError(resp.Error))
		case resp.Type != "result":
			return 0, nil, fmt.Errorf("binding a resource: unexpected answer of type %q", resp.Type)
		}
		full, err := jid.Parse(resp.JID)
		if err != nil || full.Resourcepart() == "" {
			return 0, nil, fmt.Errorf("binding a resource: the server bound %q", resp.JID)
		}
		s.UpdateAddr(full)
		return xmpp.Ready, nil, nil
	}
	return f
}
