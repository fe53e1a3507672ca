package e2ee_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/candor-xmpp/candor/e2ee"
	"github.com/candor-xmpp/candor/e2ee/internal/ratchet"
	"github.com/candor-xmpp/candor/internal/pyomemo"
)

// The differential tests: Candor against python-omemo, both versions, both
// directions. Failures of python-omemo are reported with the exception
// class it raised.

func forVersions(t *testing.T, f func(t *testing.T, v e2ee.Version)) {
	for _, v := range e2ee.Versions {
		t.Run(v.String(), func(t *testing.T) { f(t, v) })
	}
}

func TestPythonFirstContactFromCandor(t *testing.T) {
	forVersions(t, func(t *testing.T, v e2ee.Version) {
		pp := newPyPair(t, v)
		pp.goPrepare()
		m1, m2 := pp.goSend("hello python"), pp.goSend("second before any reply")
		for _, m := range []*pyomemo.Message{m1, m2} {
			if !m.Keys[0].KEX {
				t.Fatal("unanswered session sent no key exchange")
			}
		}
		completion := pp.pyReceiveHeld(m1, "hello python")
		if len(completion) != 1 {
			t.Fatalf("python sent %d empty messages after the key exchange, want 1", len(completion))
		}
		// The repeated key exchange decrypts in python's existing session
		// (python-omemo answers every key exchange with an empty message).
		completion = append(completion, pp.pyReceiveHeld(m2, "second before any reply")...)
		for _, c := range completion {
			pp.goReceive(c, emptyMsg)
		}
		if m := pp.goSend("confirmed"); m.Keys[0].KEX {
			t.Fatal("key exchange after python's completion")
		} else {
			pp.pyReceive(m, "confirmed")
		}
		pp.exchange("after", 3)
	})
}

func TestPythonFirstContactFromPython(t *testing.T) {
	forVersions(t, func(t *testing.T, v e2ee.Version) {
		pp := newPyPair(t, v)
		m1, m2 := pp.pySend("hello candor"), pp.pySend("again")
		reply := pp.goReceiveHeld(m1, "hello candor")
		if reply == nil || reply.Keys[0].KEX || reply.Payload != nil {
			t.Fatalf("Candor's completion: %+v", reply)
		}
		if r := pp.goReceiveHeld(m2, "again"); r != nil {
			t.Fatal("Candor answered a repeated key exchange")
		}
		pp.pyReceive(reply, emptyMsg)
		if m := pp.pySend("confirmed"); m.Keys[0].KEX {
			t.Fatal("python still sends key exchanges after Candor's completion")
		} else {
			pp.goReceive(m, "confirmed")
		}
		pp.exchange("after", 3)
	})
}

func TestPythonLongConversation(t *testing.T) {
	forVersions(t, func(t *testing.T, v e2ee.Version) {
		pp := newPyPair(t, v)
		pp.goPrepare()
		pp.exchange("long", 20) // 80 messages, 40 ratchet steps each way
	})
}

func TestPythonOutOfOrder(t *testing.T) {
	forVersions(t, func(t *testing.T, v e2ee.Version) {
		pp := newPyPair(t, v)
		pp.goPrepare()
		pp.exchange("setup", 2)
		order := []int{7, 0, 11, 3, 2, 9, 1, 10, 4, 8, 6, 5}
		// python -> Candor, across a ratchet step in the middle.
		var fromPy []*pyomemo.Message
		for i := 0; i < 6; i++ {
			fromPy = append(fromPy, pp.pySend(fmt.Sprint("p", i)))
		}
		pp.pyReceive(pp.goSend("step"), "step")
		for i := 6; i < 12; i++ {
			fromPy = append(fromPy, pp.pySend(fmt.Sprint("p", i)))
		}
		for _, i := range order {
			pp.goReceive(fromPy[i], fmt.Sprint("p", i))
		}
		// Candor -> python.
		var fromGo []*pyomemo.Message
		for i := 0; i < 6; i++ {
			fromGo = append(fromGo, pp.goSend(fmt.Sprint("g", i)))
		}
		pp.goReceive(pp.pySend("step back"), "step back")
		for i := 6; i < 12; i++ {
			fromGo = append(fromGo, pp.goSend(fmt.Sprint("g", i)))
		}
		for _, i := range order {
			pp.pyReceive(fromGo[i], fmt.Sprint("g", i))
		}
		pp.exchange("after", 3)
	})
}

