package session

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
	"mellium.im/xmpp/stanza"
)

// Finding the upload service (XEP-0363 §2): the items of our server's
// domain, and the first whose disco#info has the feature; its data form
// (XEP-0128, FORM_TYPE urn:xmpp:http:upload:0) may give max-file-size.

const (
	nsUpload     = "urn:xmpp:http:upload:0"
	nsDiscoItems = "http://jabber.org/protocol/disco#items"
	// maxDiscoItems bounds the items asked about, against a server that
	// lists thousands (MUC rooms, pubsub nodes).
	maxDiscoItems = 32
)

type wireDiscoItems struct {
	XMLName xml.Name `xml:"http://jabber.org/protocol/disco#items query"`
	Items   []struct {
		JID  string `xml:"jid,attr"`
		Node string `xml:"node,attr"`
	} `xml:"item"`
}

type wireDiscoInfo struct {
	XMLName  xml.Name `xml:"http://jabber.org/protocol/disco#info query"`
	Features []struct {
		Var string `xml:"var,attr"`
	} `xml:"feature"`
	Forms []wireForm `xml:"jabber:x:data x"`
}

type wireForm struct {
	Type   string `xml:"type,attr"`
	Fields []struct {
		Var    string   `xml:"var,attr"`
		Values []string `xml:"value"`
	} `xml:"field"`
}

// uploadService is a discovered XEP-0363 service.
type uploadService struct {
	jid     jid.JID
	maxSize int64 // 0: none announced
}

// errNoUploadService: the server offers no HTTP File Upload.
var errNoUploadService = errors.New("the server offers no file upload service (XEP-0363 HTTP File Upload)")

// uploadInfo reads a disco#info answer: whether it is an upload service,
// and its size limit (0 when none or unreadable: the server's own answer
// to the slot request then says what it accepts).
func uploadInfo(info wireDiscoInfo) (ok bool, maxSize int64) {
	for _, f := range info.Features {
		if f.Var == nsUpload {
			ok = true
		}
	}
	if !ok {
		return false, 0
	}
	for _, form := range info.Forms {
		if form.Type != "result" || formType(form) != nsUpload {
			continue
		}
		for _, field := range form.Fields {
			if field.Var != "max-file-size" || len(field.Values) != 1 {
				continue
			}
			n, err := strconv.ParseInt(strings.TrimSpace(field.Values[0]), 10, 64)
			if err == nil && n > 0 {
				return true, n
			}
		}
		break // one form per FORM_TYPE (XEP-0128)
	}
	return true, 0
}

func formType(f wireForm) string {
	for _, field := range f.Fields {
		if field.Var == "FORM_TYPE" && len(field.Values) > 0 {
			return strings.TrimSpace(field.Values[0])
		}
	}
	return ""
}

// uploadService finds the upload service of the account's server, once
// per connection.
func (c *Client) uploadService(ctx context.Context, l *link) (uploadService, error) {
	fm := c.files
	fm.mu.Lock()
	if fm.svcLink == l {
		svc := fm.svc
		fm.mu.Unlock()
		return svc, nil
	}
	fm.mu.Unlock()
	svc, err := l.discoverUpload(ctx)
	if err != nil {
		return uploadService{}, err
	}
	fm.mu.Lock()
	fm.svcLink, fm.svc = l, svc
	fm.mu.Unlock()
	return svc, nil
}

func (l *link) discoverUpload(ctx context.Context) (uploadService, error) {
	domain := l.own.Domain()
	var items wireDiscoItems
	if err := l.iq(ctx, domain, xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsDiscoItems, Local: "query"}}), &items); err != nil {
		return uploadService{}, fmt.Errorf("cannot list the services of %s: %w", domain, err)
	}
	asked := 0
	for _, it := range items.Items {
		if it.Node != "" {
			continue
		}
		j, err := jid.Parse(it.JID)
		if err != nil {
			continue
		}
		if asked++; asked > maxDiscoItems {
			break
		}
		var info wireDiscoInfo
		if err := l.iq(ctx, j, xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsDiscoInfo, Local: "query"}}), &info); err != nil {
			if ctx.Err() != nil || l.ctx.Err() != nil {
				return uploadService{}, fmt.Errorf("looking for the upload service: %w", err)
			}
			continue // one broken component does not hide the others
		}
		if ok, max := uploadInfo(info); ok {
			return uploadService{jid: j, maxSize: max}, nil
		}
	}
	return uploadService{}, errNoUploadService
}

// iq sends a get to to and decodes the answer's payload into v.
func (l *link) iq(ctx context.Context, to jid.JID, payload xml.TokenReader, v any) error {
	ctx, cancel := l.requestContext(ctx)
	defer cancel()
	return l.s.UnmarshalIQ(ctx, stanza.IQ{Type: stanza.GetIQ, To: to}.Wrap(payload), v)
}
