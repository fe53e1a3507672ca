package session

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/xml"
	"reflect"
	"strings"
	"testing"
	"time"

	"mellium.im/xmpp/jid"

	"github.com/candor-xmpp/candor/e2ee"
)

// The parsers of OMEMO's XML never panic on any input, and what they accept
// survives a round trip through our encoders unchanged.

// FuzzOMEMOElement: <encrypted> of both versions, inside a message.
func FuzzOMEMOElement(f *testing.F) {
	for _, s := range []string{
		`<message><encrypted xmlns='eu.siacs.conversations.axolotl'><header sid='27183'><key rid='31415'>MwohBQ==</key><key prekey='1' rid='12321'>MwohBQ==</key><iv>MTIzNDU2Nzg5MDEy</iv></header><payload>YWJj</payload></encrypted></message>`,
		`<message><encrypted xmlns='urn:xmpp:omemo:2'><header sid='1'><keys jid='a@b'><key rid='2' kex='true'>AAAA</key></keys><keys jid='c@d'><key rid='3'>AAAA</key></keys></header><payload>AAAA</payload></encrypted></message>`,
		`<message><encrypted xmlns='urn:xmpp:omemo:2'><header sid='1'/></encrypted></message>`,
		`<message><encrypted xmlns='eu.siacs.conversations.axolotl'><header sid='0'><iv>AA</iv></header></encrypted></message>`,
		`<message><encrypted xmlns='eu.siacs.conversations.axolotl'><header sid='99999999999'><key rid='x'>!!</key><iv>MTIzNDU2Nzg5MDEyMzQ1Ng==</iv></header><payload></payload></encrypted></message>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var w wireMessage
		if xml.Unmarshal([]byte(raw), &w) != nil {
			return
		}
		el := cmp.Or(w.OMEMO2, w.OMEMO03)
		if el == nil {
			return
		}
		v, ok := versionOf(el.XMLName.Space)
		if !ok {
			t.Fatalf("an <encrypted> of namespace %q was decoded", el.XMLName.Space)
		}
		p, err := parseOMEMO(v, el)
		if err != nil {
			return
		}
		if p.SID == 0 || len(p.Keys) > maxOMEMOKeys || v == e2ee.Legacy && len(p.IV) != 12 && len(p.IV) != 16 {
			t.Fatalf("accepted %+v", p)
		}
		// Round trip through what we send.
		msg := &e2ee.Message{Version: v, Sender: p.SID, IV: p.IV, Payload: p.Payload}
		for _, k := range p.Keys {
			msg.Keys = append(msg.Keys, e2ee.Key{Address: e2ee.Address{JID: k.JID, Device: k.RID}, KeyExchange: k.KeyExchange, Data: k.Data})
		}
		b, err := xml.Marshal(encryptedChat("to@example.org", "id", msg))
		if err != nil {
			t.Fatal(err)
		}
		var w2 wireMessage
		if err := xml.Unmarshal(b, &w2); err != nil {
			t.Fatalf("our own stanza does not decode: %v\n%s", err, b)
		}
		p2, err := parseOMEMO(v, cmp.Or(w2.OMEMO2, w2.OMEMO03))
		if err != nil {
			t.Fatalf("our own element does not parse: %v\n%s", err, b)
		}
		if v == e2ee.OMEMO2 {
			// Keys come back grouped by JID.
			sortKeysByJID(p.Keys)
			sortKeysByJID(p2.Keys)
		}
		if !reflect.DeepEqual(p, p2) {
			t.Fatalf("round trip changed the element:\n%+v\n%+v", p, p2)
		}
		if bytes.Contains(b, []byte(`="false"`)) {
			t.Fatalf("we wrote a false flag: %s", b)
		}
	})
}

func sortKeysByJID(ks []omemoKey) {
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && ks[j].JID < ks[j-1].JID; j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
}

// FuzzSCEEnvelope: envelopes decode or fail cleanly; what decodes keeps its
// body, sender and recipient through our encoder.
func FuzzSCEEnvelope(f *testing.F) {
	good, _ := buildEnvelope("hi <there> & 'you'", jid.MustParse("a@example.org/r"), jid.MustParse("b@example.org"), time.Unix(1700000000, 0), rand.Reader)
	f.Add(string(good))
	f.Add(`<envelope xmlns='urn:xmpp:sce:1'><content><body xmlns='jabber:client'>x</body></content><rpad>` + strings.Repeat("p", 5000) + `</rpad><from jid='a@b'/></envelope>`)
	f.Add(`<envelope xmlns='urn:xmpp:sce:1'><content/><from jid='a@b'/><from jid='c@d'/></envelope>`)
	f.Add(`<envelope xmlns='urn:xmpp:sce:1'><rpad/></envelope><trailing/>`)
	f.Fuzz(func(t *testing.T, raw string) {
		env, err := parseEnvelope([]byte(raw))
		if err != nil {
			return
		}
		from, to := env.From, env.To
		if from.Equal(jid.JID{}) {
			from = jid.MustParse("x@example.org")
		}
		if to.Equal(jid.JID{}) {
			to = jid.MustParse("y@example.org")
		}
		b, err := buildEnvelope(env.Body, from, to, time.Unix(0, 0), rand.Reader)
		if err != nil {
			if strings.ContainsFunc(env.Body, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' && r != '\r' }) {
				return // not representable in XML 1.0
			}
			t.Fatal(err)
		}
		env2, err := parseEnvelope(b)
		if err != nil {
			t.Fatalf("our own envelope does not parse: %v\n%s", err, b)
		}
		if env2.Body != env.Body || !env2.From.Equal(from.Bare()) || !env2.To.Equal(to.Bare()) || env2.HasBody != true {
			t.Fatalf("round trip changed %+v into %+v", env, env2)
		}
		if err := env2.check(from, to); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzDeviceList: device lists of both versions.
func FuzzDeviceList(f *testing.F) {
	f.Add(`<item><list xmlns='eu.siacs.conversations.axolotl'><device id='1'/><device id='2'/><device id='2'/><device id='x'/></list></item>`)
	f.Add(`<item><devices xmlns='urn:xmpp:omemo:2'><device id='4294967295' label='phone'/><device id='0'/></devices></item>`)
	f.Fuzz(func(t *testing.T, raw string) {
		var it wirePEPItem
		if xml.Unmarshal([]byte(raw), &it) != nil {
			return
		}
		for _, v := range e2ee.Versions {
			w, ok := it.deviceListOf(v)
			if !ok {
				continue
			}
			ids, err := parseDeviceList(w)
			if err != nil {
				continue
			}
			seen := map[uint32]bool{}
			for _, id := range ids {
				if id == 0 || seen[id] {
					t.Fatalf("accepted ids %v", ids)
				}
				seen[id] = true
			}
			b, err := xml.Marshal(struct {
				XMLName xml.Name `xml:"item"`
				List    any
			}{List: deviceListElement(v, ids)})
			if err != nil {
				t.Fatal(err)
			}
			var it2 wirePEPItem
			if err := xml.Unmarshal(b, &it2); err != nil {
				t.Fatal(err)
			}
			w2, ok := it2.deviceListOf(v)
			if !ok {
				t.Fatalf("our list is not a %v list: %s", v, b)
			}
			ids2, err := parseDeviceList(w2)
			if err != nil || !reflect.DeepEqual(ids, ids2) && len(ids) > 0 {
				t.Fatalf("round trip changed %v into %v (%v)", ids, ids2, err)
			}
		}
	})
}

// FuzzBundle: bundles of both versions.
func FuzzBundle(f *testing.F) {
	f.Add(`<item id='current'><bundle xmlns='eu.siacs.conversations.axolotl'><signedPreKeyPublic signedPreKeyId='1'>BQEC</signedPreKeyPublic><signedPreKeySignature>AAAA</signedPreKeySignature><identityKey>BQEC</identityKey><prekeys><preKeyPublic preKeyId='0'>BQEC</preKeyPublic><preKeyPublic preKeyId='x'>BQEC</preKeyPublic></prekeys></bundle></item>`)
	f.Add(`<item id='5'><bundle xmlns='urn:xmpp:omemo:2'><spk id='1'>AAAA</spk><spks>AAAA</spks><ik>AAAA</ik><prekeys><pk id='1'>AAAA</pk></prekeys></bundle></item>`)
	f.Add(`<item id='5'><bundle xmlns='urn:xmpp:omemo:2'><spk id='1'>AAAA</spk><spks>AAAA</spks><ik>AAAA</ik><prekeys/></bundle></item>`)
	f.Fuzz(func(t *testing.T, raw string) {
		var it wirePEPItem
		if xml.Unmarshal([]byte(raw), &it) != nil {
			return
		}
		for _, v := range e2ee.Versions {
			b, err := it.bundleOf(v)
			if err != nil {
				continue
			}
			if len(b.PreKeys) == 0 || len(b.PreKeys) > e2ee.MaxBundlePreKeys || b.IdentityKey == nil {
				t.Fatalf("accepted %+v", b)
			}
			out, err := xml.Marshal(struct {
				XMLName xml.Name `xml:"item"`
				Bundle  any
			}{Bundle: bundleElement(v, b)})
			if err != nil {
				t.Fatal(err)
			}
			var it2 wirePEPItem
			if err := xml.Unmarshal(out, &it2); err != nil {
				t.Fatal(err)
			}
			b2, err := it2.bundleOf(v)
			if err != nil || !reflect.DeepEqual(b, b2) {
				t.Fatalf("round trip changed %+v into %+v (%v)", b, b2, err)
			}
		}
	})
}
