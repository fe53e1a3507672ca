package e2ee_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/e2ee"
	"github.com/candor-xmpp/candor/e2ee/internal/ratchet"
	"github.com/candor-xmpp/candor/e2ee/internal/testrand"
	"github.com/candor-xmpp/candor/internal/pyomemo"
)

// Test vectors made by python-omemo with seeded randomness
// (testdata/gen_vectors.py). Each file has header lines, a blank line and
// JSON lines; "expect:" names the outcome.

type vectorFile struct {
	name   string
	header map[string]string
	lines  []json.RawMessage
}

func readVectors(t *testing.T, pattern string) []vectorFile {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "vectors", pattern))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no vectors %s: %v", pattern, err)
	}
	var out []vectorFile
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		v := vectorFile{name: filepath.Base(p), header: map[string]string{}}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		inHeader := true
		for sc.Scan() {
			line := sc.Text()
			switch {
			case inHeader && line == "":
				inHeader = false
			case inHeader:
				k, val, ok := strings.Cut(line, ": ")
				if !ok {
					t.Fatalf("%s: bad header line %q", p, line)
				}
				v.header[k] = val
			default:
				v.lines = append(v.lines, json.RawMessage(line))
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
		if v.header["expect"] == "" {
			t.Fatalf("%s: no expect header", p)
		}
		out = append(out, v)
	}
	return out
}

func (v vectorFile) version(t *testing.T) e2ee.Version {
	switch v.header["version"] {
	case "legacy":
		return e2ee.Legacy
	case "omemo2":
		return e2ee.OMEMO2
	}
	t.Fatalf("%s: version %q", v.name, v.header["version"])
	return 0
}

var expectErrors = map[string]error{
	"authentication failure": e2ee.ErrAuthentication,
	"malformed":              e2ee.ErrMalformed,
	"unknown prekey":         e2ee.ErrUnknownPreKey,
	"no session":             e2ee.ErrNoSession,
	"bad signature":          e2ee.ErrBadSignature,
	"invalid key":            e2ee.ErrInvalidKey,
	"bad bundle":             e2ee.ErrBadBundle,
}

func checkExpect(t *testing.T, what, expect string, err error) {
	t.Helper()
	if expect == "success" {
		if err != nil {
			t.Fatalf("%s: %v, want success", what, err)
		}
		return
	}
	want, ok := expectErrors[expect]
	if !ok {
		t.Fatalf("%s: unknown expectation %q", what, expect)
	}
	if !errors.Is(err, want) {
		t.Fatalf("%s: %v, want %v", what, err, want)
	}
}

// vectorParty is a python-omemo account's keys as the vectors record them.
type vectorParty struct {
	JID          string `json:"jid"`
	DeviceID     uint32 `json:"device_id"`
	IdentitySeed string `json:"identity_seed"`
	Ed25519      string `json:"ed25519"`
	SPKID        uint32 `json:"spk_id"`
	SPKPriv      string `json:"spk_priv"`
	PreKeys      []struct {
		ID   uint32 `json:"id"`
		Priv string `json:"priv"`
	} `json:"prekeys"`
	Bundle *pyomemo.Bundle `json:"bundle"`
}

// switchRand serves whatever reader the test sets for the next step.
type switchRand struct{ r io.Reader }

func (s *switchRand) Read(p []byte) (int, error) { return s.r.Read(p) }

func hex32(t *testing.T, s string) (k [32]byte) {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		t.Fatalf("bad key %q", s)
	}
	copy(k[:], b)
	return k
}

var vectorTime = time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC) // the generator's pinned clock

