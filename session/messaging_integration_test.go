//go:build integration

package session

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/prosodytest"
	"github.com/candor-xmpp/candor/internal/xmpppeer"
)

// Two Candor accounts exchange messages both ways: receipts turn them
// Delivered, chat states pass, history and unread counts follow.
func TestIntegrationMessagesBothWays(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t)
	alice := login(t, srv, srv.CreateUser(t, "alice", "pw-a"), "pw-a")
	bob := login(t, srv, srv.CreateUser(t, "bob", "pw-b"), "pw-b")

	out := alice.send(t, "bob@localhost", "hello bob")
	in := bob.waitAdded(t, "hello bob")
	if in.Direction != Incoming || in.Peer != "alice@localhost" || in.Source != Live || in.OriginID != out.OriginID ||
		in.StanzaID == "" || in.State != Received || in.Resource == "" {
		t.Fatalf("bob got %+v", in)
	}
	alice.waitState(t, out.ID, Sent)

	// Bob does not know alice yet: no receipt tells her he is online. Once
	// he has written to her, he confirms her messages.
	reply := bob.send(t, "alice@localhost", "hi alice")
	alice.waitAdded(t, "hi alice")
	bob.waitState(t, reply.ID, Delivered) // alice wrote to bob first
	again := alice.send(t, "bob@localhost", "how are you?")
	alice.waitState(t, again.ID, Delivered)
	if n := len(alice.all(func(ev Event) bool { u, ok := ev.(MessageUpdated); return ok && u.ID == out.ID && u.State == Delivered })); n != 0 {
		t.Fatal("bob confirmed a stranger's first message")
	}

	if err := alice.SendChatState(ctx, "bob@localhost", StateComposing); err != nil {
		t.Fatal(err)
	}
	bob.wait(t, "alice composing", func(ev Event) bool {
		cs, ok := ev.(ChatStateChanged)
		return ok && cs.Peer == "alice@localhost" && cs.State == StateComposing
	})

	for _, c := range []*tclient{alice, bob} {
		peer := map[*tclient]string{alice: "bob@localhost", bob: "alice@localhost"}[c]
		h := c.history(t, peer)
		if got := bodiesOf(h); !reflect.DeepEqual(got, []string{"hello bob", "hi alice", "how are you?"}) {
			t.Fatalf("history of %s: %q", c.Account().JID, got)
		}
		for _, body := range []string{"hello bob", "hi alice", "how are you?"} {
			if n := c.added(body); n != 1 {
				t.Fatalf("%s saw %q added %d times", c.Account().JID, body, n)
			}
		}
	}
	convs, err := bob.Conversations(ctx)
	if err != nil || len(convs) != 1 || convs[0].Peer != "alice@localhost" || convs[0].Unread != 2 || convs[0].LastBody != "how are you?" {
		t.Fatalf("bob's conversations %+v, %v", convs, err)
	}
	if err := bob.MarkRead(ctx, "alice@localhost"); err != nil {
		t.Fatal(err)
	}
	if convs, _ := bob.Conversations(ctx); convs[0].Unread != 0 {
		t.Fatal("unread not cleared")
	}
}

