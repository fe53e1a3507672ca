// Command uidemo runs the Candor UI against an in-memory backend with a
// scripted contact, for trying the TUI (and driving it from tmux) without
// a server:
//
//	go run ./ui/internal/uidemo [-history N] [-first-run]
//
// alice@example.org answers every message; her history has N messages.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui"
	"github.com/candor-xmpp/candor/ui/internal/backendtest"
)

const alice = "alice@example.org"

// demo adds to the recording backend what a real one does on send: the
// message events, the stanzas, and a reply.
type demo struct {
	*backendtest.Backend
}

func (d demo) Send(ctx context.Context, req session.SendRequest) (session.Message, error) {
	msg, err := d.Backend.Send(ctx, req)
	if err != nil {
		return msg, err
	}
	go func() {
		d.Emit(session.MessageAdded{Message: msg})
		d.Emit(session.StanzaLogged{Time: time.Now(), Outgoing: true, XML: fmt.Sprintf(
			"<message to='%s' type='chat' id='m%d'><body>%s</body><origin-id xmlns='urn:xmpp:sid:0' id='o%d'/><request xmlns='urn:xmpp:receipts'/></message>",
			req.To, msg.ID, req.Body, msg.ID)})
		time.Sleep(300 * time.Millisecond)
		d.SetState(req.To, msg.ID, session.Sent)
		d.Emit(session.MessageUpdated{ID: msg.ID, Peer: req.To, State: session.Sent})
		d.Emit(session.ChatStateChanged{Peer: req.To, State: session.StateComposing})
		time.Sleep(1200 * time.Millisecond)
		d.SetState(req.To, msg.ID, session.Delivered)
		d.Emit(session.MessageUpdated{ID: msg.ID, Peer: req.To, State: session.Delivered})
		reply := d.Store(session.Message{Peer: req.To, Direction: session.Incoming, Time: time.Now(),
			Body: "you said: " + req.Body})
		d.Emit(session.StanzaLogged{Time: time.Now(), XML: fmt.Sprintf(
			"<message from='%s/phone' type='chat' id='r%d'><body>%s</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>",
			req.To, reply.ID, reply.Body)})
		d.Emit(session.MessageAdded{Message: reply})
	}()
	return msg, nil
}

func main() {
	history := flag.Int("history", 2000, "messages in alice's history")
	firstRun := flag.Bool("first-run", false, "start without an account (login dialog)")
	flag.Parse()

	be := backendtest.New()
	be.Now = time.Now
	be.Roster = []session.Contact{
		{JID: alice, Name: "Alice", Subscription: "both", Presence: session.Presence{Available: true, Status: "in Wonderland"}},
		{JID: "bob@example.org", Name: "Bob", Subscription: "both", Presence: session.Presence{Available: true, Show: session.ShowAway}},
		{JID: "carol@example.net", Subscription: "to"},
	}
	be.Generate(alice, *history, time.Now().Add(-time.Duration(*history)*time.Minute))
	be.Chats = []session.Conversation{{Peer: alice, Last: time.Now()}}
	opts := ui.Options{ScanMode: "off"}
	if !*firstRun {
		be.SetAccount(session.AccountInfo{JID: "me@example.org", Resource: "demo", State: session.Online})
		opts.Account = &session.Account{JID: "me@example.org", Password: "demo"}
	}
	go func() {
		time.Sleep(2 * time.Second)
		be.Emit(session.ConnectionChanged{State: session.Online})
		be.Emit(session.SubscriptionRequested{JID: "dave@example.com", Message: "hi, it's Dave"})
	}()
	if err := ui.Run(context.Background(), demo{be}, opts); err != nil {
		fmt.Fprintln(os.Stderr, "uidemo:", err)
		os.Exit(1)
	}
}
