package wire

// The libsignal v3 formats spoken by legacy OMEMO
// (eu.siacs.conversations.axolotl): a version byte, a protobuf, and for
// SignalMessage an 8-byte truncated HMAC.

const (
	// Version3 is libsignal's version byte: message version 3 in the high
	// nibble, current version 3 in the low one.
	Version3 = 0x33
	// DjbType prefixes every legacy Curve25519 public key.
	DjbType = 0x05
	// LegacyMACSize is the length of SignalMessage's truncated HMAC.
	LegacyMACSize = 8
)

// DjbKey is the 33-byte legacy encoding of a Curve25519 public key.
func DjbKey(k [32]byte) []byte { return append([]byte{DjbType}, k[:]...) }

// Header is the Double Ratchet header common to both versions.
type Header struct {
	RatchetKey [32]byte // the sender's current ratchet public key (raw u)
	N          uint32   // index in the sending chain
	PN         uint32   // length of the sender's previous sending chain
}

// SignalMessage is a legacy ratchet message.
type SignalMessage struct {
	Version    byte
	Header     Header
	Ciphertext []byte
	MAC        [LegacyMACSize]byte

	// Body is the version byte and protobuf exactly as received, which the
	// MAC covers. It aliases the input of ParseSignalMessage.
	Body []byte
}

var signalMessageFields = map[int]int{1: wireBytes, 2: wireVarint, 3: wireVarint, 4: wireBytes}

// ParseSignalMessage decodes version ‖ protobuf ‖ MAC(8).
func ParseSignalMessage(b []byte) (*SignalMessage, error) {
	const what = "SignalMessage"
	if len(b) < 1+LegacyMACSize {
		return nil, malformed(what, "%d bytes is too short", len(b))
	}
	if err := checkVersion(what, b[0]); err != nil {
		return nil, err
	}
	body := b[:len(b)-LegacyMACSize]
	fs, err := parseFields(what, body[1:], signalMessageFields)
	if err != nil {
		return nil, err
	}
	s := newFieldSet(what, fs)
	m := &SignalMessage{Version: b[0], Body: body}
	if m.Header.RatchetKey, err = s.djbKey(1, "ratchetKey"); err != nil {
		return nil, err
	}
	if m.Header.N, err = s.uint32(2, "counter"); err != nil {
		return nil, err
	}
	if m.Header.PN, err = s.uint32(3, "previousCounter"); err != nil {
		return nil, err
	}
	if m.Ciphertext, err = s.bytes(4, "ciphertext"); err != nil {
		return nil, err
	}
	copy(m.MAC[:], b[len(body):])
	return m, nil
}

// MarshalSignalBody encodes the part of a SignalMessage that the MAC covers.
// Counters are always written, even when zero: python-omemo declares them
// required.
func MarshalSignalBody(version byte, h Header, ciphertext []byte) []byte {
	b := []byte{version}
	b = appendBytes(b, 1, DjbKey(h.RatchetKey))
	b = appendUint(b, 2, h.N)
	b = appendUint(b, 3, h.PN)
	return appendBytes(b, 4, ciphertext)
}

// Marshal re-encodes m from its fields.
func (m *SignalMessage) Marshal() []byte {
	return append(MarshalSignalBody(m.Version, m.Header, m.Ciphertext), m.MAC[:]...)
}

// PreKeySignalMessage is a legacy key exchange: the X3DH parameters of the
// sender, and the first SignalMessage of the session.
type PreKeySignalMessage struct {
	Version        byte
	PreKeyID       uint32
	BaseKey        [32]byte // the sender's X3DH ephemeral key
	IdentityKey    [32]byte // the sender's identity, Curve25519 form
	Message        []byte   // a complete SignalMessage
	RegistrationID uint32   // libsignal's; meaningless in OMEMO, kept for re-encoding
	HasRegID       bool
	SignedPreKeyID uint32
}

var preKeySignalMessageFields = map[int]int{1: wireVarint, 2: wireBytes, 3: wireBytes, 4: wireBytes, 5: wireVarint, 6: wireVarint}

// ParsePreKeySignalMessage decodes version ‖ protobuf. OMEMO requires a
// one-time prekey, so a missing preKeyId is an error (Conversations#1832).
func ParsePreKeySignalMessage(b []byte) (*PreKeySignalMessage, error) {
	const what = "PreKeySignalMessage"
	if len(b) < 1 {
		return nil, malformed(what, "empty")
	}
	if err := checkVersion(what, b[0]); err != nil {
		return nil, err
	}
	fs, err := parseFields(what, b[1:], preKeySignalMessageFields)
	if err != nil {
		return nil, err
	}
	s := newFieldSet(what, fs)
	m := &PreKeySignalMessage{Version: b[0]}
	if m.PreKeyID, err = s.uint32(1, "preKeyId"); err != nil {
		return nil, err
	}
	if m.BaseKey, err = s.djbKey(2, "baseKey"); err != nil {
		return nil, err
	}
	if m.IdentityKey, err = s.djbKey(3, "identityKey"); err != nil {
		return nil, err
	}
	if m.Message, err = s.bytes(4, "message"); err != nil {
		return nil, err
	}
	if s.has(5) {
		m.HasRegID = true
		if m.RegistrationID, err = s.uint32(5, "registrationId"); err != nil {
			return nil, err
		}
	}
	if m.SignedPreKeyID, err = s.uint32(6, "signedPreKeyId"); err != nil {
		return nil, err
	}
	return m, nil
}

// Marshal encodes m.
func (m *PreKeySignalMessage) Marshal() []byte {
	b := []byte{m.Version}
	b = appendUint(b, 1, m.PreKeyID)
	b = appendBytes(b, 2, DjbKey(m.BaseKey))
	b = appendBytes(b, 3, DjbKey(m.IdentityKey))
	b = appendBytes(b, 4, m.Message)
	if m.HasRegID {
		b = appendUint(b, 5, m.RegistrationID)
	}
	return appendUint(b, 6, m.SignedPreKeyID)
}

// checkVersion accepts what libsignal accepts: message version 3 in the high
// nibble. The low nibble (the sender's newest version) is not checked.
func checkVersion(what string, v byte) error {
	if v>>4 != 3 {
		return malformed(what, "unsupported version byte 0x%02x", v)
	}
	return nil
}
