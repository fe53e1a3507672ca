//go:build integration

package session

import (
	"fmt"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/prosodytest"
	"github.com/candor-xmpp/candor/internal/xmpppeer"
)

// Another account sends forged and malformed stanzas: spoofed carbons, a
// fake archive result, a forged stanza-id, a roster push, odd payloads. None
// is believed, none takes the session down, and the next honest message
// arrives.
func TestIntegrationHostileStanzas(t *testing.T) {
	srv := prosodytest.Start(t)
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	alice := login(t, srv, aliceJID, "pw-a")
	eveJID := srv.CreateUser(t, "eve", "pw-e")
	eve := xmpppeer.Start(t)
	eve.Connect(t, xmpppeer.Config{JID: eveJID, Password: "pw-e", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})
	full := aliceJID + "/" + alice.Account().Resource

	alice.send(t, eveJID, "a real message")
	eve.Wait(t, "it", func(e xmpppeer.Event) bool { return e.Event == "message" && e.Body == "a real message" })
	h := alice.history(t, eveJID)
	if len(h) != 1 {
		t.Fatalf("history %+v", h)
	}

	deep := strings.Repeat("<x xmlns='urn:example:deep'>", 500) + strings.Repeat("</x>", 500)
	for _, raw := range []string{
		// A sent carbon claiming alice wrote to mallory.
		`<message to='` + aliceJID + `' type='chat'><sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>
		 <message xmlns='jabber:client' from='` + full + `' to='mallory@localhost' type='chat'><body>spoofed carbon</body></message>
		 </forwarded></sent></message>`,
		// A received carbon.
		`<message to='` + full + `'><received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>
		 <message xmlns='jabber:client' from='mallory@localhost/x' to='` + full + `' type='chat'><body>spoofed received carbon</body></message>
		 </forwarded></received></message>`,
		// An archive result nobody asked for.
		`<message to='` + full + `'><result xmlns='urn:xmpp:mam:2' queryid='q' id='fake-id'><forwarded xmlns='urn:xmpp:forward:0'>
		 <message xmlns='jabber:client' from='mallory@localhost/x' to='` + aliceJID + `' type='chat'><body>fake archive</body></message>
		 </forwarded></result></message>`,
		// A roster push from someone else.
		`<iq type='set' to='` + full + `' id='push1'><query xmlns='jabber:iq:roster'><item jid='mallory@localhost' subscription='both'/></query></iq>`,
		// An unknown request, and a ping.
		`<iq type='get' to='` + full + `' id='q1'><query xmlns='urn:example:unknown'/></iq>`,
		// A receipt for our message from someone who never got it, with
		// a forged stanza-id naming our message's archive id.
		`<message to='` + aliceJID + `' type='chat'><received xmlns='urn:xmpp:receipts' id='not-ours'/></message>`,
		// Odd and deep payloads.
		`<message to='` + aliceJID + `' type='chat'><body xml:lang='x'>` + deep + `</body><delay xmlns='urn:xmpp:delay' stamp='not a time'/></message>`,
		`<message to='` + aliceJID + `' type='chat'><body>forged id</body><stanza-id xmlns='urn:xmpp:sid:0' by='` + aliceJID + `' id='` + h[0].StanzaID + `x'/></message>`,
		`<presence to='` + aliceJID + `' type='bogus'/>`,
		`<message to='` + aliceJID + `' type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/><paused xmlns='http://jabber.org/protocol/chatstates'/></message>`,
	} {
		eve.Raw(t, raw)
	}
	eve.Raw(t, `<iq type='get' to='`+full+`' id='ping1'><ping xmlns='urn:xmpp:ping'/></iq>`)
	eve.Send(t, aliceJID, "still here", "")
	alice.waitAdded(t, "still here")

	for _, body := range []string{"spoofed carbon", "spoofed received carbon", "fake archive"} {
		if n := alice.added(body); n != 0 {
			t.Errorf("%q was believed", body)
		}
	}
	if alice.added("forged id") != 1 {
		t.Error("a message with a forged stanza-id was lost")
	}
	for _, c := range alice.Contacts() {
		if c.JID == "mallory@localhost" {
			t.Error("a roster push from another account was applied")
		}
	}
	if n := len(alice.all(func(ev Event) bool {
		cc, ok := ev.(ConnectionChanged)
		return ok && cc.State != Online && cc.State != Connecting
	})); n != 0 {
		t.Fatalf("the connection changed %d times:\n%s", n, alice.dump())
	}
	log := alice.console()
	for _, want := range []string{
		`id="push1"><error type="cancel"><service-unavailable`,
		`id="q1"><error type="cancel"><service-unavailable`,
		`type="result" to="` + eveJID,
	} {
		if !strings.Contains(log, want) {
			t.Errorf("console lacks %s", want)
		}
	}
	if t.Failed() {
		fmt.Println(log)
	}
}