func TestPythonDuplicates(t *testing.T) {
	forVersions(t, func(t *testing.T, v e2ee.Version) {
		pp := newPyPair(t, v)
		pp.goPrepare()
		pp.exchange("setup", 2)
		m := pp.pySend("once")
		pp.goReceive(m, "once")
		if _, err := pp.goDecrypt(m); isDecryptError(err, e2ee.ErrDuplicate) != nil {
			t.Fatal(err)
		}
		g := pp.goSend("once too")
		pp.pyReceive(g, "once too")
		if _, err := pp.p.Decrypt(pp.py.JID, g); !pyomemo.IsClass(err, "DecryptionFailed") {
			t.Fatalf("python on a duplicate: %v", err)
		}
		pp.exchange("after", 2)
	})
}

func TestPythonSkippedKeysBound(t *testing.T) {
	forVersions(t, func(t *testing.T, v e2ee.Version) {
		pp := newPyPair(t, v)
		pp.goPrepare()
		pp.exchange("setup", 1)
		// python -> Candor: python's next chain starts at 0.
		pp.pyReceive(pp.goSend("turn"), "turn")
		burst, err := pp.p.EncryptBurst(pp.py.JID, namespace(v), pp.g.jid, pp.g.m.DeviceID(), "b", ratchet.MaxSkip+2)
		if err != nil {
			t.Fatal(err)
		}
		last := &burst[ratchet.MaxSkip+1]
		if _, err := pp.goDecrypt(last); isDecryptError(err, e2ee.ErrTooManySkipped) != nil {
			t.Fatal(err)
		}
		pp.goReceive(&burst[ratchet.MaxSkip], fmt.Sprint("b ", ratchet.MaxSkip))
		pp.goReceive(last, fmt.Sprint("b ", ratchet.MaxSkip+1))
		pp.goReceive(&burst[3], "b 3")
		pp.goReceive(&burst[0], "b 0")
		if _, err := pp.goDecrypt(&burst[3]); isDecryptError(err, e2ee.ErrDuplicate) != nil {
			t.Fatal(err)
		}
		// Candor -> python: python refuses to skip more than its bound too.
		pp.goReceive(pp.pySend("turn back"), "turn back")
		var fromGo []*pyomemo.Message
		for i := 0; i < ratchet.MaxSkip+2; i++ {
			fromGo = append(fromGo, pp.goSend(fmt.Sprint("g ", i)))
		}
		if _, err := pp.p.Decrypt(pp.py.JID, fromGo[ratchet.MaxSkip+1]); err == nil {
			t.Fatal("python skipped more than 1000 keys")
		}
		pp.pyReceive(fromGo[ratchet.MaxSkip], fmt.Sprint("g ", ratchet.MaxSkip))
		pp.pyReceive(fromGo[0], "g 0")
	})
}

