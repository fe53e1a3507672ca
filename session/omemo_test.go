package session

import (
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"mellium.im/xmpp/jid"

	"github.com/candor-xmpp/candor/e2ee"
)

// The version of a message reaches the most devices; OMEMO 2 on a tie.
func TestPickVersion(t *testing.T) {
	both := e2ee.VersionSet(0).With(e2ee.Legacy).With(e2ee.OMEMO2)
	legacy := e2ee.VersionSet(0).With(e2ee.Legacy)
	two := e2ee.VersionSet(0).With(e2ee.OMEMO2)
	dev := func(id uint32, s e2ee.VersionSet) e2ee.Device {
		return e2ee.Device{Address: e2ee.Address{Device: id}, Listed: s, Trust: e2ee.BlindTrusted}
	}
	for i, c := range []struct {
		peer, own []e2ee.Device
		pref      VersionPreference
		want      e2ee.Version
		ok        bool
	}{
		0: {peer: []e2ee.Device{dev(1, both)}, want: e2ee.OMEMO2, ok: true},
		1: {peer: []e2ee.Device{dev(1, legacy)}, want: e2ee.Legacy, ok: true},
		2: {peer: []e2ee.Device{dev(1, both)}, own: []e2ee.Device{dev(2, legacy)}, want: e2ee.Legacy, ok: true},
		3: {peer: []e2ee.Device{dev(1, two), dev(3, legacy)}, own: []e2ee.Device{dev(2, both)}, want: e2ee.OMEMO2, ok: true},
		4: {peer: []e2ee.Device{dev(1, both)}, pref: PreferLegacy, want: e2ee.Legacy, ok: true},
		5: {peer: []e2ee.Device{dev(1, legacy)}, pref: PreferOMEMO2},
		6: {own: []e2ee.Device{dev(2, both)}},
		7: {peer: []e2ee.Device{dev(1, 0)}},
	} {
		v, ok := pickVersion(c.peer, c.own, c.pref)
		if ok != c.ok || ok && v != c.want {
			t.Errorf("%d: got %v %v, want %v %v", i, v, ok, c.want, c.ok)
		}
	}
}

// The prekey flag reads as xs:boolean ("1" from Psi+), and is written only
// as "true" on key exchanges.
func TestKeyExchangeFlag(t *testing.T) {
	for s, want := range map[string]bool{"true": true, "TRUE": true, "1": true, " true ": true, "false": false, "0": false, "": false, "yes": false} {
		if xsBool(s) != want {
			t.Errorf("xsBool(%q) = %v", s, !want)
		}
	}
}

// Envelope affixes must match the stanza that carried the envelope.
func TestEnvelopeAffixes(t *testing.T) {
	a, b, c := jid.MustParse("a@example.org/phone"), jid.MustParse("b@example.org"), jid.MustParse("c@example.org")
	raw, err := buildEnvelope("hello", a, b, time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	env, err := parseEnvelope(raw)
	if err != nil {
		t.Fatal(err)
	}
	if env.Body != "hello" || env.Time.IsZero() {
		t.Fatalf("%+v", env)
	}
	if err := env.check(jid.MustParse("a@example.org/laptop"), b); err != nil {
		t.Fatalf("another resource of the sender: %v", err)
	}
	if err := env.check(c, b); !errors.Is(err, errBadEnvelope) {
		t.Fatalf("from another sender: %v", err)
	}
	if err := env.check(a, c); !errors.Is(err, errBadEnvelope) {
		t.Fatalf("to another recipient: %v", err)
	}
	if !strings.Contains(string(raw), "<rpad>") {
		t.Fatalf("no rpad in %s", raw)
	}
}

// The received bytes of a message are claimed only while in step.
func TestWireCapture(t *testing.T) {
	var w wireCapture
	w.observe(piece{Name: "iq", Raw: []byte(`<iq id='x'/>`)})
	w.observe(piece{Name: "message", Raw: []byte(`<message id='a' from='b@example.org/r'><body>1</body></message>`)})
	w.observe(piece{Name: "message", Raw: []byte(`<message id='b'><body>2</body></message>`)})
	if got := w.claim("a", "b@example.org/r"); !strings.Contains(got, "<body>1</body>") {
		t.Fatalf("claimed %q", got)
	}
	if got := w.claim("not b", ""); got != "" {
		t.Fatalf("claimed %q out of step", got)
	}
	w.observe(piece{Name: "message", Raw: []byte(`<message id='c'/>`)})
	if got := w.claim("c", ""); got != `<message id='c'/>` {
		t.Fatalf("claimed %q after resync", got)
	}
}

// The verification URI is the form Conversations and Dino scan.
func TestEscapeURIJID(t *testing.T) {
	if got := escapeURIJID("al ice?#@example.org"); got != "al%20ice%3F%23@example.org" {
		t.Fatal(got)
	}
}
