package session

import (
	"context"
	"time"
)

// EndToEnd is the part of Backend about OMEMO end-to-end encryption: what
// protects a chat, the devices and their trust, our own fingerprint, and
// what the server sees of a message. JIDs are bare; fingerprints are 64 hex
// digits (spaces and colons ignored on input).
type EndToEnd interface {
	// ChatSecurity says how messages to peer are protected: the chat's
	// setting, the OMEMO version the next message will use, and the devices
	// it will reach. Online it refreshes peer's device lists first.
	ChatSecurity(ctx context.Context, peer string) (ChatSecurity, error)
	// SetChatEncryption turns OMEMO on (the default) or off for the chat
	// with peer. Off, messages go unencrypted without asking.
	SetChatEncryption(ctx context.Context, peer string, on bool) error
	// RetryUnencrypted sends a message that was not sent because its
	// recipient has no OMEMO device, this time unencrypted: the user's
	// explicit confirmation.
	RetryUnencrypted(ctx context.Context, id int64) error

	// OwnDevice describes this device: its id and fingerprint.
	OwnDevice(ctx context.Context) (DeviceInfo, error)
	// Devices lists the known OMEMO devices of jid (our own account: our
	// other devices), refreshed from the server when online.
	Devices(ctx context.Context, jid string) ([]DeviceInfo, error)
	// SetTrust records the user's decision about jid's device whose
	// fingerprint is fingerprint: Verified after comparing it, Untrusted to
	// reject it, Undecided to take a decision back.
	SetTrust(ctx context.Context, jid, fingerprint string, trust Trust) error
	// ForgetDevice drops what this device knows of jid's device id: its
	// identity key, trust and sessions. It is how the user accepts a device
	// whose identity key changed (a reinstall that kept its id), after
	// comparing the new fingerprint: the device's next bundle is taken as
	// a new device's, trusted as the policy trusts new devices.
	ForgetDevice(ctx context.Context, jid string, id uint32) error
	// VerificationURI is our xmpp: URI with this device's fingerprint (and
	// those of our own devices we verified), in the form Conversations,
	// Dino and Gajim scan from a QR code:
	// xmpp:user@host?omemo-sid-ID=HEX;omemo-sid-ID2=HEX2
	VerificationURI(ctx context.Context) (string, error)

	// Inspect shows what the server sees of the message with local id: the
	// stanza as it crossed the wire, its OMEMO header and the devices it was
	// (or, while queued, will be) encrypted for.
	Inspect(ctx context.Context, id int64) (Inspection, error)
}

// Trust is the user's decision about a device's identity key.
type Trust string

const (
	TrustUndecided Trust = "undecided" // nobody decided: messages are not encrypted to it
	TrustBlind     Trust = "blind"     // trusted without verification (BTBV)
	TrustVerified  Trust = "verified"  // the user compared the fingerprint
	TrustRejected  Trust = "untrusted" // the user rejected it: nothing to or from it
)

// Encrypts reports whether messages are encrypted to a device with trust t.
func (t Trust) Encrypts() bool { return t == TrustBlind || t == TrustVerified }

// OMEMOPending is the scheme of a queued message that will be encrypted
// with OMEMO; the version is chosen when it is sent.
const OMEMOPending Scheme = "omemo"

// DeviceInfo is one OMEMO device.
type DeviceInfo struct {
	JID string
	ID  uint32
	// Fingerprint is 8 groups of 8 hex digits; "" until a bundle or message
	// showed the device's identity key.
	Fingerprint string
	Trust       Trust
	// Versions lists the OMEMO versions whose device list has the device
	// (empty: it left its lists; it gets no new messages).
	Versions []Scheme
	// Session: we have a session with it (in some version).
	Session   bool
	FirstSeen time.Time
	LastSeen  time.Time
	// This is this very device.
	This bool
}

// Active reports whether the device is in one of its account's device
// lists.
func (d DeviceInfo) Active() bool { return len(d.Versions) > 0 }

// ChatSecurity is how messages with a peer are protected.
type ChatSecurity struct {
	Peer string
	// Enabled is the chat's setting: OMEMO on (the default) or off.
	Enabled bool
	// Version is what the next message will use: OMEMO03 or OMEMO2, or
	// Plaintext when the peer has no OMEMO device (sending then needs the
	// user's confirmation) or encryption is off.
	Version Scheme
	// Devices are the peer's devices, Own our other devices.
	Devices []DeviceInfo
	Own     []DeviceInfo
	// Fresh: the device lists were fetched from the server just now (false
	// offline, when they come from what was last seen).
	Fresh bool
	// Err is a one-line reason when the device lists could not be fetched.
	Err string
}

// Reachable counts the peer's devices that the next message will be
// encrypted to (trusted and active in Version).
func (c ChatSecurity) Reachable() int {
	n := 0
	for _, d := range c.Devices {
		if d.Trust.Encrypts() && hasScheme(d.Versions, c.Version) {
			n++
		}
	}
	return n
}

// Undecided counts the peer's active devices awaiting the user's trust
// decision: they get no messages until then.
func (c ChatSecurity) Undecided() int {
	n := 0
	for _, d := range c.Devices {
		if d.Trust == TrustUndecided && d.Active() {
			n++
		}
	}
	return n
}

func hasScheme(list []Scheme, s Scheme) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Inspection is what the server sees of one message, beside what the user
// sees (Message.Body).
type Inspection struct {
	Message Message
	// Stanza is the stanza as it crossed the wire (outgoing: as sent;
	// incoming: as received, wrapper included for carbons and archive
	// copies); "" when it was not recorded.
	Stanza string
	// From and To are the stanza's addresses as the server routes them.
	From, To string
	// Size is the stanza's length in bytes.
	Size int
	// Version is the OMEMO version; Plaintext when the body travelled in
	// the clear.
	Version Scheme
	// SenderDevice is the <header sid>.
	SenderDevice uint32
	// Keys are the header's per-device keys: who can decrypt.
	Keys []InspectedKey
	// PayloadSize is the ciphertext's length in bytes; IVSize the legacy IV's.
	PayloadSize, IVSize int
	// Fallback is the body clients without OMEMO (and the server) see.
	Fallback string
	// Planned: the message is still queued; Keys are the devices it will
	// be encrypted for when sent.
	Planned bool
	// Trust is the sending device's trust when the message arrived.
	Trust Trust
	// Note says why an incoming message could not be decrypted.
	Note string
}

// InspectedKey is one recipient device in an OMEMO header.
type InspectedKey struct {
	JID         string // "" in legacy headers, which name devices only
	Device      uint32
	KeyExchange bool // prekey/kex: the message starts a session
	Size        int  // bytes of the encrypted key
	// Mine: the key for this device.
	Mine bool
}
