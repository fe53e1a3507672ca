package session

import (
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/candor-xmpp/candor/e2ee"
)

// The <encrypted> element of both OMEMO versions (XEP-0384 v0.3 and v0.8+),
// read from and written to the wire. Parsing is strict about what the
// crypto needs (ids, base64, sizes) and bounded, so that a hostile element
// costs little and never panics.

// Namespaces of OMEMO and the elements that travel with it.
const (
	nsOMEMOLegacy = "eu.siacs.conversations.axolotl" // XEP-0384 v0.3
	nsOMEMO2      = "urn:xmpp:omemo:2"               // XEP-0384 v0.8+
	nsEME         = "urn:xmpp:eme:0"                 // XEP-0380 explicit message encryption
	nsSCE         = "urn:xmpp:sce:1"                 // XEP-0420 stanza content encryption
	nsClient      = "jabber:client"
)

// Bounds on received OMEMO elements.
const (
	maxOMEMOKeys    = 1000 // <key> elements in one message
	maxKeyB64       = 8192 // base64 characters of one <key>
	maxPayloadB64   = (e2ee.MaxPayloadSize + 2) / 3 * 4
	maxDeviceIDsOut = 1000 // devices in one device list
)

// fallbackBody is what clients without OMEMO show instead of the message.
const fallbackBody = "[This message is OMEMO encrypted (XEP-0384). Your client cannot decrypt it.]"

// wireOMEMO is an <encrypted> element as decoded, either version.
type wireOMEMO struct {
	XMLName xml.Name
	Header  wireOMEMOHeader `xml:"header"`
	Payload *wireB64        `xml:"payload"`
}

type wireOMEMOHeader struct {
	SID     string          `xml:"sid,attr"`
	Keys    []wireOMEMOKey  `xml:"key"`  // legacy
	KeySets []wireOMEMOKeys `xml:"keys"` // OMEMO 2: one per recipient JID
	IV      *wireB64        `xml:"iv"`   // legacy
}

type wireOMEMOKeys struct {
	JID  string         `xml:"jid,attr"`
	Keys []wireOMEMOKey `xml:"key"`
}

type wireOMEMOKey struct {
	RID    string `xml:"rid,attr"`
	Prekey string `xml:"prekey,attr"` // legacy
	Kex    string `xml:"kex,attr"`    // OMEMO 2
	Data   string `xml:",chardata"`
}

type wireB64 struct {
	Data string `xml:",chardata"`
}

// omemoKey is one <key> of a parsed element.
type omemoKey struct {
	JID         string // the <keys jid> of OMEMO 2; "" for legacy
	RID         uint32
	KeyExchange bool
	Data        []byte
}

// omemoElement is a parsed <encrypted> element.
type omemoElement struct {
	Version e2ee.Version
	SID     uint32
	Keys    []omemoKey
	IV      []byte // legacy
	Payload []byte // nil without <payload>: a key transport or empty message
}

// versionOf maps a namespace to its OMEMO version.
func versionOf(ns string) (e2ee.Version, bool) {
	switch ns {
	case nsOMEMOLegacy:
		return e2ee.Legacy, true
	case nsOMEMO2:
		return e2ee.OMEMO2, true
	}
	return 0, false
}

// schemeOf names a version as the messages record it.
func schemeOf(v e2ee.Version) Scheme {
	if v == e2ee.OMEMO2 {
		return OMEMO2
	}
	return OMEMO03
}

var errBadOMEMO = errors.New("malformed OMEMO element")

