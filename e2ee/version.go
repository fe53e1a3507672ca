package e2ee

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/candor-xmpp/candor/e2ee/internal/ratchet"
)

// Version is an OMEMO protocol version. Candor speaks both with one
// identity key, so a device's fingerprint is the same in both.
type Version uint8

const (
	// Legacy is OMEMO 0.3 (eu.siacs.conversations.axolotl), which
	// Conversations, Dino, Gajim, Profanity and Monal speak.
	Legacy Version = Version(ratchet.Legacy)
	// OMEMO2 is XEP-0384 v0.8 and later (urn:xmpp:omemo:2).
	OMEMO2 Version = Version(ratchet.OMEMO2)
)

// Versions lists both versions, legacy first.
var Versions = [...]Version{Legacy, OMEMO2}

func (v Version) String() string { return ratchet.Version(v).String() }

// Namespace is the XML namespace of v.
func (v Version) Namespace() string {
	switch v {
	case Legacy:
		return "eu.siacs.conversations.axolotl"
	case OMEMO2:
		return "urn:xmpp:omemo:2"
	}
	return ""
}

func (v Version) valid() bool { return v == Legacy || v == OMEMO2 }

func (v Version) check() error {
	if !v.valid() {
		return fmt.Errorf("e2ee: unknown OMEMO version %d", uint8(v))
	}
	return nil
}

// VersionSet is a set of versions.
type VersionSet uint8

// Has reports whether v is in s.
func (s VersionSet) Has(v Version) bool { return s&(1<<v) != 0 }

// With returns s plus v.
func (s VersionSet) With(v Version) VersionSet { return s | 1<<v }

// Without returns s minus v.
func (s VersionSet) Without(v Version) VersionSet { return s &^ (1 << v) }

// Address names one device of one account.
type Address struct {
	JID    string // bare JID
	Device uint32 // OMEMO device id
}

func (a Address) String() string { return a.JID + "/" + strconv.FormatUint(uint64(a.Device), 10) }

// MaxDeviceID is the largest device id Candor generates (XEP-0384: ids are
// 1 to 2^31-1).
const MaxDeviceID = 1<<31 - 1

// Fingerprint is a device's identity key in Curve25519 form, the same for
// both versions.
type Fingerprint [32]byte

// String shows the fingerprint as 8 groups of 8 lowercase hex digits, as
// Conversations, Dino and Profanity do.
func (f Fingerprint) String() string {
	h := hex.EncodeToString(f[:])
	groups := make([]string, 8)
	for i := range groups {
		groups[i] = h[i*8 : i*8+8]
	}
	return strings.Join(groups, " ")
}

// ParseFingerprint reads 64 hex digits, ignoring spaces, colons and case.
func ParseFingerprint(s string) (Fingerprint, error) {
	var f Fingerprint
	clean := strings.Map(func(r rune) rune {
		if r == ' ' || r == ':' || r == '\t' {
			return -1
		}
		return r
	}, s)
	b, err := hex.DecodeString(clean)
	if err != nil || len(b) != len(f) {
		return f, fmt.Errorf("e2ee: fingerprint %q is not 64 hex digits", s)
	}
	copy(f[:], b)
	return f, nil
}

// Trust is what the user (or the trust policy) decided about a device's
// identity key.
type Trust uint8

const (
	// Undecided: nobody has decided. Nothing is encrypted to the device.
	Undecided Trust = iota
	// BlindTrusted: trusted without verification, by the policy "blind
	// trust before verification". Messages are encrypted to the device.
	BlindTrusted
	// Verified: the user compared the fingerprint. Messages are encrypted
	// to the device.
	Verified
	// Untrusted: the user rejected the key. Nothing is encrypted to the
	// device and its messages are refused.
	Untrusted
)

var trustNames = [...]string{"undecided", "blind", "verified", "untrusted"}

func (t Trust) String() string {
	if int(t) < len(trustNames) {
		return trustNames[t]
	}
	return "trust(" + strconv.Itoa(int(t)) + ")"
}

// ParseTrust is the inverse of Trust.String.
func ParseTrust(s string) (Trust, error) {
	for i, n := range trustNames {
		if n == s {
			return Trust(i), nil
		}
	}
	return 0, fmt.Errorf("e2ee: unknown trust state %q", s)
}

// Encrypts reports whether messages are encrypted to a device in state t.
func (t Trust) Encrypts() bool { return t == BlindTrusted || t == Verified }

// TrustPolicy decides the trust of a device seen for the first time.
type TrustPolicy uint8

const (
	// BlindTrustBeforeVerification (BTBV, the default of Conversations and
	// Dino) trusts new devices of a contact blindly until the user has
	// verified one of that contact's devices; after that, new devices are
	// Undecided until the user decides.
	BlindTrustBeforeVerification TrustPolicy = iota
	// ManualTrust leaves every new device Undecided.
	ManualTrust
)
