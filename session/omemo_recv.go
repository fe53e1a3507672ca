package session

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"mellium.im/xmpp/jid"

	"github.com/candor-xmpp/candor/e2ee"
	"github.com/candor-xmpp/candor/internal/store"
)

// The decryption stage of the receive pipeline. It runs in the receive
// worker after deduplication, so each copy of a message (live, carbon,
// archive) is decrypted once; the plaintext is what gets stored. It never
// waits on the network: replies that complete a session go out at once
// (they need no answer), device list fetches and bundle publishing are
// handed to the OMEMO goroutine.

// decrypted is the outcome of the decryption stage for one message.
type decrypted struct {
	body  string
	enc   Encryption
	skip  bool // nothing to store: a duplicate, or our own message reflected
	wire  store.WireRecord
	trust Trust
}

// decryptStage turns a message's payload into the text to store.
func (l *link) decryptStage(m msgIn, dir Direction, peer jid.JID) decrypted {
	if m.omemo == nil {
		return decrypted{body: m.body}
	}
	v, _ := versionOf(m.omemo.XMLName.Space)
	out := decrypted{enc: Encryption{Scheme: schemeOf(v)}, wire: store.WireRecord{Version: int(v)}}
	fail := func(note string) decrypted {
		out.body = fmt.Sprintf("[encrypted message (%s) could not be decrypted: %s]", out.enc.Scheme, note)
		out.wire.Note = note
		l.c.notice(Warning, fmt.Sprintf("a message from %s could not be decrypted: %s", m.from.Bare(), note))
		return out
	}
	el, err := parseOMEMO(v, m.omemo)
	if err != nil {
		return fail(err.Error())
	}
	out.enc.DeviceID = el.SID
	ctx := context.Background()
	mgr, err := l.c.e2ee(ctx)
	if err != nil {
		return fail(err.Error())
	}
	sender := m.from.Bare()
	if sender.Equal(l.own) && el.SID == mgr.DeviceID() {
		// Our own message, reflected (a carbon or archive copy of what this
		// device sent): it has no key for us, and we stored it when sending.
		out.skip = true
		return out
	}
	res, err := l.decryptKeys(ctx, mgr, el, sender)
	switch {
	case errors.Is(err, e2ee.ErrDuplicate):
		out.skip = true
		return out
	case err != nil:
		return fail(decryptReason(err, sender.String(), el.SID))
	}
	l.afterDecrypt(mgr, v, sender, el.SID, res)
	out.trust = fromTrust(res.Sender.Trust)
	out.enc.Trusted = res.Sender.Trust.Encrypts()
	out.wire.Trust = string(out.trust)
	if res.Plaintext == nil {
		return fail("it carries no message")
	}
	if v == e2ee.Legacy {
		out.body = string(res.Plaintext)
		return out
	}
	env, err := parseEnvelope(res.Plaintext)
	if err == nil {
		err = env.check(m.from, m.to)
	}
	if err != nil {
		return fail(err.Error())
	}
	if !env.HasBody {
		return fail("its envelope holds no body")
	}
	out.body = env.Body
	return out
}

// errNotForUs: the message has no key for this device.
var errNotForUs = errors.New("not encrypted for this device")

