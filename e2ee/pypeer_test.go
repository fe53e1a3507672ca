package e2ee_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/candor-xmpp/candor/e2ee"
	"github.com/candor-xmpp/candor/internal/pyomemo"
)

// One python-omemo process serves all tests of the package: importing
// python-omemo takes a second or more.
var python struct {
	once sync.Once
	peer *pyomemo.Peer
	err  error
	n    int
}

func pyPeer(t testing.TB) *pyomemo.Peer {
	t.Helper()
	path := pyomemo.Python(t)
	python.once.Do(func() { python.peer, python.err = pyomemo.Start(path) })
	if python.err != nil {
		t.Fatalf("starting python-omemo: %v", python.err)
	}
	return python.peer
}

func TestMain(m *testing.M) {
	code := m.Run()
	if python.peer != nil {
		if err := python.peer.Close(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

func namespace(v e2ee.Version) string { return v.Namespace() }

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func unb64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("base64 %q: %v", s, err)
	}
	return b
}

func toPyBundle(v e2ee.Version, a e2ee.Address, b *e2ee.Bundle) *pyomemo.Bundle {
	out := &pyomemo.Bundle{Namespace: namespace(v), JID: a.JID, DeviceID: a.Device, IK: b64(b.IdentityKey),
		SPKID: b.SignedPreKeyID, SPK: b64(b.SignedPreKey), SPKS: b64(b.SignedPreKeySignature)}
	for _, k := range b.PreKeys {
		out.PreKeys = append(out.PreKeys, pyomemo.PreKey{ID: k.ID, Key: b64(k.Key)})
	}
	return out
}

func fromPyBundle(t testing.TB, b *pyomemo.Bundle) *e2ee.Bundle {
	out := &e2ee.Bundle{IdentityKey: unb64(t, b.IK), SignedPreKeyID: b.SPKID, SignedPreKey: unb64(t, b.SPK),
		SignedPreKeySignature: unb64(t, b.SPKS)}
	for _, k := range b.PreKeys {
		out.PreKeys = append(out.PreKeys, e2ee.PreKey{ID: k.ID, Key: unb64(t, k.Key)})
	}
	return out
}

func toPyMessage(from string, m *e2ee.Message) *pyomemo.Message {
	out := &pyomemo.Message{Namespace: namespace(m.Version), From: from, SID: m.Sender}
	for _, k := range m.Keys {
		jid := k.JID
		if m.Version == e2ee.Legacy {
			jid = ""
		}
		out.Keys = append(out.Keys, pyomemo.Key{JID: jid, RID: k.Device, KEX: k.KeyExchange, Data: b64(k.Data)})
	}
	if m.IV != nil {
		s := b64(m.IV)
		out.IV = &s
	}
	if m.Payload != nil {
		s := b64(m.Payload)
		out.Payload = &s
	}
	return out
}

// fromPyMessage picks our key out of a python message.
func fromPyMessage(t testing.TB, v e2ee.Version, m *pyomemo.Message, me e2ee.Address) *e2ee.Incoming {
	t.Helper()
	in := &e2ee.Incoming{Version: v, Sender: e2ee.Address{JID: m.From, Device: m.SID}}
	found := false
	for _, k := range m.Keys {
		if k.RID == me.Device && (v == e2ee.Legacy || k.JID == me.JID) {
			in.Key, in.KeyExchange, found = unb64(t, k.Data), k.KEX, true
			if k.KEX && (k.KexAttr == nil || *k.KexAttr != "true") {
				t.Fatalf("python wrote the key exchange attribute as %v", k.KexAttr)
			}
		}
	}
	if !found {
		t.Fatalf("python message has no key for %v: %+v", me, m.Keys)
	}
	if m.IV != nil {
		in.IV = unb64(t, *m.IV)
	}
	if m.Payload != nil {
		in.Payload = unb64(t, *m.Payload)
	}
	return in
}

// pyPair is one Candor device and one python-omemo account in one version.
type pyPair struct {
	t  *testing.T
	p  *pyomemo.Peer
	v  e2ee.Version
	g  *device
	py *pyomemo.Account
}

func (pp *pyPair) pyAddr() e2ee.Address { return e2ee.Address{JID: pp.py.JID, Device: pp.py.DeviceID} }

func newPyPair(t *testing.T, v e2ee.Version) *pyPair {
	t.Helper()
	p := pyPeer(t)
	python.n++
	n := python.n
	w := newWorld(t)
	g := w.add(fmt.Sprint("go", n), fmt.Sprintf("go%d@example.org", n))
	py, err := p.Create(fmt.Sprintf("py%d@example.org", n), false)
	if err != nil {
		t.Fatal(err)
	}
	pp := &pyPair{t: t, p: p, v: v, g: g, py: py}
	pp.publishGo()
	if err := p.PublishDeviceList(namespace(v), g.jid, []uint32{g.m.DeviceID()}); err != nil {
		t.Fatal(err)
	}
	if _, err := g.m.UpdateDeviceList(context.Background(), v, py.JID, []uint32{py.DeviceID}); err != nil {
		t.Fatal(err)
	}
	return pp
}

// publishGo puts Candor's current bundle on the python side's PEP.
func (pp *pyPair) publishGo() {
	pp.t.Helper()
	b, err := pp.g.m.Bundle(context.Background(), pp.v)
	if err != nil {
		pp.t.Fatal(err)
	}
	if err := pp.p.PublishBundle(toPyBundle(pp.v, pp.g.m.Address(), b)); err != nil {
		pp.t.Fatal(err)
	}
}

// goPrepare has Candor build a session from python's bundle.
func (pp *pyPair) goPrepare() {
	pp.t.Helper()
	b, err := pp.p.Bundle(pp.py.JID, namespace(pp.v))
	if err != nil {
		pp.t.Fatal(err)
	}
	if err := pp.g.m.ProcessBundle(context.Background(), pp.v, pp.pyAddr(), fromPyBundle(pp.t, b)); err != nil {
		pp.t.Fatal(err)
	}
}

func (pp *pyPair) goSend(text string) *pyomemo.Message {
	pp.t.Helper()
	return toPyMessage(pp.g.jid, pp.g.send(pp.v, text, pp.py.JID))
}

func (pp *pyPair) goDecrypt(m *pyomemo.Message) (*e2ee.Decrypted, error) {
	pp.t.Helper()
	out, err := pp.g.m.Decrypt(context.Background(), fromPyMessage(pp.t, pp.v, m, pp.g.m.Address()))
	if err == nil && out.BundleChanged {
		pp.publishGo()
	}
	return out, err
}

// goReceiveHeld decrypts a python message in Candor and returns Candor's
// reply, if any, as a message for python, without delivering it.
func (pp *pyPair) goReceiveHeld(m *pyomemo.Message, want string) *pyomemo.Message {
	pp.t.Helper()
	out, err := pp.goDecrypt(m)
	if err != nil {
		pp.t.Fatalf("Candor decrypting %q: %v", want, err)
	}
	if want == emptyMsg {
		if out.Plaintext != nil {
			pp.t.Fatalf("Candor decrypted %q from an empty message", out.Plaintext)
		}
	} else if out.Plaintext == nil || string(out.Plaintext) != want {
		pp.t.Fatalf("Candor decrypted %q, want %q", out.Plaintext, want)
	}
	if out.Reply == nil {
		return nil
	}
	return toPyMessage(pp.g.jid, out.Reply)
}

// goReceive decrypts a python message in Candor and delivers Candor's
// reply, if any, to python at once. It reports whether there was one.
func (pp *pyPair) goReceive(m *pyomemo.Message, want string) bool {
	pp.t.Helper()
	r := pp.goReceiveHeld(m, want)
	if r != nil {
		pp.pyReceive(r, emptyMsg)
	}
	return r != nil
}

const emptyMsg = "\x00empty"

func (pp *pyPair) pySend(text string) *pyomemo.Message {
	pp.t.Helper()
	m, err := pp.p.Encrypt(pp.py.JID, namespace(pp.v), []string{pp.g.jid}, []byte(text))
	if err != nil {
		pp.t.Fatalf("python encrypting %q: %v", text, err)
	}
	return m
}

// pyReceiveHeld decrypts a Candor message in python and returns the
// empty messages python sent on its own meanwhile, without delivering them.
func (pp *pyPair) pyReceiveHeld(m *pyomemo.Message, want string) []*pyomemo.Message {
	pp.t.Helper()
	pt, err := pp.p.Decrypt(pp.py.JID, m)
	if err != nil {
		pp.t.Fatalf("python decrypting %q: %v", want, err)
	}
	if want == emptyMsg {
		if pt != nil {
			pp.t.Fatalf("python decrypted %q from an empty message", pt)
		}
	} else if string(pt) != want {
		pp.t.Fatalf("python decrypted %q, want %q", pt, want)
	}
	return pp.pyOutbox()
}

// pyReceive decrypts a Candor message in python and delivers python's empty
// messages to Candor at once. It returns how many there were.
func (pp *pyPair) pyReceive(m *pyomemo.Message, want string) int {
	pp.t.Helper()
	out := pp.pyReceiveHeld(m, want)
	for _, e := range out {
		pp.goReceive(e, emptyMsg)
	}
	return len(out)
}

func (pp *pyPair) pyOutbox() []*pyomemo.Message {
	pp.t.Helper()
	out, err := pp.p.Outbox(pp.py.JID)
	if err != nil {
		pp.t.Fatal(err)
	}
	var ms []*pyomemo.Message
	for i := range out {
		if out[i].To != pp.g.jid {
			pp.t.Fatalf("python sent an empty message to %s", out[i].To)
		}
		ms = append(ms, &out[i].Message)
	}
	return ms
}

// exchange runs a conversation of n rounds, with bursts of one to three
// messages each way, every message delivered at once.
func (pp *pyPair) exchange(label string, n int) {
	pp.t.Helper()
	for i := 0; i < n; i++ {
		for j := 0; j <= i%3; j++ {
			text := fmt.Sprintf("%s go %d.%d", label, i, j)
			pp.pyReceive(pp.goSend(text), text)
		}
		for j := 0; j <= (i+1)%3; j++ {
			text := fmt.Sprintf("%s py %d.%d", label, i, j)
			pp.goReceive(pp.pySend(text), text)
		}
	}
}
