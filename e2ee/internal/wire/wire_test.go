package wire

import (
	"bytes"
	"errors"
	"testing"
)

func key(b byte) (k [32]byte) {
	for i := range k {
		k[i] = b + byte(i)
	}
	return k
}

func sampleSignal() []byte {
	body := MarshalSignalBody(Version3, Header{RatchetKey: key(1), N: 0, PN: 300}, bytes.Repeat([]byte{7}, 48))
	return append(body, 1, 2, 3, 4, 5, 6, 7, 8)
}

func samplePreKey(withRegID bool) []byte {
	m := &PreKeySignalMessage{Version: Version3, PreKeyID: 42, BaseKey: key(2), IdentityKey: key(3),
		Message: sampleSignal(), SignedPreKeyID: 1, RegistrationID: 12345, HasRegID: withRegID}
	return m.Marshal()
}

func sampleOMEMO() []byte {
	return (&OMEMOMessage{Header: Header{RatchetKey: key(4), N: 128, PN: 0}, Ciphertext: bytes.Repeat([]byte{9}, 64)}).Marshal()
}

func sampleAuth() []byte {
	m := &AuthenticatedMessage{Message: sampleOMEMO()}
	copy(m.MAC[:], bytes.Repeat([]byte{0xaa}, 16))
	return m.Marshal()
}

func sampleKex() []byte {
	return (&KeyExchange{PreKeyID: 7, SignedPreKeyID: 0x7fffffff, IdentityKey: key(5), EphemeralKey: key(6), Message: sampleAuth()}).Marshal()
}

func TestSignalMessageFields(t *testing.T) {
	b := sampleSignal()
	m, err := ParseSignalMessage(b)
	if err != nil {
		t.Fatal(err)
	}
	if m.Header.RatchetKey != key(1) || m.Header.N != 0 || m.Header.PN != 300 || len(m.Ciphertext) != 48 {
		t.Fatalf("decoded %+v", m.Header)
	}
	if !bytes.Equal(m.Body, b[:len(b)-8]) || !bytes.Equal(m.MAC[:], b[len(b)-8:]) {
		t.Fatal("body or MAC not split at the last 8 bytes")
	}
	// Field numbers as in libsignal's WhisperTextProtocol.proto: ratchetKey=1
	// (0x0a, length 33), counter=2 (0x10), previousCounter=3 (0x18), ciphertext=4 (0x22).
	want := []byte{0x33, 0x0a, 33, 5}
	if !bytes.HasPrefix(b, want) || !bytes.Contains(b, []byte{0x10, 0x00, 0x18, 0xac, 0x02, 0x22, 48}) {
		t.Fatalf("unexpected encoding % x", b[:48])
	}
}

func TestRoundTrips(t *testing.T) {
	for name, b := range map[string][]byte{
		"signal": sampleSignal(), "prekey": samplePreKey(false), "prekey+regid": samplePreKey(true),
		"omemo": sampleOMEMO(), "auth": sampleAuth(), "kex": sampleKex(),
	} {
		out, err := reencode(name, b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("%s: round trip changed the bytes", name)
		}
	}
}

func reencode(kind string, b []byte) ([]byte, error) {
	switch kind {
	case "signal":
		m, err := ParseSignalMessage(b)
		if err != nil {
			return nil, err
		}
		return m.Marshal(), nil
	case "prekey", "prekey+regid":
		m, err := ParsePreKeySignalMessage(b)
		if err != nil {
			return nil, err
		}
		return m.Marshal(), nil
	case "omemo":
		m, err := ParseOMEMOMessage(b)
		if err != nil {
			return nil, err
		}
		return m.Marshal(), nil
	case "auth":
		m, err := ParseAuthenticatedMessage(b)
		if err != nil {
			return nil, err
		}
		return m.Marshal(), nil
	case "kex":
		m, err := ParseKeyExchange(b)
		if err != nil {
			return nil, err
		}
		return m.Marshal(), nil
	}
	panic(kind)
}

