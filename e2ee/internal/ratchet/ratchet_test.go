package ratchet

import (
	"bytes"
	"crypto/ecdh"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/candor-xmpp/candor/e2ee/internal/curve"
	"github.com/candor-xmpp/candor/e2ee/internal/wire"
)

// detRand is a deterministic randomness source for tests: SHA-256 in
// counter mode over a label.
type detRand struct {
	label string
	n     int
	buf   []byte
}

func (r *detRand) Read(p []byte) (int, error) {
	for len(r.buf) < len(p) {
		h := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", r.label, r.n)))
		r.n++
		r.buf = append(r.buf, h[:]...)
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func key32(r io.Reader) (k [32]byte) {
	io.ReadFull(r, k[:])
	return k
}

type party struct {
	id     *curve.Identity
	spk    *ecdh.PrivateKey
	spkSig []byte
	pk     map[uint32]*ecdh.PrivateKey
	rnd    io.Reader
	rec    map[string]*Record // by peer name
}

func newParty(v Version, name string) *party {
	rnd := &detRand{label: name}
	s := key32(rnd)
	id, _ := curve.NewIdentity(s[:])
	sk := key32(rnd)
	spk, _ := curve.NewX25519(sk[:])
	p := &party{id: id, spk: spk, pk: map[uint32]*ecdh.PrivateKey{}, rnd: rnd, rec: map[string]*Record{}}
	var spkPub [32]byte
	copy(spkPub[:], spk.PublicKey().Bytes())
	if v == Legacy {
		p.spkSig = id.SignLegacy(wire.DjbKey(spkPub))
	} else {
		p.spkSig = id.Sign(spkPub[:])
	}
	for i := uint32(1); i <= 3; i++ {
		k := key32(rnd)
		p.pk[i], _ = curve.NewX25519(k[:])
	}
	return p
}

func (p *party) bundle(v Version, pkID uint32) *PeerBundle {
	b := &PeerBundle{Identity: LocalIdentity(v, p.id), SignedPreKeyID: 1,
		SignedPreKeySignature: p.spkSig, PreKeyID: pkID}
	copy(b.SignedPreKey[:], p.spk.PublicKey().Bytes())
	copy(b.PreKey[:], p.pk[pkID].PublicKey().Bytes())
	return b
}

// initiate makes p start a session with q.
func (p *party) initiate(t *testing.T, v Version, qName string, q *party) {
	t.Helper()
	s, err := Initiate(v, p.id, q.bundle(v, 1), key32(p.rnd), key32(p.rnd))
	if err != nil {
		t.Fatal(err)
	}
	p.rec[qName] = NewRecord(s)
}

// receive is the receiving side of one message, including key exchanges,
// as the e2ee Manager does it.
func (p *party) receive(v Version, from string, msg []byte, kex bool) ([]byte, error) {
	rec := p.rec[from]
	if !kex {
		if rec == nil {
			return nil, ErrNoSession
		}
		res, err := rec.Decrypt(p.rnd, msg)
		if err != nil {
			return nil, err
		}
		return res.Plaintext, nil
	}
	kx, err := ParseKeyExchange(v, msg)
	if err != nil {
		return nil, err
	}
	if rec != nil {
		if _, ok := rec.FindBaseKey(kx.BaseKey); ok {
			res, err := rec.DecryptRepeated(p.rnd, kx)
			if err != nil {
				return nil, err
			}
			return res.Plaintext, nil
		}
	}
	s, err := Respond(v, p.id, p.spk, p.pk[kx.PreKeyID], kx)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		rec = &Record{}
	}
	res, err := rec.Accept(p.rnd, s, kx)
	if err != nil {
		return nil, err
	}
	p.rec[from] = rec
	return res.Plaintext, nil
}

type sent struct {
	msg []byte
	kex bool
	pt  []byte
}

func (p *party) send(t *testing.T, to string, text string) sent {
	t.Helper()
	msg, kex, err := p.rec[to].Encrypt([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	// Every state must survive storage.
	enc, err := p.rec[to].MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	back, err := UnmarshalRecord(enc)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := back.MarshalBinary(); !bytes.Equal(again, enc) {
		t.Fatal("record encoding does not round-trip")
	}
	p.rec[to] = back
	return sent{msg, kex, []byte(text)}
}

func mustReceive(t *testing.T, v Version, p *party, from string, m sent) {
	t.Helper()
	pt, err := p.receive(v, from, m.msg, m.kex)
	if err != nil {
		t.Fatalf("decrypting %q: %v", m.pt, err)
	}
	if !bytes.Equal(pt, m.pt) {
		t.Fatalf("decrypted %q, want %q", pt, m.pt)
	}
}

var versions = []Version{Legacy, OMEMO2}

func TestConversation(t *testing.T) {
	for _, v := range versions {
		t.Run(v.String(), func(t *testing.T) {
			a, b := newParty(v, "alice"), newParty(v, "bob")
			a.initiate(t, v, "bob", b)
			m1 := a.send(t, "bob", "hello")
			m2 := a.send(t, "bob", "again")
			if !m1.kex || !m2.kex {
				t.Fatal("unanswered session did not send key exchanges")
			}
			mustReceive(t, v, b, "alice", m1)
			mustReceive(t, v, b, "alice", m2) // repeated key exchange, same base key
			r := b.send(t, "alice", "hi")
			if r.kex {
				t.Fatal("responder sent a key exchange")
			}
			mustReceive(t, v, a, "bob", r)
			if m := a.send(t, "bob", "confirmed"); m.kex {
				t.Fatal("answered session still sends key exchanges")
			} else {
				mustReceive(t, v, b, "alice", m)
			}
			// Ping-pong with ratchet steps, and bursts.
			for i := 0; i < 20; i++ {
				for j := 0; j <= i%3; j++ {
					mustReceive(t, v, b, "alice", a.send(t, "bob", fmt.Sprintf("a%d.%d", i, j)))
				}
				mustReceive(t, v, a, "bob", b.send(t, "alice", fmt.Sprintf("b%d", i)))
			}
		})
	}
}

func TestOutOfOrderAndDuplicates(t *testing.T) {
	for _, v := range versions {
		t.Run(v.String(), func(t *testing.T) {
			a, b := newParty(v, "alice"), newParty(v, "bob")
			a.initiate(t, v, "bob", b)
			mustReceive(t, v, b, "alice", a.send(t, "bob", "first"))
			mustReceive(t, v, a, "bob", b.send(t, "alice", "ack"))
			var batch []sent
			for i := 0; i < 10; i++ {
				batch = append(batch, a.send(t, "bob", fmt.Sprint("m", i)))
			}
			// A new chain overtakes the rest of the old one.
			mustReceive(t, v, a, "bob", b.send(t, "alice", "interleaved"))
			late := a.send(t, "bob", "new chain")
			mustReceive(t, v, b, "alice", late)
			for _, i := range []int{9, 0, 5, 1, 8, 2, 7, 3, 6, 4} {
				mustReceive(t, v, b, "alice", batch[i])
			}
			if n := b.rec["alice"].SkippedKeys(); n != 0 {
				t.Fatalf("%d skipped keys left after every message arrived", n)
			}
			for _, m := range []sent{batch[3], late} {
				before, _ := b.rec["alice"].MarshalBinary()
				if _, err := b.receive(v, "alice", m.msg, m.kex); !errors.Is(err, ErrDuplicate) {
					t.Fatalf("duplicate: %v, want ErrDuplicate", err)
				}
				after, _ := b.rec["alice"].MarshalBinary()
				if !bytes.Equal(before, after) {
					t.Fatal("a duplicate changed the record")
				}
			}
		})
	}
}

func TestSkippedKeyBound(t *testing.T) {
	for _, v := range versions {
		t.Run(v.String(), func(t *testing.T) {
			a, b := newParty(v, "alice"), newParty(v, "bob")
			a.initiate(t, v, "bob", b)
			mustReceive(t, v, b, "alice", a.send(t, "bob", "first"))
			mustReceive(t, v, a, "bob", b.send(t, "alice", "ack"))
			var held []sent
			for i := 0; i < MaxSkip+2; i++ {
				held = append(held, a.send(t, "bob", fmt.Sprint(i)))
			}
			// One past the per-message bound fails and changes nothing.
			if _, err := b.receive(v, "alice", held[MaxSkip+1].msg, false); !errors.Is(err, ErrTooManySkipped) {
				t.Fatalf("skipping %d: %v", MaxSkip+1, err)
			}
			// Exactly the bound works and keeps MaxSkip keys.
			mustReceive(t, v, b, "alice", held[MaxSkip])
			if n := b.rec["alice"].SkippedKeys(); n != MaxSkip {
				t.Fatalf("%d skipped keys, want %d", n, MaxSkip)
			}
			mustReceive(t, v, b, "alice", held[MaxSkip+1])
			// A new chain from Alice that skips 11 more evicts the 11 oldest.
			mustReceive(t, v, a, "bob", b.send(t, "alice", "turn"))
			var next []sent
			for i := 0; i < 12; i++ {
				next = append(next, a.send(t, "bob", fmt.Sprint("n", i)))
			}
			mustReceive(t, v, b, "alice", next[11])
			if n := b.rec["alice"].SkippedKeys(); n != MaxSkippedKeys {
				t.Fatalf("%d skipped keys, want the cap %d", n, MaxSkippedKeys)
			}
			for i := 0; i < 11; i++ {
				if _, err := b.receive(v, "alice", held[i].msg, false); !errors.Is(err, ErrKeyEvicted) {
					t.Fatalf("evicted message %d: %v, want ErrKeyEvicted", i, err)
				}
			}
			mustReceive(t, v, b, "alice", held[11])
			mustReceive(t, v, b, "alice", next[0])
		})
	}
}

func TestTamperingIsRejected(t *testing.T) {
	for _, v := range versions {
		t.Run(v.String(), func(t *testing.T) {
			a, b := newParty(v, "alice"), newParty(v, "bob")
			a.initiate(t, v, "bob", b)
			mustReceive(t, v, b, "alice", a.send(t, "bob", "first"))
			m := a.send(t, "bob", "second")
			kx, err := ParseKeyExchange(v, m.msg)
			if err != nil {
				t.Fatal(err)
			}
			inner := kx.Message
			before, _ := b.rec["alice"].MarshalBinary()
			for i := range inner {
				for _, bit := range []byte{1, 0x80} {
					bad := append([]byte(nil), inner...)
					bad[i] ^= bit
					if _, err := b.rec["alice"].Decrypt(b.rnd, bad); err == nil {
						t.Fatalf("flipping bit %#x of byte %d was accepted", bit, i)
					}
				}
			}
			for n := 0; n < len(inner); n++ {
				if _, err := b.rec["alice"].Decrypt(b.rnd, inner[:n]); err == nil {
					t.Fatalf("truncation to %d bytes was accepted", n)
				}
			}
			after, _ := b.rec["alice"].MarshalBinary()
			if !bytes.Equal(before, after) {
				t.Fatal("failed decryptions changed the record")
			}
			mustReceive(t, v, b, "alice", m)
		})
	}
}

func TestBundleChecks(t *testing.T) {
	for _, v := range versions {
		b := newParty(v, "bob")
		a := newParty(v, "alice")
		good := b.bundle(v, 1)
		if err := VerifyBundle(v, good); err != nil {
			t.Fatalf("%v: good bundle: %v", v, err)
		}
		bad := *good
		bad.SignedPreKeySignature = append([]byte(nil), good.SignedPreKeySignature...)
		bad.SignedPreKeySignature[10] ^= 1
		if _, err := Initiate(v, a.id, &bad, key32(a.rnd), key32(a.rnd)); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%v: bad signature: %v", v, err)
		}
		low := *good
		low.PreKey = [32]byte{1}
		if _, err := Initiate(v, a.id, &low, key32(a.rnd), key32(a.rnd)); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("%v: low-order prekey: %v", v, err)
		}
		other := *good
		other.Identity = LocalIdentity(v, a.id)
		if err := VerifyBundle(v, &other); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%v: signature under another identity: %v", v, err)
		}
	}
}

