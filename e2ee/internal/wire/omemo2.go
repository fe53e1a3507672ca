package wire

// The OMEMO 2 (urn:xmpp:omemo:2) formats, XEP-0384 §Protobuf Schema. There
// is no version byte, and keys are raw 32-byte values.

// MACSize is the length of OMEMOAuthenticatedMessage's truncated HMAC.
const MACSize = 16

// OMEMOMessage is the OMEMO 2 ratchet message that the MAC covers.
type OMEMOMessage struct {
	Header     Header
	Ciphertext []byte
}

var omemoMessageFields = map[int]int{1: wireVarint, 2: wireVarint, 3: wireBytes, 4: wireBytes}

// ParseOMEMOMessage decodes an OMEMOMessage. The ciphertext is optional in
// the schema, but a ratchet message without one carries nothing, so it is
// required here.
func ParseOMEMOMessage(b []byte) (*OMEMOMessage, error) {
	const what = "OMEMOMessage"
	fs, err := parseFields(what, b, omemoMessageFields)
	if err != nil {
		return nil, err
	}
	s := newFieldSet(what, fs)
	m := &OMEMOMessage{}
	if m.Header.N, err = s.uint32(1, "n"); err != nil {
		return nil, err
	}
	if m.Header.PN, err = s.uint32(2, "pn"); err != nil {
		return nil, err
	}
	if m.Header.RatchetKey, err = s.key32(3, "dh_pub"); err != nil {
		return nil, err
	}
	if m.Ciphertext, err = s.bytes(4, "ciphertext"); err != nil {
		return nil, err
	}
	return m, nil
}

// Marshal encodes m.
func (m *OMEMOMessage) Marshal() []byte {
	b := appendUint(nil, 1, m.Header.N)
	b = appendUint(b, 2, m.Header.PN)
	b = appendBytes(b, 3, m.Header.RatchetKey[:])
	return appendBytes(b, 4, m.Ciphertext)
}

// AuthenticatedMessage is an OMEMOMessage with its MAC.
type AuthenticatedMessage struct {
	MAC     [MACSize]byte
	Message []byte // a serialized OMEMOMessage, as received
}

var authenticatedMessageFields = map[int]int{1: wireBytes, 2: wireBytes}

// ParseAuthenticatedMessage decodes an OMEMOAuthenticatedMessage.
func ParseAuthenticatedMessage(b []byte) (*AuthenticatedMessage, error) {
	const what = "OMEMOAuthenticatedMessage"
	fs, err := parseFields(what, b, authenticatedMessageFields)
	if err != nil {
		return nil, err
	}
	s := newFieldSet(what, fs)
	m := &AuthenticatedMessage{}
	mac, err := s.bytes(1, "mac")
	if err != nil {
		return nil, err
	}
	if len(mac) != MACSize {
		return nil, malformed(what, "mac is %d bytes, want %d", len(mac), MACSize)
	}
	copy(m.MAC[:], mac)
	if m.Message, err = s.bytes(2, "message"); err != nil {
		return nil, err
	}
	return m, nil
}

// Marshal encodes m.
func (m *AuthenticatedMessage) Marshal() []byte {
	b := appendBytes(nil, 1, m.MAC[:])
	return appendBytes(b, 2, m.Message)
}

// KeyExchange is an OMEMOKeyExchange: the sender's X3DH parameters and the
// first message of the session.
type KeyExchange struct {
	PreKeyID       uint32
	SignedPreKeyID uint32
	IdentityKey    [32]byte // Ed25519
	EphemeralKey   [32]byte // X25519
	Message        []byte   // a serialized OMEMOAuthenticatedMessage
}

var keyExchangeFields = map[int]int{1: wireVarint, 2: wireVarint, 3: wireBytes, 4: wireBytes, 5: wireBytes}

// ParseKeyExchange decodes an OMEMOKeyExchange.
func ParseKeyExchange(b []byte) (*KeyExchange, error) {
	const what = "OMEMOKeyExchange"
	fs, err := parseFields(what, b, keyExchangeFields)
	if err != nil {
		return nil, err
	}
	s := newFieldSet(what, fs)
	m := &KeyExchange{}
	if m.PreKeyID, err = s.uint32(1, "pk_id"); err != nil {
		return nil, err
	}
	if m.SignedPreKeyID, err = s.uint32(2, "spk_id"); err != nil {
		return nil, err
	}
	if m.IdentityKey, err = s.key32(3, "ik"); err != nil {
		return nil, err
	}
	if m.EphemeralKey, err = s.key32(4, "ek"); err != nil {
		return nil, err
	}
	if m.Message, err = s.bytes(5, "message"); err != nil {
		return nil, err
	}
	return m, nil
}

// Marshal encodes m.
func (m *KeyExchange) Marshal() []byte {
	b := appendUint(nil, 1, m.PreKeyID)
	b = appendUint(b, 2, m.SignedPreKeyID)
	b = appendBytes(b, 3, m.IdentityKey[:])
	b = appendBytes(b, 4, m.EphemeralKey[:])
	return appendBytes(b, 5, m.Message)
}
