package session

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"mellium.im/xmpp/jid"
)

// The Stanza Content Encryption envelope (XEP-0420) that OMEMO 2 encrypts:
// the message's content with random padding and affixes naming sender,
// recipient and time, so that a server cannot replay a ciphertext to someone
// else or under another sender (XEP-0384 §SCE Profile).

// Bounds of the envelope we make.
const maxRPad = 200

// sceEnvelope is the envelope as we write it.
type sceEnvelope struct {
	XMLName xml.Name   `xml:"urn:xmpp:sce:1 envelope"`
	Content sceContent `xml:"content"`
	RPad    string     `xml:"rpad"`
	Time    *sceTime   `xml:"time"`
	To      *sceJID    `xml:"to"`
	From    *sceJID    `xml:"from"`
}

type sceContent struct {
	Body *sceBody `xml:"jabber:client body"`
}

type sceBody struct {
	Text string `xml:",chardata"`
}

type sceTime struct {
	Stamp string `xml:"stamp,attr"`
}

type sceJID struct {
	JID string `xml:"jid,attr"`
}

// buildEnvelope is the SCE envelope of a chat message body from bare JID
// from to bare JID to at t, padded with rnd.
func buildEnvelope(body string, from, to jid.JID, t time.Time, rnd io.Reader) ([]byte, error) {
	pad, err := randomPad(rnd)
	if err != nil {
		return nil, err
	}
	env := sceEnvelope{
		Content: sceContent{Body: &sceBody{Text: body}},
		RPad:    pad,
		Time:    &sceTime{Stamp: t.UTC().Format(time.RFC3339)},
		To:      &sceJID{JID: to.Bare().String()},
		From:    &sceJID{JID: from.Bare().String()},
	}
	return xml.Marshal(env)
}

// randomPad is 0 to maxRPad random characters: the ciphertext length then
// tells less about the body's.
func randomPad(rnd io.Reader) (string, error) {
	var b [maxRPad*3/4 + 1]byte
	if _, err := io.ReadFull(rnd, b[:]); err != nil {
		return "", err
	}
	n := int(b[0]) % (maxRPad + 1)
	return base64.RawURLEncoding.EncodeToString(b[1:])[:n], nil
}

// wireEnvelope is an envelope as read.
type wireEnvelope struct {
	XMLName xml.Name `xml:"urn:xmpp:sce:1 envelope"`
	Content *struct {
		Bodies []wireText `xml:"body"`
	} `xml:"content"`
	RPad  *struct{} `xml:"rpad"`
	Times []sceTime `xml:"time"`
	Tos   []sceJID  `xml:"to"`
	Froms []sceJID  `xml:"from"`
}

// envelope is what a received envelope says.
type envelope struct {
	Body    string
	HasBody bool
	From    jid.JID   // zero when absent
	To      jid.JID   // zero when absent
	Time    time.Time // zero when absent
}

var errBadEnvelope = errors.New("invalid SCE envelope")

// parseEnvelope reads a decrypted envelope. It insists on one root
// envelope, a content element and at most one of each affix; a long rpad
// is fine (XEP-0420 §Affix Elements).
func parseEnvelope(raw []byte) (*envelope, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", errBadEnvelope, fmt.Sprintf(format, args...))
	}
	d := xml.NewDecoder(bytes.NewReader(raw))
	d.Strict = true
	var w wireEnvelope
	if err := d.Decode(&w); err != nil {
		return nil, bad("%v", oneLine(err.Error()))
	}
	// Nothing but whitespace may follow the envelope.
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, bad("%v", oneLine(err.Error()))
		}
		if cd, ok := tok.(xml.CharData); !ok || strings.TrimSpace(string(cd)) != "" {
			return nil, bad("content after the envelope")
		}
	}
	if w.Content == nil {
		return nil, bad("no <content>")
	}
	if len(w.Times) > 1 || len(w.Tos) > 1 || len(w.Froms) > 1 {
		return nil, bad("repeated affix")
	}
	env := &envelope{}
	env.Body, env.HasBody = pickText(w.Content.Bodies)
	var err error
	if len(w.Froms) == 1 {
		if env.From, err = jid.Parse(w.Froms[0].JID); err != nil {
			return nil, bad("from %q", w.Froms[0].JID)
		}
	}
	if len(w.Tos) == 1 {
		if env.To, err = jid.Parse(w.Tos[0].JID); err != nil {
			return nil, bad("to %q", w.Tos[0].JID)
		}
	}
	if len(w.Times) == 1 {
		if env.Time, err = time.Parse(time.RFC3339Nano, strings.TrimSpace(w.Times[0].Stamp)); err != nil {
			return nil, bad("time %q", w.Times[0].Stamp)
		}
	}
	return env, nil
}

// check verifies the affixes against the stanza that carried the envelope
// (XEP-0420 §Affix Elements): from and to, when present (XEP-0384 makes
// from a SHOULD), must name the sender's and the recipient's bare JIDs. A
// mismatch means the ciphertext was moved to another stanza.
func (e *envelope) check(from, to jid.JID) error {
	if !e.From.Equal(jid.JID{}) && !e.From.Bare().Equal(from.Bare()) {
		return fmt.Errorf("%w: sealed by %s but sent by %s", errBadEnvelope, e.From.Bare(), from.Bare())
	}
	if !e.To.Equal(jid.JID{}) && !e.To.Bare().Equal(to.Bare()) {
		return fmt.Errorf("%w: sealed for %s but addressed to %s", errBadEnvelope, e.To.Bare(), to.Bare())
	}
	return nil
}