// parseOMEMO checks and decodes an <encrypted> element of version v.
func parseOMEMO(v e2ee.Version, w *wireOMEMO) (*omemoElement, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", errBadOMEMO, fmt.Sprintf(format, args...))
	}
	el := &omemoElement{Version: v}
	sid, err := parseDeviceID(w.Header.SID)
	if err != nil {
		return nil, bad("header sid %q", w.Header.SID)
	}
	el.SID = sid
	add := func(jid string, k wireOMEMOKey, flag string) error {
		if len(el.Keys) >= maxOMEMOKeys {
			return bad("more than %d keys", maxOMEMOKeys)
		}
		rid, err := parseDeviceID(k.RID)
		if err != nil {
			return bad("key rid %q", k.RID)
		}
		data, err := decodeB64(k.Data, maxKeyB64)
		if err != nil || len(data) == 0 {
			return bad("key for device %d: not base64 or too long", rid)
		}
		el.Keys = append(el.Keys, omemoKey{JID: jid, RID: rid, KeyExchange: xsBool(flag), Data: data})
		return nil
	}
	switch v {
	case e2ee.Legacy:
		if len(w.Header.KeySets) > 0 {
			return nil, bad("legacy header with <keys>")
		}
		for _, k := range w.Header.Keys {
			if err := add("", k, k.Prekey); err != nil {
				return nil, err
			}
		}
		if w.Header.IV == nil {
			return nil, bad("no <iv>")
		}
		if el.IV, err = decodeB64(w.Header.IV.Data, 64); err != nil || (len(el.IV) != 12 && len(el.IV) != 16) {
			return nil, bad("iv is not 12 or 16 bytes of base64")
		}
	case e2ee.OMEMO2:
		if len(w.Header.Keys) > 0 {
			return nil, bad("OMEMO 2 header with <key> outside <keys>")
		}
		for _, ks := range w.Header.KeySets {
			j, err := parseBare(ks.JID)
			if err != nil || ks.JID == "" {
				return nil, bad("keys jid %q", ks.JID)
			}
			for _, k := range ks.Keys {
				if err := add(j.String(), k, k.Kex); err != nil {
					return nil, err
				}
			}
		}
	default:
		return nil, bad("unknown version")
	}
	if w.Payload != nil {
		if el.Payload, err = decodeB64(w.Payload.Data, maxPayloadB64); err != nil {
			return nil, bad("payload is not base64 or too long")
		}
		if el.Payload == nil {
			el.Payload = []byte{}
		}
	}
	return el, nil
}

// keysFor returns the keys addressed to device rid of bare JID own: in
// legacy every key with that rid (rids can collide across JIDs), in OMEMO 2
// those under <keys jid=own>.
func (el *omemoElement) keysFor(own string, rid uint32) []omemoKey {
	var out []omemoKey
	for _, k := range el.Keys {
		if k.RID == rid && (el.Version == e2ee.Legacy || k.JID == own) {
			out = append(out, k)
		}
	}
	return out
}

// parseDeviceID reads a device id: a decimal from 1 to 2^32-1 (Candor makes
// ids up to 2^31-1; others have used the whole range).
func parseDeviceID(s string) (uint32, error) {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 32)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("device id %q is not a number from 1 to 4294967295", s)
	}
	return uint32(n), nil
}

// xsBool reads an xs:boolean attribute: "true" or "1" (Psi+ sends "1").
func xsBool(s string) bool {
	s = strings.TrimSpace(s)
	return strings.EqualFold(s, "true") || s == "1"
}

// decodeB64 decodes standard base64, ignoring whitespace, refusing input
// longer than max characters.
func decodeB64(s string, max int) ([]byte, error) {
	if len(s) > max+max/8+64 {
		return nil, errors.New("too long")
	}
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, s)
	if len(clean) > max {
		return nil, errors.New("too long")
	}
	if clean == "" {
		return nil, nil
	}
	b, err := base64.StdEncoding.DecodeString(clean)
	if err != nil {
		// Some clients drop the padding.
		if b2, err2 := base64.RawStdEncoding.DecodeString(strings.TrimRight(clean, "=")); err2 == nil {
			return b2, nil
		}
		return nil, err
	}
	return b, nil
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// Elements we write. Children inherit the root's namespace.

type outLegacy struct {
	XMLName xml.Name        `xml:"eu.siacs.conversations.axolotl encrypted"`
	Header  outLegacyHeader `xml:"header"`
	Payload *string         `xml:"payload"`
}

type outLegacyHeader struct {
	SID  uint32   `xml:"sid,attr"`
	Keys []outKey `xml:"key"`
	IV   string   `xml:"iv"`
}

type outOMEMO2 struct {
	XMLName xml.Name        `xml:"urn:xmpp:omemo:2 encrypted"`
	Header  outOMEMO2Header `xml:"header"`
	Payload *string         `xml:"payload"`
}