func TestRejects(t *testing.T) {
	sig := sampleSignal()
	cases := []struct {
		kind string
		in   []byte
	}{
		{"signal", nil},
		{"signal", sig[:8]},
		{"signal", append([]byte{0x23}, sig[1:]...)},                                                // version 2
		{"signal", append([]byte{0x43}, sig[1:]...)},                                                // version 4
		{"signal", sig[:len(sig)-9]},                                                                // ciphertext truncated
		{"signal", append(append([]byte{0x33, 0x0a, 32}, make([]byte, 32)...), make([]byte, 8)...)}, // key without 0x05
		{"signal", append(MarshalSignalBody(0x33, Header{}, nil)[:38], make([]byte, 8)...)},         // counters missing
		{"prekey", nil},
		{"prekey", []byte{0x33}},
		{"prekey", (&PreKeySignalMessage{Version: 0x33, BaseKey: key(1), IdentityKey: key(2), Message: sig}).Marshal()[3:]},
		{"omemo", []byte{0x08, 0x80, 0x00}},                              // overlong varint
		{"omemo", []byte{0x10, 0x01, 0x08, 0x01}},                        // out of order
		{"omemo", []byte{0x08, 0x01, 0x08, 0x01}},                        // repeated
		{"omemo", []byte{0x08, 0x80, 0x80, 0x80, 0x80, 0x10}},            // over 32 bits
		{"omemo", []byte{0x08, 0x01, 0x10, 0x01, 0x1a, 0x01, 0}},         // 1-byte key
		{"omemo", []byte{0x28, 0x01}},                                    // unknown field 5
		{"omemo", []byte{0x0a, 0x00}},                                    // n as bytes
		{"auth", []byte{0x0a, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x12, 0x00}}, // 8-byte MAC
		{"auth", []byte{0x12, 0x00}},                                     // no MAC
		{"kex", sampleKex()[:len(sampleKex())-1]},
		{"kex", bytes.Repeat([]byte{0x08, 0x01}, MaxSize)},
	}
	for i, c := range cases {
		_, err := reencode(c.kind, c.in)
		if err == nil {
			t.Errorf("case %d (%s): accepted % x", i, c.kind, c.in)
			continue
		}
		var we *Error
		if !errors.As(err, &we) || !errors.Is(err, ErrMalformed) {
			t.Errorf("case %d: error %v is not a *wire.Error", i, err)
		}
	}
}

func TestMissingPreKeyIDIsRejected(t *testing.T) {
	b := samplePreKey(false)
	// Drop field 1 (preKeyId = 42: bytes 0x08 0x2a after the version byte).
	if b[1] != 0x08 || b[2] != 42 {
		t.Fatalf("unexpected prefix % x", b[:3])
	}
	_, err := ParsePreKeySignalMessage(append([]byte{b[0]}, b[3:]...))
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("preKeyId is missing")) {
		t.Fatalf("err = %v", err)
	}
}

// Fuzz targets: whatever decodes must encode back to the same bytes, and no
// input may panic.

func fuzzRoundTrip(f *testing.F, kind string, seeds ...[]byte) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := reencode(kind, b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("decoded % x but re-encoded % x", b, out)
		}
	})
}

func FuzzSignalMessage(f *testing.F) { fuzzRoundTrip(f, "signal", sampleSignal(), []byte{0x33}) }
func FuzzPreKeySignalMessage(f *testing.F) {
	fuzzRoundTrip(f, "prekey", samplePreKey(false), samplePreKey(true))
}
func FuzzOMEMOMessage(f *testing.F)         { fuzzRoundTrip(f, "omemo", sampleOMEMO(), []byte{8, 1}) }
func FuzzAuthenticatedMessage(f *testing.F) { fuzzRoundTrip(f, "auth", sampleAuth()) }
func FuzzKeyExchange(f *testing.F)          { fuzzRoundTrip(f, "kex", sampleKex()) }