func TestLowOrderRatchetKey(t *testing.T) {
	for _, v := range versions {
		a, b := newParty(v, "alice"), newParty(v, "bob")
		a.initiate(t, v, "bob", b)
		mustReceive(t, v, b, "alice", a.send(t, "bob", "first"))
		m := b.send(t, "alice", "reply")
		msg, err := v.parseMessage(m.msg)
		if err != nil {
			t.Fatal(err)
		}
		h := msg.header
		h.RatchetKey = [32]byte{1}
		forged := v.frameMessage(h, msg.ciphertext, &messageKeys{}, nil)
		if _, err := a.rec["bob"].Decrypt(a.rnd, forged); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("%v: low-order ratchet key: %v", v, err)
		}
	}
}

func TestSimultaneousInitiation(t *testing.T) {
	for _, v := range versions {
		t.Run(v.String(), func(t *testing.T) {
			a, b := newParty(v, "alice"), newParty(v, "bob")
			a.initiate(t, v, "bob", b)
			b.initiate(t, v, "alice", a)
			ma := a.send(t, "bob", "from alice")
			mb := b.send(t, "alice", "from bob")
			mustReceive(t, v, a, "bob", mb)
			mustReceive(t, v, b, "alice", ma)
			// Both keep their own (unanswered) session current. Each completes
			// the session it accepted with an empty message in that session,
			// which confirms the other's initiated one.
			for _, p := range []struct {
				from, to *party
				toName   string
				base     [32]byte
			}{{a, b, "alice", b.rec["alice"].Current.BaseKey}, {b, a, "bob", a.rec["bob"].Current.BaseKey}} {
				msg, kex, err := p.from.rec[map[*party]string{a: "bob", b: "alice"}[p.from]].EncryptIn(p.base, nil)
				if err != nil || kex {
					t.Fatalf("completion: %v, key exchange %v", err, kex)
				}
				mustReceive(t, v, p.to, p.toName, sent{msg, false, nil})
			}
			// The conversation then settles.
			for i := 0; i < 5; i++ {
				mustReceive(t, v, b, "alice", a.send(t, "bob", fmt.Sprint("a", i)))
				mustReceive(t, v, a, "bob", b.send(t, "alice", fmt.Sprint("b", i)))
			}
			if a.rec["bob"].Current.Pending || b.rec["alice"].Current.Pending {
				t.Fatal("sessions still unconfirmed after a conversation")
			}
		})
	}
}

