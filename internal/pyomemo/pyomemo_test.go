package pyomemo

import (
	"bytes"
	"testing"
)

// Two python-omemo accounts talk through the peer: the bridge itself works.
func TestPythonToPython(t *testing.T) {
	p := New(t)
	a, err := p.Create("a@example.org", false)
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Create("b@example.org", false)
	if err != nil {
		t.Fatal(err)
	}
	if a.DeviceID == 0 || a.DeviceID == b.DeviceID {
		t.Fatalf("device ids %d, %d", a.DeviceID, b.DeviceID)
	}
	for _, ns := range []string{Legacy, OMEMO2} {
		m, err := p.Encrypt(a.JID, ns, []string{b.JID}, []byte("hello "+ns))
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Keys) == 0 || !m.Keys[0].KEX || m.Keys[0].KexAttr == nil || *m.Keys[0].KexAttr != "true" {
			t.Fatalf("%s: first message keys %+v", ns, m.Keys)
		}
		pt, err := p.Decrypt(b.JID, m)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(pt, []byte("hello "+ns)) {
			t.Fatalf("%s: decrypted %q", ns, pt)
		}
		out, err := p.Outbox(b.JID)
		if err != nil || len(out) != 1 || out[0].Message.Payload != nil {
			t.Fatalf("%s: completion %+v %v", ns, out, err)
		}
		if _, err := p.Decrypt(b.JID, m); !IsClass(err, "DecryptionFailed") {
			t.Fatalf("%s: duplicate: %v", ns, err)
		}
	}
	bun, err := p.Bundle(b.JID, Legacy)
	if err != nil || len(bun.PreKeys) != 100 || bun.DeviceID != b.DeviceID {
		t.Fatalf("bundle %+v %v", bun, err)
	}
}
