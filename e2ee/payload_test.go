package e2ee

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"testing"

	"github.com/candor-xmpp/candor/e2ee/internal/testrand"
)

func TestPayloadRoundTrip(t *testing.T) {
	for _, v := range Versions {
		rnd := testrand.New("payload")
		material, payload, iv, err := sealPayload(v, rnd, []byte("body"))
		if err != nil {
			t.Fatal(err)
		}
		wantMaterial, wantIV := 48, 0
		if v == Legacy {
			wantMaterial, wantIV = 32, 12
		}
		if len(material) != wantMaterial || len(iv) != wantIV {
			t.Fatalf("%v: material %d bytes, IV %d", v, len(material), len(iv))
		}
		pt, err := openPayload(v, material, payload, iv)
		if err != nil || string(pt) != "body" {
			t.Fatalf("%v: %q %v", v, pt, err)
		}
		bad := append([]byte(nil), material...)
		bad[len(bad)-1] ^= 1 // the tag
		if _, err := openPayload(v, bad, payload, iv); !errors.Is(err, ErrAuthentication) {
			t.Fatalf("%v: wrong tag: %v", v, err)
		}
		if _, err := openPayload(v, material[:len(material)-1], payload, iv); !errors.Is(err, ErrBadPayload) {
			t.Fatalf("%v: short key material: %v", v, err)
		}
		empty, eiv, err := emptyMaterial(v, rnd)
		if err != nil {
			t.Fatal(err)
		}
		if pt, err := openPayload(v, empty, nil, eiv); err != nil || pt != nil {
			t.Fatalf("%v: empty message: %q %v", v, pt, err)
		}
	}
}

// Legacy receivers must accept the 16-byte IVs older senders used.
func TestLegacyPayloadWith16ByteIV(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 16)
	iv := bytes.Repeat([]byte{9}, 16)
	block, _ := aes.NewCipher(key)
	gcm, _ := cipher.NewGCMWithNonceSize(block, 16)
	sealed := gcm.Seal(nil, iv, []byte("old client"), nil)
	ct, tag := sealed[:10], sealed[10:]
	pt, err := openPayload(Legacy, append(key, tag...), ct, iv)
	if err != nil || string(pt) != "old client" {
		t.Fatalf("%q %v", pt, err)
	}
	for _, n := range []int{0, 8, 15, 17, 32} {
		if _, err := openPayload(Legacy, append(key, tag...), ct, make([]byte, n)); !errors.Is(err, ErrBadPayload) {
			t.Errorf("IV of %d bytes: %v", n, err)
		}
	}
}

func FuzzParseFingerprint(f *testing.F) {
	f.Add("05d3a1c8 9f2e7b46 0c1d2e3f 40516273 8495a6b7 c8d9eaf1 02132435 46576879")
	f.Add("00")
	f.Fuzz(func(t *testing.T, s string) {
		fp, err := ParseFingerprint(s)
		if err != nil {
			return
		}
		again, err := ParseFingerprint(fp.String())
		if err != nil || again != fp {
			t.Fatalf("%q: String does not parse back", s)
		}
	})
}