func TestPythonSimultaneousInitiation(t *testing.T) {
	for _, goFirst := range []bool{true, false} {
		t.Run(fmt.Sprint("candor first ", goFirst), func(t *testing.T) {
			forVersions(t, func(t *testing.T, v e2ee.Version) {
				pp := newPyPair(t, v)
				pp.goPrepare()
				mg, mp := pp.goSend("from candor"), pp.pySend("from python")
				var goReply *pyomemo.Message
				var pyReplies []*pyomemo.Message
				if goFirst {
					goReply = pp.goReceiveHeld(mp, "from python")
					pyReplies = pp.pyReceiveHeld(mg, "from candor")
				} else {
					pyReplies = pp.pyReceiveHeld(mg, "from candor")
					goReply = pp.goReceiveHeld(mp, "from python")
				}
				for _, r := range pyReplies {
					pp.goReceive(r, emptyMsg)
				}
				// Candor completes python's session in the session python's
				// key exchange built. python-omemo keeps no earlier session
				// states, so if it already switched to the session built from
				// Candor's key exchange it cannot read this empty message; that
				// loses nothing. Messages with content must all arrive.
				if goReply != nil {
					_, err := pp.p.Decrypt(pp.py.JID, goReply)
					if err != nil && !pyomemo.IsClass(err, "DecryptionFailed") {
						t.Fatalf("python on Candor's completion: %v", err)
					}
					for _, e := range pp.pyOutbox() {
						pp.goReceive(e, emptyMsg)
					}
				}
				pp.exchange("after", 3)
			})
		})
	}
}

func TestPythonHeartbeats(t *testing.T) {
	forVersions(t, func(t *testing.T, v e2ee.Version) {
		pp := newPyPair(t, v)
		pp.goPrepare()
		pp.exchange("setup", 1)
		// python -> Candor, one-sided: Candor sends one heartbeat.
		beats := 0
		pp.pyReceive(pp.goSend("turn"), "turn")
		burst, err := pp.p.EncryptBurst(pp.py.JID, namespace(v), pp.g.jid, pp.g.m.DeviceID(), "p", e2ee.HeartbeatAfter+5)
		if err != nil {
			t.Fatal(err)
		}
		for i := range burst {
			if pp.goReceive(&burst[i], fmt.Sprint("p ", i)) {
				beats++
				if i != e2ee.HeartbeatAfter {
					t.Fatalf("heartbeat after message %d", i)
				}
			}
		}
		if beats != 1 {
			t.Fatalf("Candor sent %d heartbeats", beats)
		}
		// Candor -> python, one-sided: python sends heartbeats, Candor reads them.
		beats = 0
		for i := 0; i < e2ee.HeartbeatAfter+3; i++ {
			text := fmt.Sprint("g", i)
			beats += pp.pyReceive(pp.goSend(text), text)
		}
		if beats == 0 {
			t.Fatal("python sent no heartbeat")
		}
		pp.exchange("after", 2)
	})
}

func TestPythonDuringCatchUp(t *testing.T) {
	forVersions(t, func(t *testing.T, v e2ee.Version) {
		pp := newPyPair(t, v)
		pp.g.m.BeginCatchUp()
		for _, text := range []string{"archived 1", "archived 2"} {
			if pp.goReceive(pp.pySend(text), text) {
				t.Fatal("reply during catch-up")
			}
		}
		res, err := pp.g.m.EndCatchUp(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Replies) != 1 {
			t.Fatalf("%d replies after catch-up", len(res.Replies))
		}
		pp.pyReceive(toPyMessage(pp.g.jid, res.Replies[0]), emptyMsg)
		if m := pp.pySend("live"); m.Keys[0].KEX {
			t.Fatal("python not confirmed by the held-back completion")
		} else {
			pp.goReceive(m, "live")
		}
	})
}

func TestPythonEmptyMessages(t *testing.T) {
	forVersions(t, func(t *testing.T, v e2ee.Version) {
		pp := newPyPair(t, v)
		pp.goPrepare()
		pp.exchange("setup", 1)
		out, err := pp.p.EncryptEmpty(pp.py.JID, namespace(v), pp.g.jid, pp.g.m.DeviceID())
		if err != nil {
			t.Fatal(err)
		}
		if out.Message.Payload != nil || (v == e2ee.Legacy) != (out.Message.IV != nil) {
			t.Fatalf("python's empty message: %+v", out.Message)
		}
		pp.goReceive(&out.Message, emptyMsg)
		e, err := pp.g.m.EncryptEmpty(context.Background(), v, pp.pyAddr())
		if err != nil {
			t.Fatal(err)
		}
		pp.pyReceive(toPyMessage(pp.g.jid, e), emptyMsg)
		pp.exchange("after", 1)
	})
}
