package ui

import (
	"strconv"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
)

// chatWithHistory opens a chat whose history holds n messages, served in
// pages by the backend double.
func chatWithHistory(b *testing.B, n int) *harness {
	be := newBackend()
	be.SetAccount(session.AccountInfo{JID: "me@example.org", State: session.Online})
	be.Generate(alice, n, t0)
	acct := session.Account{JID: "me@example.org", Password: "pw"}
	x := newHarnessWith(b, be, Options{Account: &acct}, 120, 40)
	x.send(session.RosterChanged{Contacts: []session.Contact{{JID: alice, Name: "Alice", Subscription: "both"}}})
	x.typeText("/msg " + alice)
	x.press("enter")
	return x
}

// BenchmarkFrame is one whole screen (View) of a chat scrolled five pages
// back, with 1k and with 100k messages in its history.
func BenchmarkFrame(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			x := chatWithHistory(b, n)
			for range 5 {
				x.press("pgup")
			}
			b.ReportAllocs()
			for b.Loop() {
				_ = x.m.View()
			}
		})
	}
}

// BenchmarkScrollFrame is a page up or down through the root model (with
// the history pages it loads) plus the frame that shows it: 20 pages back,
// 20 forward, repeatedly.
func BenchmarkScrollFrame(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			x := chatWithHistory(b, n)
			up, down := keyMsg("pgup"), keyMsg("pgdown")
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				var k tea.KeyPressMsg = up
				if (i/20)%2 == 1 {
					k = down
				}
				x.send(k)
				_ = x.m.View()
				i++
			}
		})
	}
}

// BenchmarkIncomingMessage is a message arriving in the open chat and the
// frame that shows it.
func BenchmarkIncomingMessage(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			x := chatWithHistory(b, n)
			msg := session.Message{Peer: alice, Direction: session.Incoming, Body: "new message", Time: t0}
			b.ReportAllocs()
			id := int64(10_000_000)
			for b.Loop() {
				id++
				msg.ID = id
				x.send(session.MessageAdded{Message: msg})
				_ = x.m.View()
			}
		})
	}
}
