package session

import (
	"encoding/xml"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/candor-xmpp/candor/e2ee"
)

// FuzzUploadInfo: any disco#info answer decodes and is read without
// panicking; a service is only recognised with the feature, and a limit
// is positive.
func FuzzUploadInfo(f *testing.F) {
	f.Add(`<query xmlns='http://jabber.org/protocol/disco#info'><identity category='store' type='file'/><feature var='urn:xmpp:http:upload:0'/><x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE' type='hidden'><value>urn:xmpp:http:upload:0</value></field><field var='max-file-size'><value>10485760</value></field></x></query>`)
	f.Add(`<query xmlns='http://jabber.org/protocol/disco#info'><feature var='urn:xmpp:http:upload:0'/><x xmlns='jabber:x:data' type='result'><field var='max-file-size'><value>-5</value></field></x></query>`)
	f.Add(`<query xmlns='http://jabber.org/protocol/disco#info'><feature var='jabber:iq:version'/></query>`)
	f.Fuzz(func(t *testing.T, raw string) {
		var info wireDiscoInfo
		if xml.Unmarshal([]byte(raw), &info) != nil {
			return
		}
		ok, max := uploadInfo(info)
		if max < 0 || !ok && max != 0 {
			t.Fatalf("uploadInfo = %v, %d", ok, max)
		}
		has := false
		for _, f := range info.Features {
			has = has || f.Var == nsUpload
		}
		if ok != has {
			t.Fatalf("recognised %v without the feature", ok)
		}
	})
}

// FuzzSlot: any slot answer decodes and is checked without panicking;
// what passes has https URLs with a host, no credentials or fragment, and
// only allowed headers without line breaks.
func FuzzSlot(f *testing.F) {
	f.Add(`<slot xmlns='urn:xmpp:http:upload:0'><put url='https://up.example/a/b.png'><header name='Authorization'>Bearer x</header><header name='Host'>evil</header></put><get url='https://up.example/a/b.png'/></slot>`)
	f.Add(`<slot xmlns='urn:xmpp:http:upload:0'><put url='http://up.example/a'/><get url='https://up.example/a'/></slot>`)
	f.Add(`<slot xmlns='urn:xmpp:http:upload:0'><put url='https://u:p@up.example/a'><header name='Cookie'>a&#10;Host: x</header></put><get url='https://up.example/a#k'/></slot>`)
	f.Fuzz(func(t *testing.T, raw string) {
		var w wireSlot
		if xml.Unmarshal([]byte(raw), &w) != nil {
			return
		}
		s, err := parseSlot(w)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error of more than one line: %q", err)
			}
			return
		}
		for _, u := range []*url.URL{s.put, s.get} {
			if u.Scheme != "https" || u.Hostname() == "" || u.User != nil || u.Fragment != "" {
				t.Fatalf("accepted URL %q", u)
			}
		}
		for name, vs := range s.header {
			if !allowedSlotHeaders[name] {
				t.Fatalf("accepted header %q", name)
			}
			for _, v := range vs {
				if strings.ContainsAny(v, "\r\n") {
					t.Fatalf("header %s with a line break", name)
				}
			}
		}
	})
}

// FuzzOOB: a message's XEP-0066 elements decode without panicking.
func FuzzOOB(f *testing.F) {
	f.Add(`<message xmlns='jabber:client'><body>https://h.example/f.png</body><x xmlns='jabber:x:oob'><url>https://h.example/f.png</url><desc>a</desc></x></message>`)
	f.Add(`<message xmlns='jabber:client'><x xmlns='jabber:x:oob'><url/></x><x xmlns='jabber:x:oob'/></message>`)
	f.Fuzz(func(t *testing.T, raw string) {
		var w wireMessage
		if xml.Unmarshal([]byte(raw), &w) != nil {
			return
		}
		m, ok := flatten(&w, nil, ownJID)
		if ok && len(m.oob) > 4 {
			t.Fatalf("kept %d OOB URLs", len(m.oob))
		}
		body, _ := pickText(w.Bodies)
		_ = fileOf(body, m.oob)
	})
}

// FuzzFileOf: link detection on any body never panics; a file it finds
// is an aesgcm:// link that parses, or the https URL an OOB element names;
// its name is safe for the download folder.
func FuzzFileOf(f *testing.F) {
	key := strings.Repeat("ab", 44)
	f.Add("aesgcm://h.example/p/photo.jpg#"+key, "")
	f.Add("aesgcm://h.example/p/photo.jpg#"+key+"\ndata:image/jpeg;base64,AAAA", "")
	f.Add("https://h.example/a/..%2F..%2Fetc%2Fpasswd", "https://h.example/a/..%2F..%2Fetc%2Fpasswd")
	f.Add("see https://h.example/x", "https://h.example/x")
	f.Add("aesgcm://h.example/%00%2e%2e#"+key, "")
	f.Fuzz(func(t *testing.T, body, oob string) {
		file := fileOf(body, []string{oob})
		if file == nil {
			return
		}
		if file.Encrypted {
			if _, _, err := e2ee.ParseAESGCMURL(file.URL); err != nil {
				t.Fatalf("accepted %q: %v", file.URL, err)
			}
		} else if file.URL != strings.TrimSpace(oob) || !strings.HasPrefix(strings.ToLower(file.URL), "https://") {
			t.Fatalf("accepted %q without its OOB element", file.URL)
		}
		n := file.Name
		if n == "" || strings.ContainsAny(n, "/\\\x00") || strings.HasPrefix(n, ".") || len(n) > 120 || !utf8.ValidString(n) {
			t.Fatalf("unsafe name %q", n)
		}
		if file.Encrypted {
			first, _, _ := strings.Cut(RedactLinks(body), "\n")
			if frag := file.URL[strings.IndexByte(file.URL, '#')+1:]; strings.Contains(first, frag) {
				t.Fatalf("RedactLinks left the key in %q", first)
			}
		}
	})
}
