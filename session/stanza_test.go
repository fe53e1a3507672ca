package session

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"mellium.im/xmpp/jid"
)

var ownJID = jid.MustParse("alice@example.org")

func decodeMessage(t testing.TB, raw string) (*wireMessage, error) {
	t.Helper()
	var w wireMessage
	err := xml.NewDecoder(strings.NewReader(raw)).Decode(&w)
	return &w, err
}

func interpretRaw(t *testing.T, raw string) (msgIn, bool) {
	t.Helper()
	w, err := decodeMessage(t, raw)
	if err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return interpret(w, ownJID)
}

const (
	nsC = ` xmlns='jabber:client'`
)

func TestInterpretLiveMessage(t *testing.T) {
	m, ok := interpretRaw(t, `<message`+nsC+` from='bob@example.org/phone' to='alice@example.org/tui' id='m1' type='chat'>
		<body xml:lang='de'>Hallo</body><body>Hello</body>
		<origin-id xmlns='urn:xmpp:sid:0' id='o1'/>
		<stanza-id xmlns='urn:xmpp:sid:0' id='forged' by='bob@example.org'/>
		<stanza-id xmlns='urn:xmpp:sid:0' id='s1' by='alice@example.org'/>
		<request xmlns='urn:xmpp:receipts'/><composing xmlns='http://jabber.org/protocol/chatstates'/>
		<delay xmlns='urn:xmpp:delay' stamp='2026-11-22T10:00:00Z'/></message>`)
	if !ok {
		t.Fatal("refused")
	}
	want := msgIn{source: Live, id: "m1", typ: "chat", body: "Hello", hasBody: true, originID: "o1", stanzaID: "s1",
		request: true, state: StateComposing, stamp: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	if m.source != want.source || m.id != want.id || m.body != want.body || !m.hasBody || m.originID != want.originID ||
		m.stanzaID != want.stanzaID || !m.request || m.state != want.state || !m.stamp.Equal(want.stamp) {
		t.Fatalf("got %+v", m)
	}
	if m.from.String() != "bob@example.org/phone" || m.to.String() != "alice@example.org/tui" {
		t.Fatalf("addresses %s -> %s", m.from, m.to)
	}
	dir, peer, ok := direction(m, ownJID)
	if !ok || dir != Incoming || peer.String() != "bob@example.org" {
		t.Fatalf("direction %v %s %v", dir, peer, ok)
	}
}

func TestInterpretCarbons(t *testing.T) {
	sent := `<message` + nsC + ` from='alice@example.org' to='alice@example.org/tui' type='chat'>
		<sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>
		<message xmlns='jabber:client' from='alice@example.org/phone' to='bob@example.org' id='x' type='chat'>
		<body>from my phone</body><origin-id xmlns='urn:xmpp:sid:0' id='o2'/></message></forwarded></sent></message>`
	m, ok := interpretRaw(t, sent)
	if !ok || m.source != Carbon || m.body != "from my phone" || m.originID != "o2" {
		t.Fatalf("sent carbon: %+v %v", m, ok)
	}
	if dir, peer, _ := direction(m, ownJID); dir != Outgoing || peer.String() != "bob@example.org" {
		t.Fatalf("sent carbon direction %v %s", dir, peer)
	}
	// The same from anyone but our own account is a spoof (XEP-0280 §11).
	if _, ok := interpretRaw(t, strings.Replace(sent, `from='alice@example.org' `, `from='mallory@example.org' `, 1)); ok {
		t.Fatal("accepted a carbon from another account")
	}
	// A received carbon must be addressed to us; a sent one must be from us.
	received := `<message` + nsC + ` from='alice@example.org' type='chat'><received xmlns='urn:xmpp:carbons:2'>
		<forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' from='bob@example.org/pc' to='alice@example.org/phone' type='chat'>
		<body>to my phone</body></message></forwarded></received></message>`
	m, ok = interpretRaw(t, received)
	if !ok || m.source != Carbon {
		t.Fatalf("received carbon refused: %+v", m)
	}
	if dir, peer, _ := direction(m, ownJID); dir != Incoming || peer.String() != "bob@example.org" {
		t.Fatalf("received carbon direction %v %s", dir, peer)
	}
	if _, ok := interpretRaw(t, strings.Replace(received, `to='alice@example.org/phone'`, `to='carol@example.org'`, 1)); ok {
		t.Fatal("accepted a received carbon of someone else's message")
	}
	if _, ok := interpretRaw(t, strings.Replace(sent, `from='alice@example.org/phone'`, `from='bob@example.org/x'`, 1)); ok {
		t.Fatal("accepted a sent carbon of someone else's message")
	}
}

func TestInterpretArchiveResult(t *testing.T) {
	raw := `<message` + nsC + ` to='alice@example.org/tui'><result xmlns='urn:xmpp:mam:2' queryid='q1' id='arch-7'>
		<forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' stamp='2026-11-01T08:30:00.123Z'/>
		<message xmlns='jabber:client' from='alice@example.org/old' to='bob@example.org' type='chat' id='z'>
		<body>old news</body><origin-id xmlns='urn:xmpp:sid:0' id='o3'/><delay xmlns='urn:xmpp:delay' stamp='1999-01-01T00:00:00Z'/></message>
		</forwarded></result></message>`
	m, ok := interpretRaw(t, raw)
	if !ok || m.source != Archive || m.stanzaID != "arch-7" || m.queryID != "q1" || m.originID != "o3" {
		t.Fatalf("archive result: %+v %v", m, ok)
	}
	if !m.stamp.Equal(time.Date(2026, 11, 1, 8, 30, 0, 123e6, time.UTC)) {
		t.Fatalf("stamp %v: the archive's must win over the message's own", m.stamp)
	}
	if dir, peer, _ := direction(m, ownJID); dir != Outgoing || peer.String() != "bob@example.org" {
		t.Fatalf("own archived message: %v %s", dir, peer)
	}
	if _, ok := interpretRaw(t, strings.Replace(raw, `<message`+nsC+` to=`, `<message`+nsC+` from='bob@example.org' to=`, 1)); ok {
		t.Fatal("accepted an archive result from another account")
	}
	if _, ok := interpretRaw(t, strings.Replace(raw, ` id='arch-7'`, ``, 1)); ok {
		t.Fatal("accepted an archive result without an id")
	}
}

func TestInterpretOthers(t *testing.T) {
	for _, c := range []struct {
		name string
		raw  string
		ok   bool
		chk  func(msgIn) bool
	}{
		{"groupchat is not one-to-one", `<message` + nsC + ` from='room@muc/x' type='groupchat'><body>x</body></message>`, false, nil},
		{"headline ignored", `<message` + nsC + ` from='pubsub.example.org' type='headline'><body>x</body></message>`, false, nil},
		{"bad from", `<message` + nsC + ` from='@@' type='chat'><body>x</body></message>`, false, nil},
		{"receipt without body", `<message` + nsC + ` from='bob@example.org/a'><received xmlns='urn:xmpp:receipts' id='m9'/></message>`, true,
			func(m msgIn) bool { return m.receipt == "m9" && !m.hasBody }},
		{"error with echoed body", `<message` + nsC + ` from='bob@example.org' type='error' id='m3'><body>mine</body>
			<error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>gone
			fishing</text></error></message>`, true,
			func(m msgIn) bool { return !m.hasBody && m.errText == "service unavailable: gone" }},
		{"bad delay stamp is ignored", `<message` + nsC + ` from='bob@example.org'><body>x</body><delay xmlns='urn:xmpp:delay' stamp='yesterday'/></message>`, true,
			func(m msgIn) bool { return m.stamp.IsZero() && m.body == "x" }},
		{"empty body is a body", `<message` + nsC + ` from='bob@example.org'><body/></message>`, true,
			func(m msgIn) bool { return m.hasBody && m.body == "" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, ok := interpretRaw(t, c.raw)
			if ok != c.ok || (ok && c.chk != nil && !c.chk(m)) {
				t.Fatalf("got %+v, %v", m, ok)
			}
		})
	}
}

func TestInterpretPresence(t *testing.T) {
	decode := func(raw string) (presIn, bool) {
		var w wirePresence
		if err := xml.Unmarshal([]byte(raw), &w); err != nil {
			t.Fatal(err)
		}
		return interpretPresence(&w)
	}
	p, ok := decode(`<presence from='bob@example.org/pc'><show>dnd</show><status>in a
		meeting</status><priority>-5</priority></presence>`)
	if !ok || !p.presence.Available || p.presence.Show != ShowDND || p.presence.Status != "in a meeting" || p.priority != -5 {
		t.Fatalf("got %+v %v", p, ok)
	}
	p, _ = decode(`<presence from='bob@example.org/pc'><show>sleeping</show><priority>1000</priority></presence>`)
	if p.presence.Show != ShowOnline || p.priority != 0 {
		t.Fatalf("unknown show and out-of-range priority: %+v", p)
	}
	if p, ok := decode(`<presence from='bob@example.org' type='subscribe'><status>hi, it's Bob</status></presence>`); !ok || p.typ != "subscribe" || p.status != "hi, it's Bob" {
		t.Fatalf("subscribe: %+v %v", p, ok)
	}
	if _, ok := decode(`<presence type='probe' from='bob@example.org'/>`); ok {
		t.Fatal("accepted a probe")
	}
	if _, ok := decode(`<presence/>`); ok {
		t.Fatal("accepted a presence without from")
	}
}

// FuzzInterpretMessage: no input reaching the handler makes decoding or
// interpretation panic; what is accepted is consistent.
func FuzzInterpretMessage(f *testing.F) {
	for _, s := range []string{
		`<message xmlns='jabber:client' from='bob@example.org/a' type='chat'><body>x</body><origin-id xmlns='urn:xmpp:sid:0' id='o'/></message>`,
		`<message xmlns='jabber:client' from='alice@example.org'><sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' from='alice@example.org/b' to='bob@example.org'><body>y</body></message></forwarded></sent></message>`,
		`<message xmlns='jabber:client'><result xmlns='urn:xmpp:mam:2' id='1' queryid='q'><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client'><body/></message></forwarded></result></message>`,
		`<message xmlns='jabber:client' type='error'><error><x/></error></message>`,
		`<message><received xmlns='urn:xmpp:carbons:2'/></message>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		w, err := decodeMessage(t, raw)
		if err != nil {
			return
		}
		m, ok := interpret(w, ownJID)
		if !ok {
			return
		}
		if m.source == Archive && m.stanzaID == "" {
			t.Fatal("an archive copy without the archive's id")
		}
		if m.source == Carbon && w.From != "" && w.From != ownJID.String() {
			t.Fatal("a carbon from someone else")
		}
		direction(m, ownJID)
		var p wirePresence
		if xml.Unmarshal([]byte(raw), &p) == nil {
			interpretPresence(&p)
		}
	})
}

// OMEMO messages are recognised: the fallback body is not taken for the
// message, and the element is kept for the decryption stage.
func TestEncryptedMessagesAreMarked(t *testing.T) {
	for _, c := range []struct {
		ns     string
		scheme Scheme
	}{{"eu.siacs.conversations.axolotl", OMEMO03}, {"urn:xmpp:omemo:2", OMEMO2}} {
		for _, body := range []string{"<body>I sent you an OMEMO encrypted message</body>", ""} {
			m, ok := interpretRaw(t, `<message`+nsC+` from='bob@example.org/a' type='chat'><encrypted xmlns='`+c.ns+`'><header sid='1'/><payload>AAAA</payload></encrypted>`+body+`</message>`)
			if !ok || m.scheme != c.scheme || !m.hasBody || m.omemo == nil || m.omemo.XMLName.Space != c.ns {
				t.Fatalf("%s: %+v %v", c.ns, m, ok)
			}
		}
	}
	if m, _ := interpretRaw(t, `<message`+nsC+` from='bob@example.org/a'><encrypted xmlns='urn:xmpp:omemo:2'><header sid='1'/></encrypted></message>`); m.hasBody || m.omemo == nil {
		t.Fatal("a key transport message is not recognised as one")
	}
	if m, _ := interpretRaw(t, `<message`+nsC+` from='bob@example.org/a'><body>hi</body></message>`); m.omemo != nil || m.body != "hi" {
		t.Fatalf("plaintext: %+v", m)
	}
}