type outOMEMO2Header struct {
	SID     uint32       `xml:"sid,attr"`
	KeySets []outKeySets `xml:"keys"`
}

type outKeySets struct {
	JID  string   `xml:"jid,attr"`
	Keys []outKey `xml:"key"`
}

// outKey never carries prekey/kex="false": python-omemo reads any value as
// true, so the attribute is present only on key exchanges.
type outKey struct {
	RID    uint32 `xml:"rid,attr"`
	Prekey string `xml:"prekey,attr,omitempty"`
	Kex    string `xml:"kex,attr,omitempty"`
	Data   string `xml:",chardata"`
}

// encryptedElement is the <encrypted> element of an e2ee message, ready to
// marshal.
func encryptedElement(msg *e2ee.Message) any {
	var payload *string
	if msg.Payload != nil {
		p := b64(msg.Payload)
		payload = &p
	}
	if msg.Version == e2ee.Legacy {
		out := &outLegacy{Header: outLegacyHeader{SID: msg.Sender, IV: b64(msg.IV)}, Payload: payload}
		for _, k := range msg.Keys {
			ok := outKey{RID: k.Device, Data: b64(k.Data)}
			if k.KeyExchange {
				ok.Prekey = "true"
			}
			out.Header.Keys = append(out.Header.Keys, ok)
		}
		return out
	}
	out := &outOMEMO2{Header: outOMEMO2Header{SID: msg.Sender}, Payload: payload}
	index := map[string]int{}
	for _, k := range msg.Keys {
		i, ok := index[k.JID]
		if !ok {
			i = len(out.Header.KeySets)
			index[k.JID] = i
			out.Header.KeySets = append(out.Header.KeySets, outKeySets{JID: k.JID})
		}
		ok2 := outKey{RID: k.Device, Data: b64(k.Data)}
		if k.KeyExchange {
			ok2.Kex = "true"
		}
		out.Header.KeySets[i].Keys = append(out.Header.KeySets[i].Keys, ok2)
	}
	return out
}

// wireEME is the XEP-0380 hint naming the encryption.
type wireEME struct {
	XMLName   xml.Name `xml:"urn:xmpp:eme:0 encryption"`
	Name      string   `xml:"name,attr"`
	Namespace string   `xml:"namespace,attr"`
}

// wireStore is the XEP-0334 hint that asks servers to archive a message
// without a body.
type wireStore struct {
	XMLName xml.Name `xml:"urn:xmpp:hints store"`
}

// wireEncryptedChat is an outgoing OMEMO chat message: the encrypted
// element, EME, a fallback body for clients without OMEMO, the store hint,
// and the ids and requests of a plaintext message.
type wireEncryptedChat struct {
	XMLName  xml.Name `xml:"message"`
	To       string   `xml:"to,attr"`
	ID       string   `xml:"id,attr"`
	Type     string   `xml:"type,attr"`
	Legacy   *outLegacy
	OMEMO2   *outOMEMO2
	EME      wireEME
	Body     string    `xml:"body,omitempty"`
	Store    wireStore `xml:"urn:xmpp:hints store"`
	OriginID *wireID   `xml:"urn:xmpp:sid:0 origin-id"`
	Request  *struct{} `xml:"urn:xmpp:receipts request"`
	Active   *struct{} `xml:"http://jabber.org/protocol/chatstates active"`
}

// encryptedChat is the stanza carrying msg to bare JID to. A message with a
// payload is a chat message (body fallback, receipt request); one without
// is a key transport or empty message, sent with only the store hint.
func encryptedChat(to, id string, msg *e2ee.Message) wireEncryptedChat {
	w := wireEncryptedChat{To: to, ID: id, Type: "chat",
		EME: wireEME{Name: "OMEMO", Namespace: msg.Version.Namespace()}}
	switch el := encryptedElement(msg).(type) {
	case *outLegacy:
		w.Legacy = el
	case *outOMEMO2:
		w.OMEMO2 = el
	}
	if msg.Payload != nil {
		w.Body = fallbackBody
		w.OriginID = &wireID{ID: id}
		w.Request = &struct{}{}
		w.Active = &struct{}{}
	}
	return w
}
