package ratchet

import (
	"github.com/candor-xmpp/candor/e2ee/internal/wire"
)

// message is a decoded ratchet message of either version.
type message struct {
	header     wire.Header
	ciphertext []byte
	body       []byte // the bytes the MAC covers, as received
	mac        []byte
}

// parseMessage decodes a SignalMessage (legacy) or an
// OMEMOAuthenticatedMessage holding an OMEMOMessage (OMEMO 2).
func (v Version) parseMessage(b []byte) (*message, error) {
	if v == Legacy {
		m, err := wire.ParseSignalMessage(b)
		if err != nil {
			return nil, err
		}
		return &message{header: m.Header, ciphertext: m.Ciphertext, body: m.Body, mac: m.MAC[:]}, nil
	}
	am, err := wire.ParseAuthenticatedMessage(b)
	if err != nil {
		return nil, err
	}
	m, err := wire.ParseOMEMOMessage(am.Message)
	if err != nil {
		return nil, err
	}
	return &message{header: m.Header, ciphertext: m.Ciphertext, body: am.Message, mac: am.MAC[:]}, nil
}

// frameMessage encodes a ratchet message and its MAC. The body is
// serialized once and the MAC computed over exactly those bytes.
func (v Version) frameMessage(h wire.Header, ciphertext []byte, k *messageKeys, ad []byte) []byte {
	if v == Legacy {
		body := wire.MarshalSignalBody(wire.Version3, h, ciphertext)
		return append(body, v.mac(k, ad, body)...)
	}
	body := (&wire.OMEMOMessage{Header: h, Ciphertext: ciphertext}).Marshal()
	am := &wire.AuthenticatedMessage{Message: body}
	copy(am.MAC[:], v.mac(k, ad, body))
	return am.Marshal()
}

// KeyExchange is a decoded key exchange of either version: the sender's
// X3DH parameters and the ratchet message it carries.
type KeyExchange struct {
	PreKeyID       uint32
	SignedPreKeyID uint32
	Identity       [32]byte // legacy: Curve25519; OMEMO 2: Ed25519
	BaseKey        [32]byte // the sender's X3DH ephemeral public key
	Message        []byte
}

// ParseKeyExchange decodes a PreKeySignalMessage (legacy) or an
// OMEMOKeyExchange (OMEMO 2).
func ParseKeyExchange(v Version, b []byte) (*KeyExchange, error) {
	if v == Legacy {
		m, err := wire.ParsePreKeySignalMessage(b)
		if err != nil {
			return nil, err
		}
		return &KeyExchange{PreKeyID: m.PreKeyID, SignedPreKeyID: m.SignedPreKeyID,
			Identity: m.IdentityKey, BaseKey: m.BaseKey, Message: m.Message}, nil
	}
	m, err := wire.ParseKeyExchange(b)
	if err != nil {
		return nil, err
	}
	return &KeyExchange{PreKeyID: m.PreKeyID, SignedPreKeyID: m.SignedPreKeyID,
		Identity: m.IdentityKey, BaseKey: m.EphemeralKey, Message: m.Message}, nil
}

func (v Version) frameKeyExchange(kx *KeyExchange) []byte {
	if v == Legacy {
		return (&wire.PreKeySignalMessage{Version: wire.Version3, PreKeyID: kx.PreKeyID,
			BaseKey: kx.BaseKey, IdentityKey: kx.Identity, Message: kx.Message,
			SignedPreKeyID: kx.SignedPreKeyID}).Marshal()
	}
	return (&wire.KeyExchange{PreKeyID: kx.PreKeyID, SignedPreKeyID: kx.SignedPreKeyID,
		IdentityKey: kx.Identity, EphemeralKey: kx.BaseKey, Message: kx.Message}).Marshal()
}