// openParty opens a Candor Manager holding a python account's keys for v.
func openParty(t *testing.T, v e2ee.Version, p *vectorParty, rnd io.Reader) *e2ee.Manager {
	t.Helper()
	store := e2ee.NewMemoryStore()
	err := store.Update(context.Background(), func(tx e2ee.Tx) error {
		acct := &e2ee.AccountRecord{IdentitySeed: hex32(t, p.IdentitySeed), DeviceID: p.DeviceID,
			LastPreKeyID: 1 << 20, LastSignedPreKeyID: 1 << 20, Created: vectorTime}
		if err := tx.PutAccount(acct); err != nil {
			return err
		}
		if p.SPKPriv == "" {
			return nil
		}
		if err := tx.PutSignedPreKey(v, e2ee.SignedPreKeyRecord{ID: p.SPKID, Private: hex32(t, p.SPKPriv), Created: vectorTime}); err != nil {
			return err
		}
		for _, k := range p.PreKeys {
			if err := tx.PutPreKey(v, e2ee.PreKeyRecord{ID: k.ID, Private: hex32(t, k.Priv)}); err != nil {
				return err
			}
		}
		// One spare prekey, so that using the recorded one does not refill.
		return tx.PutPreKey(v, e2ee.PreKeyRecord{ID: 1<<20 - 1, Private: hex32(t, strings.Repeat("77", 32))})
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := e2ee.Open(context.Background(), e2ee.Config{Store: store, OwnJID: p.JID, Rand: rnd,
		Now: func() time.Time { return vectorTime }, PreKeys: len(p.PreKeys) + 1, RefillBelow: 1})
	if err != nil {
		t.Fatal(err)
	}
	if m.DeviceID() != p.DeviceID {
		t.Fatal("device id not kept")
	}
	if p.Ed25519 != "" {
		ed := hex32(t, p.Ed25519)
		b, err := m.Bundle(context.Background(), e2ee.OMEMO2)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.IdentityKey, ed[:]) {
			t.Fatalf("identity seed gives Ed25519 key %x, python's is %x", b.IdentityKey, ed)
		}
	}
	return m
}

type draw struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

func drawBytes(t *testing.T, d draw) []byte {
	b, err := hex.DecodeString(d.Value)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// exhausted checks that a step used exactly the randomness python used.
func exhausted(t *testing.T, what string, r io.Reader) {
	t.Helper()
	if n, _ := r.Read(make([]byte, 1)); n != 0 {
		t.Fatalf("%s drew less randomness than python-omemo did", what)
	}
}

func sameMessage(t *testing.T, what string, got *e2ee.Message, want *pyomemo.Message, to uint32) {
	t.Helper()
	if len(got.Keys) != 1 || len(want.Keys) != 1 {
		t.Fatalf("%s: %d keys, python %d", what, len(got.Keys), len(want.Keys))
	}
	g, w := got.Keys[0], want.Keys[0]
	if g.Device != to || w.RID != to || g.KeyExchange != w.KEX || b64(g.Data) != w.Data {
		t.Fatalf("%s: key element differs from python-omemo's\n got %s (kex %v)\nwant %s (kex %v)", what, b64(g.Data), g.KeyExchange, w.Data, w.KEX)
	}
	if (want.IV == nil) != (got.IV == nil) || (want.IV != nil && *want.IV != b64(got.IV)) {
		t.Fatalf("%s: IV differs", what)
	}
	if (want.Payload == nil) != (got.Payload == nil) || (want.Payload != nil && *want.Payload != b64(got.Payload)) {
		t.Fatalf("%s: payload differs", what)
	}
}

// TestVectorConversations replays both parties of python-omemo
// conversations: with python's random draws, Candor must produce exactly
// python's messages, and decrypt python's.
func TestVectorConversations(t *testing.T) {
	for _, vf := range readVectors(t, "*-conversation.txt") {
		t.Run(vf.name, func(t *testing.T) {
			v := vf.version(t)
			var parties struct{ Alice, Bob vectorParty }
			if err := json.Unmarshal(vf.lines[0], &parties); err != nil {
				t.Fatal(err)
			}
			rnd := map[string]*switchRand{"alice": {testrand.New("open")}, "bob": {testrand.New("open")}}
			ms := map[string]*e2ee.Manager{
				"alice": openParty(t, v, &parties.Alice, rnd["alice"]),
				"bob":   openParty(t, v, &parties.Bob, rnd["bob"]),
			}
			ctx := context.Background()
			for name, peer := range map[string]*vectorParty{"alice": &parties.Bob, "bob": &parties.Alice} {
				if _, err := ms[name].UpdateDeviceList(ctx, v, peer.JID, []uint32{peer.DeviceID}); err != nil {
					t.Fatal(err)
				}
			}
			other := map[string]string{"alice": "bob", "bob": "alice"}
			party := map[string]*vectorParty{"alice": &parties.Alice, "bob": &parties.Bob}
			var messages []*pyomemo.Message
			for i, line := range vf.lines[1:] {
				var st struct {
					Step       string           `json:"step"`
					From       string           `json:"from"`
					By         string           `json:"by"`
					Text       *string          `json:"text"`
					Index      int              `json:"index"`
					ReplyIndex *int             `json:"reply_index"`
					Message    *pyomemo.Message `json:"message"`
					Reply      *pyomemo.Message `json:"reply"`
					Draws      []draw           `json:"draws"`
				}
				if err := json.Unmarshal(line, &st); err != nil {
					t.Fatal(err)
				}
				what := fmt.Sprintf("step %d (%s)", i+1, st.Step)
				switch st.Step {
				case "send":
					me := st.From
					to := party[other[me]]
					if st.Index == 0 {
						// Session setup: python chose a prekey (a draw Candor does not
						// make; the bundle is narrowed to it), then the X3DH ephemeral
						// key and the first ratchet key.
						kx, err := ratchet.ParseKeyExchange(ratchet.Version(v), unb64(t, st.Message.Keys[0].Data))
						if err != nil {
							t.Fatal(err)
						}
						b := fromPyBundle(t, to.Bundle)
						if len(b.PreKeys) != 1 || b.PreKeys[0].ID != kx.PreKeyID {
							t.Fatalf("vector bundle lacks prekey %d", kx.PreKeyID)
						}
						var ek, rk []byte
						for _, d := range st.Draws {
							switch b := drawBytes(t, d); {
							case d.Label == "get_shared_secret_active" && len(b) == 32:
								ek = b
							case d.Label == "ratchet_priv":
								rk = b
							}
						}
						r := testrand.Fixed(ek, rk)
						rnd[me].r = r
						if err := ms[me].ProcessBundle(ctx, v, e2ee.Address{JID: to.JID, Device: to.DeviceID}, b); err != nil {
							t.Fatal(err)
						}
						exhausted(t, what+" session setup", r)
					}
					var payloadDraws [][]byte
					for _, d := range st.Draws {
						if d.Label == "encrypt_plaintext" {
							payloadDraws = append(payloadDraws, drawBytes(t, d))
						}
					}
					r := testrand.Fixed(payloadDraws...)
					rnd[me].r = r
					res, err := ms[me].Encrypt(ctx, v, []string{to.JID}, []byte(*st.Text))
					if err != nil {
						t.Fatalf("%s: %v", what, err)
					}
					exhausted(t, what, r)
					sameMessage(t, what, res.Message, st.Message, to.DeviceID)
					messages = append(messages, st.Message)
				case "receive":
					me := st.By
					if len(messages) <= st.Index {
						t.Fatalf("%s: message %d not sent yet", what, st.Index)
					}
					var chunks [][]byte
					var key16, iv12 []byte
					for _, d := range st.Draws {
						b := drawBytes(t, d)
						switch {
						case d.Label == "ratchet_priv":
							chunks = append(chunks, b)
						case d.Label == "make_empty" && len(b) == 16:
							key16 = b
						case d.Label == "make_empty" && len(b) == 12:
							iv12 = b
						}
					}
					if st.ReplyIndex != nil && v == e2ee.Legacy {
						chunks = append(chunks, key16, iv12) // Candor draws key, then IV
					}
					r := testrand.Fixed(chunks...)
					rnd[me].r = r
					in := fromPyMessage(t, v, messages[st.Index], ms[me].Address())
					out, err := ms[me].Decrypt(ctx, in)
					if err != nil {
						t.Fatalf("%s: %v", what, err)
					}
					if st.Text == nil {
						if out.Plaintext != nil {
							t.Fatalf("%s: empty message decrypted to %q", what, out.Plaintext)
						}
					} else if string(out.Plaintext) != *st.Text {
						t.Fatalf("%s: decrypted %q, want %q", what, out.Plaintext, *st.Text)
					}
					exhausted(t, what, r)
					if st.Reply == nil {
						if out.Reply != nil {
							t.Fatalf("%s: Candor replied where python-omemo did not", what)
						}
						continue
					}
					if out.Reply == nil || *st.ReplyIndex != len(messages) {
						t.Fatalf("%s: no reply where python-omemo sent one", what)
					}
					sameMessage(t, what+" reply", out.Reply, st.Reply, party[other[me]].DeviceID)
					messages = append(messages, st.Reply)
				default:
					t.Fatalf("%s: unknown step", what)
				}
			}
		})
	}
}

// TestVectorMessages decrypts python-omemo first messages, genuine and
// tampered, as the recipient.
func TestVectorMessages(t *testing.T) {
	for _, vf := range readVectors(t, "*-message-*.txt") {
		t.Run(vf.name, func(t *testing.T) {
			v := vf.version(t)
			var parties struct{ Alice, Bob vectorParty }
			if err := json.Unmarshal(vf.lines[0], &parties); err != nil {
				t.Fatal(err)
			}
			var body struct {
				Message *pyomemo.Message `json:"message"`
				Text    string           `json:"text"`
			}
			if err := json.Unmarshal(vf.lines[1], &body); err != nil {
				t.Fatal(err)
			}
			bob := openParty(t, v, &parties.Bob, testrand.New(vf.name))
			out, err := bob.Decrypt(context.Background(), fromPyMessage(t, v, body.Message, bob.Address()))
			checkExpect(t, vf.name, vf.header["expect"], err)
			if err == nil && string(out.Plaintext) != body.Text {
				t.Fatalf("decrypted %q, want %q", out.Plaintext, body.Text)
			}
			if err != nil {
				var de *e2ee.DecryptError
				if !errors.As(err, &de) || de.Sender.Device != parties.Alice.DeviceID {
					t.Fatalf("error %v does not name the sender", err)
				}
			}
		})
	}
}

// TestVectorBundles processes python-omemo bundles, genuine (legacy ones
// with both values of the sign bit python-omemo stores in the signature)
// and broken.
func TestVectorBundles(t *testing.T) {
	for _, vf := range readVectors(t, "*-bundles.txt") {
		t.Run(vf.name, func(t *testing.T) {
			v := vf.version(t)
			w := newWorld(t)
			me := w.add("vectors", "me@example.org")
			for i, line := range vf.lines {
				var l struct {
					Expect  string          `json:"expect"`
					Why     string          `json:"why"`
					Bundle  *pyomemo.Bundle `json:"bundle"`
					Ed25519 string          `json:"ed25519"`
				}
				if err := json.Unmarshal(line, &l); err != nil {
					t.Fatal(err)
				}
				addr := e2ee.Address{JID: l.Bundle.JID, Device: l.Bundle.DeviceID + uint32(i)}
				err := me.m.ProcessBundle(context.Background(), v, addr, fromPyBundle(t, l.Bundle))
				checkExpect(t, fmt.Sprintf("line %d (%s)", i+1, l.Why), l.Expect, err)
				if err == nil {
					devs, _ := me.m.Devices(context.Background(), addr.JID)
					ed := hex32(t, l.Ed25519)
					fp := fingerprintFromEd25519(t, ed)
					if len(devs) != 1 || devs[0].Fingerprint != fp {
						t.Fatalf("line %d: fingerprint %v, want %v", i+1, devs[0].Fingerprint, fp)
					}
				}
			}
		})
	}
}

// fingerprintFromEd25519 opens a throwaway OMEMO 2 bundle check: the
// fingerprint of an Ed25519 identity is its Montgomery form, the same the
// legacy bundle carries.
func fingerprintFromEd25519(t *testing.T, ed [32]byte) e2ee.Fingerprint {
	t.Helper()
	u, err := e2ee.CurveFromEd(ed)
	if err != nil {
		t.Fatal(err)
	}
	return e2ee.Fingerprint(u)
}

// TestVectorsAreCurrent runs the generator again and compares: the vectors
// are what python-omemo, as installed, makes.
func TestVectorsAreCurrent(t *testing.T) {
	t.Parallel()
	python := pyomemo.Python(t)
	dir := t.TempDir()
	cmd := exec.Command(python, filepath.Join("testdata", "gen_vectors.py"), dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generator: %v\n%s", err, out)
	}
	want, _ := filepath.Glob(filepath.Join("testdata", "vectors", "*"))
	got, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(got) != len(want) {
		t.Fatalf("generator made %d files, testdata has %d", len(got), len(want))
	}
	for _, w := range want {
		a, _ := os.ReadFile(w)
		b, err := os.ReadFile(filepath.Join(dir, filepath.Base(w)))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs from what the generator makes now (%v)", filepath.Base(w), err)
		}
	}
}
