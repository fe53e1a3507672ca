package session

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/stanza"
)

// Upload slots (XEP-0363 §4-5): we tell the service a file name, a size
// and a content type; it answers with a PUT URL (and headers to send with
// it) and the GET URL that goes into the message.

type wireSlot struct {
	XMLName xml.Name `xml:"urn:xmpp:http:upload:0 slot"`
	Put     struct {
		URL     string `xml:"url,attr"`
		Headers []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:",chardata"`
		} `xml:"header"`
	} `xml:"put"`
	Get struct {
		URL string `xml:"url,attr"`
	} `xml:"get"`
}

// slot is a checked upload slot.
type slot struct {
	put, get *url.URL
	header   http.Header
}

// maxSlotURL bounds the URLs of a slot: the GET URL goes into a message.
const maxSlotURL = 4096

// allowedSlotHeaders are the only headers a slot may ask for (§5).
var allowedSlotHeaders = map[string]bool{"Authorization": true, "Cookie": true, "Expires": true}

// parseSlot checks a slot: both URLs https with a host and no fragment or
// credentials, headers only from the allowed list and without line breaks
// (which could smuggle other headers into the request).
func parseSlot(w wireSlot) (slot, error) {
	put, err := slotURL("put", w.Put.URL)
	if err != nil {
		return slot{}, err
	}
	get, err := slotURL("get", w.Get.URL)
	if err != nil {
		return slot{}, err
	}
	s := slot{put: put, get: get, header: http.Header{}}
	for _, h := range w.Put.Headers {
		name := http.CanonicalHeaderKey(strings.TrimSpace(h.Name))
		if !allowedSlotHeaders[name] {
			continue // §5: other headers MUST be ignored
		}
		v := strings.TrimSpace(h.Value)
		if strings.ContainsAny(v, "\r\n\x00") || len(v) > 8192 {
			return slot{}, fmt.Errorf("the upload slot's %s header is malformed", name)
		}
		s.header.Add(name, v)
	}
	return s, nil
}

func slotURL(which, raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, fmt.Errorf("the upload slot has no %s URL", which)
	}
	if len(raw) > maxSlotURL {
		return nil, fmt.Errorf("the upload slot's %s URL is %d bytes long (at most %d)", which, len(raw), maxSlotURL)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("the upload slot's %s URL is malformed", which)
	}
	switch {
	case !strings.EqualFold(u.Scheme, "https"):
		return nil, fmt.Errorf("the upload slot's %s URL is not https (%s:); refusing to upload", which, u.Scheme)
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("the upload slot's %s URL has no host", which)
	case u.User != nil:
		return nil, fmt.Errorf("the upload slot's %s URL carries credentials", which)
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return nil, fmt.Errorf("the upload slot's %s URL has a fragment", which)
	case strings.ContainsAny(raw, " \t\r\n"):
		return nil, fmt.Errorf("the upload slot's %s URL contains white space", which)
	}
	u.Scheme = "https"
	return u, nil
}

// requestSlot asks svc for a slot.
func (l *link) requestSlot(ctx context.Context, svc uploadService, name string, size int64, ctype string) (slot, error) {
	req := xmlstream.Wrap(nil, xml.StartElement{
		Name: xml.Name{Space: nsUpload, Local: "request"},
		Attr: []xml.Attr{
			{Name: xml.Name{Local: "filename"}, Value: name},
			{Name: xml.Name{Local: "size"}, Value: strconv.FormatInt(size, 10)},
			{Name: xml.Name{Local: "content-type"}, Value: ctype},
		},
	})
	var w wireSlot
	if err := l.iq(ctx, svc.jid, req, &w); err != nil {
		var se stanza.Error
		if errors.As(err, &se) {
			return slot{}, fmt.Errorf("%s refused the upload: %s", svc.jid, describeStanzaError(&se))
		}
		if l.ctx.Err() != nil {
			return slot{}, errors.New("connection lost while asking for an upload slot")
		}
		return slot{}, fmt.Errorf("no upload slot from %s: %v", svc.jid, err)
	}
	if w.XMLName.Local == "" {
		return slot{}, fmt.Errorf("%s answered without an upload slot", svc.jid)
	}
	return parseSlot(w)
}