// Candor and an independent client (slixmpp) interoperate: messages with
// origin-ids, receipts and chat states both ways.
func TestIntegrationSlixmppPeer(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t)
	alice := login(t, srv, srv.CreateUser(t, "alice", "pw-a"), "pw-a")
	bobJID := srv.CreateUser(t, "bob", "pw-b")
	peer := xmpppeer.Start(t)
	peer.Connect(t, xmpppeer.Config{JID: bobJID, Password: "pw-b", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})

	out := alice.send(t, bobJID, "to slixmpp")
	got := peer.Wait(t, "the message", func(e xmpppeer.Event) bool { return e.Event == "message" && e.Body == "to slixmpp" })
	if got.OriginID != out.OriginID || got.ID != out.OriginID || !got.Request || got.Type != "chat" {
		t.Fatalf("slixmpp got %+v, sent %+v", got, out)
	}
	alice.waitState(t, out.ID, Delivered) // slixmpp answered the receipt request

	// A message to someone who does not exist fails with the server's reason.
	lost := alice.send(t, "nobody@localhost", "into the void")
	failed := alice.wait(t, "the failure", func(ev Event) bool {
		u, ok := ev.(MessageUpdated)
		return ok && u.ID == lost.ID && u.State == Failed
	}).(MessageUpdated)
	if failed.Err != "service unavailable" {
		t.Fatalf("failed with %q", failed.Err)
	}

	id := peer.Send(t, "alice@localhost", "from slixmpp", "py-origin-1")
	in := alice.waitAdded(t, "from slixmpp")
	if in.OriginID != "py-origin-1" || in.Peer != bobJID || in.Direction != Incoming {
		t.Fatalf("alice got %+v", in)
	}
	peer.Wait(t, "alice's receipt", func(e xmpppeer.Event) bool { return e.Event == "receipt" && e.ID == id })

	// Without an origin-id, too.
	peer.Send(t, "alice@localhost", "no origin id", "")
	if m := alice.waitAdded(t, "no origin id"); m.OriginID != "" || m.StanzaID == "" {
		t.Fatalf("alice got %+v", m)
	}

	// An OMEMO message that has no key for this device is marked as such,
	// not shown as its fallback text.
	peer.Raw(t, `<message to='alice@localhost' type='chat' id='omemo-1'><encrypted xmlns='urn:xmpp:omemo:2'>`+
		`<header sid='42'><keys jid='alice@localhost'><key rid='7'>AAAA</key></keys></header><payload>BBBB</payload></encrypted>`+
		`<body>You received a message encrypted with OMEMO but your client doesn't support OMEMO.</body></message>`)
	enc := alice.wait(t, "the OMEMO message", func(ev Event) bool {
		a, ok := ev.(MessageAdded)
		return ok && a.Message.Encryption.Scheme == OMEMO2
	}).(MessageAdded).Message
	if !strings.HasPrefix(enc.Body, "[encrypted message (omemo:2) could not be decrypted: it was not encrypted for this device") ||
		strings.Contains(enc.Body, "support OMEMO") || enc.Peer != bobJID {
		t.Fatalf("OMEMO message stored as %+v", enc)
	}

	peer.ChatState(t, "alice@localhost", "composing")
	alice.wait(t, "bob composing", func(ev Event) bool {
		cs, ok := ev.(ChatStateChanged)
		return ok && cs.Peer == bobJID && cs.State == StateComposing
	})
	if err := alice.SendChatState(ctx, bobJID, StatePaused); err != nil {
		t.Fatal(err)
	}
	peer.Wait(t, "alice paused", func(e xmpppeer.Event) bool { return e.Event == "chatstate" && e.State == "paused" })
}

// A second client of the same account sees both directions through
// carbons: what the first one sends appears as our outgoing message.
func TestIntegrationCarbons(t *testing.T) {
	srv := prosodytest.Start(t)
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	bobJID := srv.CreateUser(t, "bob", "pw-b")
	one := newClient(t, "", Options{Resource: "one"})
	two := newClient(t, "", Options{Resource: "two"})
	for _, c := range []*tclient{one, two} {
		c.loginSynced(t, account(srv, aliceJID, "pw-a"))
	}
	peer := xmpppeer.Start(t)
	peer.Connect(t, xmpppeer.Config{JID: bobJID, Password: "pw-b", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})

	sent := one.send(t, bobJID, "sent from one")
	peer.Wait(t, "the message", func(e xmpppeer.Event) bool { return e.Event == "message" && e.Body == "sent from one" })
	copy := two.waitAdded(t, "sent from one")
	if copy.Direction != Outgoing || copy.Source != Carbon || copy.Peer != bobJID || copy.State != Sent || copy.OriginID != sent.OriginID {
		t.Fatalf("two got %+v", copy)
	}

	// To one's full JID: two gets a received carbon.
	forOne := peer.Send(t, aliceJID+"/one", "for one only", "")
	one.waitAdded(t, "for one only")
	rc := two.waitAdded(t, "for one only")
	if rc.Direction != Incoming || rc.Source != Carbon || rc.Peer != bobJID {
		t.Fatalf("two got %+v", rc)
	}
	// Receipts answer the live copy only: one, not two. two's next message
	// to the peer comes after any receipt two would have sent.
	receipt := peer.Wait(t, "one's receipt", func(e xmpppeer.Event) bool { return e.Event == "receipt" && e.ID == forOne })
	if receipt.From != aliceJID+"/one" {
		t.Fatalf("receipt from %s", receipt.From)
	}
	two.send(t, bobJID, "from two")
	peer.Wait(t, "two's message", func(e xmpppeer.Event) bool { return e.Event == "message" && e.Body == "from two" })
	if n := len(peer.Events(func(e xmpppeer.Event) bool { return e.Event == "receipt" && e.ID == forOne })); n != 1 {
		t.Fatalf("slixmpp got %d receipts for one message, want 1 (from one)", n)
	}
	if one.added("sent from one") != 1 || two.added("sent from one") != 1 || two.added("for one only") != 1 {
		t.Fatal("a message was added twice")
	}
}
