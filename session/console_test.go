package session

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestMaskSecrets(t *testing.T) {
	secret := base64.StdEncoding.EncodeToString([]byte("\x00alice\x00hunter2"))
	cases := []struct {
		in, want string
		cut      bool // a piece cut short: built directly, the splitter would wait
	}{
		{`<auth xmlns="urn:ietf:params:xml:ns:xmpp-sasl" mechanism="PLAIN">` + secret + `</auth>`,
			`<auth xmlns="urn:ietf:params:xml:ns:xmpp-sasl" mechanism="PLAIN">[20 bytes hidden]</auth>`, false},
		{`<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>abc=</response>`,
			`<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>[4 bytes hidden]</response>`, false},
		{`<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl' x='a>b'>c2FsdA==</challenge>`,
			`<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl' x='a>b'>[8 bytes hidden]</challenge>`, false},
		{`<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>`, `<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>`, false},
		{`<sasl:auth mechanism='PLAIN'>` + secret + `</sasl:auth>`, `<sasl:auth mechanism='PLAIN'>[20 bytes hidden]</sasl:auth>`, false},
		{`<message><body>` + secret + `</body></message>`, `<message><body>` + secret + `</body></message>`, false},
		// A piece cut short: everything after the start tag is hidden.
		{`<auth mechanism='PLAIN'>` + secret, `<auth mechanism='PLAIN'>[20 bytes hidden]`, true},
		{`<auth mechanism='PLAIN`, `<auth>[hidden]`, true},
	}
	for _, c := range cases {
		p := piece{Name: "auth", Raw: []byte(c.in)}
		if !c.cut {
			pieces := split("<stream:stream>"+c.in, 0)
			p = pieces[len(pieces)-1]
		}
		if got := string(maskSecrets(p)); got != c.want {
			t.Errorf("mask(%s)\n = %s\nwant %s", c.in, got, c.want)
		}
	}
}

func TestMaskCountsTruncatedBytes(t *testing.T) {
	p := piece{Name: "auth", Raw: []byte(`<auth mechanism='PLAIN'>abcd`), Truncated: 100}
	if got := string(maskSecrets(p)); got != `<auth mechanism='PLAIN'>[104 bytes hidden]` {
		t.Fatalf("got %s", got)
	}
}

// The console tee end to end: a PLAIN password written to the stream never
// reaches a StanzaLogged event, in any chunking.
func TestConsoleNeverShowsThePassword(t *testing.T) {
	const password = "correct horse battery staple"
	secret := base64.StdEncoding.EncodeToString([]byte("\x00alice\x00" + password))
	stream := `<?xml version='1.0'?><stream:stream xmlns='jabber:client'><auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>` + secret + `</auth><message><body>visible</body></message>`
	for _, n := range []int{1, 5, len(stream)} {
		c, err := New(Options{DataDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		r := record(c)
		tee := newConsoleTee(c, true, nil)
		for i := 0; i < len(stream); i += n {
			tee.Write([]byte(stream[i:min(i+n, len(stream))]))
		}
		r.wait(t, "the message line", func(ev Event) bool {
			s, ok := ev.(StanzaLogged)
			return ok && strings.Contains(s.XML, "visible")
		})
		log := r.console()
		if strings.Contains(log, secret) || strings.Contains(log, password) || strings.Contains(log, secret[:16]) {
			t.Fatalf("the console shows the SASL payload:\n%s", log)
		}
		if !strings.Contains(log, "mechanism='PLAIN'>[") {
			t.Fatalf("the auth element is missing:\n%s", log)
		}
		c.Close()
	}
}
