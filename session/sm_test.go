package session

import (
	"reflect"
	"testing"
)

// feedSM plays a stream through the splitters into a streamMgmt.
func feedSM(m *streamMgmt, in, out string) {
	if out != "" {
		s := newSplitter(m.observeOut)
		s.Write([]byte("<stream:stream>" + out))
	}
	if in != "" {
		s := newSplitter(m.observeIn)
		s.Write([]byte("<stream:stream>" + in))
	}
}

func TestStreamMgmtCountsInbound(t *testing.T) {
	var m streamMgmt
	// Stanzas before <enabled/> do not count; IQ results do; <r/> and <a/>
	// do not.
	feedSM(&m, `<iq type='result' id='bind'/><enabled xmlns='urn:xmpp:sm:3'/><iq type='result' id='1'/><message><body>x</body></message><r xmlns='urn:xmpp:sm:3'/><presence/><a h='0'/><r/>`, "")
	for _, want := range []uint32{2, 3} {
		h, ok := m.answer()
		if !ok || h != want {
			t.Fatalf("answer = %d, %v; want %d", h, ok, want)
		}
	}
	// With no request pending it answers the current count.
	if h, _ := m.answer(); h != 3 {
		t.Fatalf("unrequested answer = %d", h)
	}
}

func TestStreamMgmtAcks(t *testing.T) {
	var m streamMgmt
	if m.enabled() {
		t.Fatal("enabled before anything")
	}
	feedSM(&m, `<enabled xmlns='urn:xmpp:sm:3'/>`,
		`<message id='before'/><enable xmlns='urn:xmpp:sm:3'/><iq type='get' id='q'/><message id='m1' to='b'><body>1</body></message><presence/><message id='m2'><body>2</body></message><message><body>no id</body></message><r/>`)
	if !m.enabled() {
		t.Fatal("not enabled")
	}
	if ids := m.ack(1); ids != nil {
		t.Fatalf("h=1 acks %v, want nothing (the iq)", ids)
	}
	if ids := m.ack(3); !reflect.DeepEqual(ids, []string{"m1"}) {
		t.Fatalf("h=3 acks %v", ids)
	}
	if ids := m.ack(99); ids != nil {
		t.Fatalf("a bogus h acked %v", ids)
	}
	if ids := m.ack(2); ids != nil {
		t.Fatalf("h going backwards acked %v", ids)
	}
	if ids := m.ack(5); !reflect.DeepEqual(ids, []string{"m2"}) {
		t.Fatalf("h=5 acks %v", ids)
	}
	if ids := m.ack(5); ids != nil {
		t.Fatalf("a repeated h acked %v again", ids)
	}
}

func TestStreamMgmtBoundsRequests(t *testing.T) {
	var m streamMgmt
	s := newSplitter(m.observeIn)
	s.Write([]byte("<stream:stream><enabled/>"))
	for range maxPendingR + 100 {
		s.Write([]byte("<r/>"))
	}
	if len(m.pendingR) != maxPendingR {
		t.Fatalf("%d pending requests", len(m.pendingR))
	}
}

func TestPieceAttr(t *testing.T) {
	if got := pieceAttr([]byte(`<a xmlns='urn:xmpp:sm:3' h='12'/>`), "h"); got != "12" {
		t.Fatalf("h = %q", got)
	}
	if got := pieceAttr([]byte(`<message to='x' id="a&amp;b"><body/></message>`), "id"); got != "a&b" {
		t.Fatalf("id = %q", got)
	}
	if got := pieceAttr([]byte(`garbage`), "id"); got != "" {
		t.Fatalf("garbage id = %q", got)
	}
}