// decryptKeys tries each key addressed to this device (legacy rids can
// collide across JIDs) until one decrypts.
func (l *link) decryptKeys(ctx context.Context, mgr *e2ee.Manager, el *omemoElement, sender jid.JID) (*e2ee.Decrypted, error) {
	keys := el.keysFor(l.own.String(), mgr.DeviceID())
	if len(keys) == 0 {
		return nil, errNotForUs
	}
	var firstErr error
	for _, k := range keys {
		res, err := mgr.Decrypt(ctx, &e2ee.Incoming{
			Version: el.Version, Sender: e2ee.Address{JID: sender.String(), Device: el.SID},
			Key: k.Data, KeyExchange: k.KeyExchange, IV: el.IV, Payload: el.Payload,
		})
		if err == nil {
			return res, nil
		}
		if errors.Is(err, e2ee.ErrDuplicate) {
			return nil, err
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

// afterDecrypt carries out what a decryption asks for: the empty reply that
// completes a session or is a heartbeat, republishing our bundle when a
// prekey was used, fetching the sender's lists when it was not listed.
func (l *link) afterDecrypt(mgr *e2ee.Manager, v e2ee.Version, sender jid.JID, sid uint32, res *e2ee.Decrypted) {
	if res.Reply != nil {
		l.sendEmpty(res.Reply)
	}
	if res.BundleChanged {
		l.scheduleBundle(v)
	}
	if res.UnknownDevice {
		l.scheduleRefetch(sender)
	}
	if res.NewSession || res.UnknownDevice {
		l.c.events.emit(SecurityChanged{Peer: sender.String()})
	}
}

// sendEmpty sends an empty OMEMO message (key transport) to the device its
// key is for.
func (l *link) sendEmpty(msg *e2ee.Message) {
	if len(msg.Keys) == 0 {
		return
	}
	to := msg.Keys[0].JID
	if err := l.send(encryptedChat(to, newID(), msg)); err != nil && l.ctx.Err() == nil {
		l.c.notice(Warning, fmt.Sprintf("OMEMO: could not complete the session with %s: %v", to, err))
	}
}

// receiveKeyTransport processes an OMEMO message without payload: a key
// transport or empty message, which moves a ratchet (and may complete a
// session) but is not shown.
func (l *link) receiveKeyTransport(m msgIn) {
	v, ok := versionOf(m.omemo.XMLName.Space)
	if !ok {
		return
	}
	el, err := parseOMEMO(v, m.omemo)
	if err != nil {
		return
	}
	ctx := context.Background()
	mgr, err := l.c.e2ee(ctx)
	if err != nil {
		return
	}
	sender := m.from.Bare()
	if sender.Equal(l.own) && el.SID == mgr.DeviceID() {
		return
	}
	res, err := l.decryptKeys(ctx, mgr, el, sender)
	if err != nil {
		if !errors.Is(err, e2ee.ErrDuplicate) && !errors.Is(err, errNotForUs) {
			l.c.notice(Info, fmt.Sprintf("OMEMO: an empty message from %s/%d was refused: %s", sender, el.SID, decryptReason(err, sender.String(), el.SID)))
		}
		return
	}
	l.afterDecrypt(mgr, v, sender, el.SID, res)
}

// beginCatchUp and endCatchUp bracket the archive catch-up: prekeys used
// meanwhile stay until it ends, and the replies wait (XEP-0384 §Business
// Rules).
func (l *link) beginCatchUp() {
	if mgr, err := l.c.e2ee(context.Background()); err == nil {
		mgr.BeginCatchUp()
	}
}

func (l *link) endCatchUp() {
	ctx := context.Background()
	mgr, err := l.c.e2ee(ctx)
	if err != nil {
		return
	}
	res, err := mgr.EndCatchUp(ctx)
	if err != nil {
		l.c.notice(Warning, "OMEMO: ending the archive catch-up failed: "+err.Error())
		return
	}
	for _, r := range res.Replies {
		l.sendEmpty(r)
	}
	for _, v := range e2ee.Versions {
		if res.BundleChanged.Has(v) {
			l.scheduleBundle(v)
		}
	}
}

// recordWire stores what was received of message id: the stanza as it
// came, its OMEMO version, the sender's trust, why it failed.
func (l *link) recordWire(id int64, m msgIn, d decrypted) {
	w := d.wire
	w.MessageID, w.Stanza = id, m.raw
	if w.Stanza == "" && w.Version == 0 {
		return
	}
	if err := l.st.PutWire(context.Background(), w); err != nil {
		l.c.notice(Warning, err.Error())
	}
}

// decryptReason is a one-line reason a message from device sid did not
// decrypt, for the user.
func decryptReason(err error, sender string, sid uint32) string {
	switch {
	case errors.Is(err, errNotForUs):
		return fmt.Sprintf("it was not encrypted for this device (the sender's device %d does not know it yet)", sid)
	case errors.Is(err, e2ee.ErrAuthentication):
		return "it was tampered with or corrupted (authentication failed)"
	case errors.Is(err, e2ee.ErrNoSession):
		return fmt.Sprintf("there is no session with the sender's device %d", sid)
	case errors.Is(err, e2ee.ErrUnknownPreKey), errors.Is(err, e2ee.ErrUnknownSignedPreKey):
		return "it starts a session with a key this device no longer has"
	case errors.Is(err, e2ee.ErrIdentityMismatch):
		return fmt.Sprintf("the sender's device %d presented another identity key than before (a reinstall? compare fingerprints, then /omemo forget %s %d)", sid, sender, sid)
	case errors.Is(err, e2ee.ErrUntrusted):
		return fmt.Sprintf("the sender's device %d is one you marked untrusted", sid)
	case errors.Is(err, e2ee.ErrKeyEvicted), errors.Is(err, e2ee.ErrTooManySkipped):
		return "too many messages from the sender's device were lost in between"
	case errors.Is(err, e2ee.ErrMalformed), errors.Is(err, e2ee.ErrBadPayload), errors.Is(err, e2ee.ErrTooLarge):
		return "it is malformed"
	}
	return strings.TrimPrefix(oneLine(err.Error()), "e2ee: ")
}

// fromTrust converts an e2ee trust state.
func fromTrust(t e2ee.Trust) Trust {
	switch t {
	case e2ee.BlindTrusted:
		return TrustBlind
	case e2ee.Verified:
		return TrustVerified
	case e2ee.Untrusted:
		return TrustRejected
	}
	return TrustUndecided
}

// toTrust is fromTrust's inverse.
func toTrust(t Trust) (e2ee.Trust, error) {
	switch t {
	case TrustUndecided:
		return e2ee.Undecided, nil
	case TrustBlind:
		return e2ee.BlindTrusted, nil
	case TrustVerified:
		return e2ee.Verified, nil
	case TrustRejected:
		return e2ee.Untrusted, nil
	}
	return 0, fmt.Errorf("unknown trust %q: want verified, untrusted, blind or undecided", t)
}
