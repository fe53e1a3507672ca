package session

import (
	"encoding/xml"
	"strings"
	"testing"

	"mellium.im/xmpp/jid"
)

// FuzzRosterPayload: roster results and pushes from the wire decode and
// validate without panicking; what passes is a bare, parseable JID with a
// known subscription.
func FuzzRosterPayload(f *testing.F) {
	for _, s := range []string{
		`<query xmlns='jabber:iq:roster' ver='7'><item jid='bob@example.org' name='Bob' subscription='both'><group>A</group><group> </group></item></query>`,
		`<query xmlns='jabber:iq:roster'><item jid='bob@example.org/res' ask='subscribe'/><item jid='' subscription='remove'/></query>`,
		`<query xmlns='jabber:iq:roster'><item jid='@@@' subscription='weird'/></query>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var q wireRosterQuery
		if xml.Unmarshal([]byte(raw), &q) != nil {
			return
		}
		for _, w := range q.Items {
			it, ok := rosterItem(w)
			if !ok {
				continue
			}
			j, err := jid.Parse(it.JID)
			if err != nil || j.Resourcepart() != "" || j.String() != it.JID {
				t.Fatalf("accepted item %+v", it)
			}
			switch it.Subscription {
			case "none", "to", "from", "both", "remove":
			default:
				t.Fatalf("accepted subscription %q", it.Subscription)
			}
			for _, g := range it.Groups {
				if strings.TrimSpace(g) == "" {
					t.Fatal("accepted an empty group")
				}
			}
		}
	})
}

// FuzzArchiveFin: the end of an archive query decodes without panicking.
func FuzzArchiveFin(f *testing.F) {
	f.Add(`<fin xmlns='urn:xmpp:mam:2' complete='true'><set xmlns='http://jabber.org/protocol/rsm'><first>a</first><last>b</last></set></fin>`)
	f.Add(`<fin xmlns='urn:xmpp:mam:2' complete='maybe'/>`)
	f.Fuzz(func(t *testing.T, raw string) {
		var fin wireFin
		_ = xml.Unmarshal([]byte(raw), &fin)
	})
}

// FuzzPieceAttr: reading an attribute of any piece never panics, and finds
// what a full decoder finds.
func FuzzPieceAttr(f *testing.F) {
	f.Add(`<a xmlns='urn:xmpp:sm:3' h='7'/>`, "h")
	f.Add(`<message id="x&amp;y">`, "id")
	f.Add(`<<`, "id")
	f.Fuzz(func(t *testing.T, raw, name string) {
		got := pieceAttr([]byte(raw), name)
		tok, err := xml.NewDecoder(strings.NewReader(raw)).RawToken()
		start, ok := tok.(xml.StartElement)
		if err != nil || !ok {
			if got != "" {
				t.Fatalf("found %q in a piece that does not start with a tag", got)
			}
			return
		}
		want := ""
		for _, a := range start.Attr {
			if a.Name.Local == name && a.Name.Space == "" {
				want = a.Value
				break
			}
		}
		if got != want {
			t.Fatalf("pieceAttr = %q, want %q", got, want)
		}
	})
}