func FuzzRecord(f *testing.F) {
	for _, v := range versions {
		a, b := newParty(v, "alice"), newParty(v, "bob")
		s, _ := Initiate(v, a.id, b.bundle(v, 1), key32(a.rnd), key32(a.rnd))
		r := NewRecord(s)
		m, _, _ := r.Encrypt([]byte("x"))
		enc, _ := r.MarshalBinary()
		f.Add(enc)
		kx, _ := ParseKeyExchange(v, m)
		bs, _ := Respond(v, b.id, b.spk, b.pk[1], kx)
		br := &Record{}
		br.Accept(b.rnd, bs, kx)
		enc, _ = br.MarshalBinary()
		f.Add(enc)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := UnmarshalRecord(data)
		if err != nil {
			if !errors.Is(err, ErrCorruptRecord) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		out, err := r.MarshalBinary()
		if err != nil || !bytes.Equal(out, data) {
			t.Fatalf("record does not round-trip: %v", err)
		}
	})
}

func TestLowOrderKeysInKeyExchange(t *testing.T) {
	for _, v := range versions {
		a, b := newParty(v, "alice"), newParty(v, "bob")
		a.initiate(t, v, "bob", b)
		m := a.send(t, "bob", "hi")
		kx, err := ParseKeyExchange(v, m.msg)
		if err != nil {
			t.Fatal(err)
		}
		bad := *kx
		bad.BaseKey = [32]byte{1}
		if _, err := Respond(v, b.id, b.spk, b.pk[1], &bad); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("%v: low-order base key: %v", v, err)
		}
		bad = *kx
		bad.Identity = [32]byte{1}
		if _, err := Respond(v, b.id, b.spk, b.pk[1], &bad); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("%v: low-order identity: %v", v, err)
		}
	}
}
