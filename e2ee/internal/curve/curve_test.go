package curve

import (
	"bytes"
	"crypto/ecdh"
	"crypto/sha256"
	"errors"
	"testing"
)

func seed(i byte) []byte {
	s := sha256.Sum256([]byte{'s', i})
	return s[:]
}

func TestIdentityFormsAgree(t *testing.T) {
	for i := byte(0); i < 32; i++ {
		id, err := NewIdentity(seed(i))
		if err != nil {
			t.Fatal(err)
		}
		ed := id.Ed25519Public()
		u, err := Ed25519ToCurve(ed[:])
		if err != nil {
			t.Fatal(err)
		}
		if c := id.Curve25519Public(); u != c {
			t.Fatalf("seed %d: Montgomery(Ed25519 public) = %x, X25519 public = %x", i, u, c)
		}
		back, err := CurveToEd25519(u[:], ed[31]>>7)
		if err != nil {
			t.Fatal(err)
		}
		if back != ed {
			t.Fatalf("seed %d: Ed25519 form not recovered: %x != %x", i, back, ed)
		}
	}
}

func TestLegacySignatureCarriesSignBit(t *testing.T) {
	sawSign := [2]bool{}
	for i := byte(0); i < 32; i++ {
		id, _ := NewIdentity(seed(i))
		msg := append([]byte{5}, seed(i+100)...)
		sig := id.SignLegacy(msg)
		pub := id.Curve25519Public()
		ed := id.Ed25519Public()
		sawSign[ed[31]>>7] = true
		if sig[63]>>7 != ed[31]>>7 {
			t.Fatalf("sig[63] sign bit %d, key sign %d", sig[63]>>7, ed[31]>>7)
		}
		orig := append([]byte(nil), sig...)
		if !VerifyLegacy(pub[:], msg, sig) {
			t.Fatalf("seed %d: own legacy signature does not verify", i)
		}
		if !bytes.Equal(sig, orig) {
			t.Fatal("VerifyLegacy modified the signature")
		}
		// The wrong sign bit gives the wrong Edwards key.
		sig[63] ^= 0x80
		if VerifyLegacy(pub[:], msg, sig) {
			t.Fatal("signature with a flipped sign bit verified")
		}
		sig[63] ^= 0x80
		msg[1] ^= 1
		if VerifyLegacy(pub[:], msg, sig) {
			t.Fatal("signature over a changed message verified")
		}
		msg[1] ^= 1
		if !Verify(ed[:], msg, id.Sign(msg)) {
			t.Fatal("Ed25519 signature does not verify")
		}
	}
	if !sawSign[0] || !sawSign[1] {
		t.Fatalf("test seeds did not cover both sign bits: %v", sawSign)
	}
}

func TestLowOrderPointsAreRejected(t *testing.T) {
	priv, _ := ecdh.X25519().NewPrivateKey(seed(1))
	for i, u := range lowOrder {
		// Each listed point really is low order: X25519 of it is zero.
		pub, err := ecdh.X25519().NewPublicKey(u[:])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := priv.ECDH(pub); err == nil {
			t.Errorf("entry %d (%x) gives a non-zero X25519 output", i, u)
		}
		if err := CheckX25519Public(u[:]); !errors.Is(err, ErrLowOrder) {
			t.Errorf("entry %d: CheckX25519Public = %v", i, err)
		}
		hi := u
		hi[31] |= 0x80
		if _, err := DH(priv, hi[:]); !errors.Is(err, ErrLowOrder) {
			t.Errorf("entry %d with top bit: DH = %v", i, err)
		}
		if _, err := CurveToEd25519(u[:], 0); err == nil {
			t.Errorf("entry %d mapped to an Edwards key", i)
		}
	}
	// Ed25519 encodings of small-order points (the identity, order 2 and 4).
	for _, enc := range [][32]byte{
		{1},
		{0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
		{},
	} {
		if _, err := Ed25519ToCurve(enc[:]); !errors.Is(err, ErrLowOrder) {
			t.Errorf("Ed25519 key %x: %v, want ErrLowOrder", enc, err)
		}
	}
	if _, err := Ed25519ToCurve(make([]byte, 31)); !errors.Is(err, ErrKeySize) {
		t.Errorf("short key: %v", err)
	}
	if VerifyLegacy(make([]byte, 32), []byte("m"), make([]byte, 64)) {
		t.Error("zero key verified")
	}
}

func TestDHAgrees(t *testing.T) {
	a, _ := NewIdentity(seed(1))
	b, _ := NewX25519(seed(2))
	ab, err := a.DH(b.PublicKey().Bytes())
	if err != nil {
		t.Fatal(err)
	}
	ca := a.Curve25519Public()
	ba, err := DH(b, ca[:])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ab, ba) {
		t.Fatal("DH outputs differ")
	}
}
