package session

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"

	"github.com/candor-xmpp/candor/e2ee"
	"github.com/candor-xmpp/candor/internal/store"
)

// The encryption stage of the send pipeline. A message queued with OMEMO
// (the default) is encrypted for every trusted device of the peer and our
// own other devices, or not sent at all: a missing device list, a broken
// bundle or a device nobody trusted end in a one-line reason on the
// message, never in plaintext. A peer without any OMEMO device gets the
// message only after the user confirms plaintext (PlaintextNeeded,
// RetryUnencrypted).

// rawStanza is a stanza serialized once: it is stored as the message's
// wire form and sent byte for byte as it is (mellium copies the raw
// tokens).
type rawStanza string

// WriteXML implements xmlstream.WriterTo.
func (r rawStanza) WriteXML(w xmlstream.TokenWriter) (int, error) {
	d := xml.NewDecoder(strings.NewReader(string(r)))
	n := 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, err
		}
		if err := w.EncodeToken(tok); err != nil {
			return n, err
		}
		n++
	}
	if f, ok := w.(xmlstream.Flusher); ok {
		return n, f.Flush()
	}
	return n, nil
}

func marshalStanza(v any) (rawStanza, error) {
	b, err := xml.Marshal(v)
	return rawStanza(b), err
}

// noOMEMOError: the peer publishes no OMEMO device we can read.
type noOMEMOError struct {
	peer string
	why  error // the error that the device list fetch met, if any
}

func (e *noOMEMOError) Error() string {
	if e.why != nil {
		return fmt.Sprintf("%s has no OMEMO device we can see (its device list: %s): confirm to send it unencrypted", e.peer, oneLine(e.why.Error()))
	}
	return e.peer + " has no OMEMO device: confirm to send it unencrypted"
}

// wireKey is a recipient device as recorded with a sent message.
type wireKey struct {
	JID    string `json:"jid"`
	Device uint32 `json:"device"`
	KEX    bool   `json:"kex,omitempty"`
	Size   int    `json:"size"`
}

// encryptStage turns a queued message into the stanza that carries it.
func (l *link) encryptStage(e store.OutboxEntry) (any, error) {
	m := e.Message
	ctx := l.ctx
	if Scheme(m.EncScheme) == Plaintext {
		raw, err := marshalStanza(chatMessage(m))
		if err != nil {
			return nil, err
		}
		if err := l.st.PutWire(ctx, store.WireRecord{MessageID: m.ID, Stanza: string(raw)}); err != nil {
			l.c.notice(Warning, err.Error())
		}
		return raw, nil
	}
	if e.Written {
		// Sent before, perhaps received: the same ciphertext again, so the
		// recipient can recognise the copy (the ratchet moved on).
		if w, ok, err := l.st.Wire(ctx, m.ID); err == nil && ok && w.Version != 0 && w.Stanza != "" {
			return rawStanza(w.Stanza), nil
		}
	}
	to, err := parseBare(m.Peer)
	if err != nil {
		return nil, err
	}
	// Our keys and device list first: the recipient looks them up.
	select {
	case <-l.announcedCh():
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	mgr, err := l.c.e2ee(ctx)
	if err != nil {
		return nil, err
	}
	v, err := l.prepareSessions(ctx, mgr, to)
	if err != nil {
		return nil, err
	}
	skippedWhy := l.fetchBundles(ctx, mgr, v, to)
	plaintext := []byte(m.Body)
	if v == e2ee.OMEMO2 {
		if plaintext, err = buildEnvelope(m.Body, l.own, to, l.c.clock.Now(), rand.Reader); err != nil {
			return nil, err
		}
	}
	res, err := mgr.Encrypt(ctx, v, []string{to.String()}, plaintext)
	if err != nil {
		return nil, explainEncrypt(to, err, skippedWhy)
	}
	l.reportSkipped(ctx, mgr, res.Skipped)
	raw, err := marshalStanza(encryptedChat(to.String(), m.MsgID, res.Message))
	if err != nil {
		return nil, err
	}
	keys := make([]wireKey, len(res.Message.Keys))
	for i, k := range res.Message.Keys {
		keys[i] = wireKey{JID: k.JID, Device: k.Device, KEX: k.KeyExchange, Size: len(k.Data)}
	}
	recips, _ := json.Marshal(keys)
	// Recorded before the stanza goes out: a resend after a lost
	// connection sends these same bytes.
	if err := l.st.PutWire(ctx, store.WireRecord{MessageID: m.ID, Stanza: string(raw), Version: int(v),
		Recipients: string(recips), Trust: string(TrustVerified)}); err != nil {
		return nil, err
	}
	enc := Encryption{Scheme: schemeOf(v), DeviceID: mgr.DeviceID(), Trusted: true}
	if err := l.st.SetEncryption(ctx, m.ID, string(enc.Scheme), enc.DeviceID, true); err != nil {
		return nil, err
	}
	l.c.events.emit(EncryptionUpdated{ID: m.ID, Peer: m.Peer, Encryption: enc, Devices: len(keys)})
	return raw, nil
}

// encryptFailed ends a message the encryption stage refused: it fails with
// the reason, and nothing was sent. A link that went down meanwhile keeps
// it queued instead.
func (l *link) encryptFailed(e store.OutboxEntry, err error) error {
	if l.ctx.Err() != nil {
		return l.ctx.Err()
	}
	reason := "not sent: " + oneLine(err.Error())
	l.outboxDone(e.Message, Failed, reason)
	var no *noOMEMOError
	if errors.As(err, &no) && !carriesFileKey(e.Body) {
		l.c.events.emit(PlaintextNeeded{ID: e.ID, Peer: e.Peer, Reason: reason})
	}
	return nil
}

// prepareSessions makes sure the device lists of to and of our account are
// known on this link and picks the version (pickVersion).
func (l *link) prepareSessions(ctx context.Context, mgr *e2ee.Manager, to jid.JID) (e2ee.Version, error) {
	var listErr error
	for _, who := range []jid.JID{to, l.own} {
		if l.listsFetched(who.String()) {
			continue
		}
		if err := l.refreshDevices(ctx, who); err != nil && who.Equal(to) {
			listErr = err
		}
	}
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	devs, err := mgr.Devices(ctx, to.String())
	if err != nil {
		return 0, err
	}
	own, err := mgr.Devices(ctx, l.own.String())
	if err != nil {
		return 0, err
	}
	if v, ok := pickVersion(devs, own, l.c.versionPreference()); ok {
		return v, nil
	}
	switch {
	case listErr != nil && !isIQCondition(listErr, "forbidden") && !isIQCondition(listErr, "not-authorized") &&
		!isIQCondition(listErr, "service-unavailable"):
		// Not an answer about the lists (a timeout, a server error): try later.
		return 0, fmt.Errorf("cannot read the OMEMO device lists of %s: %v", to, oneLine(listErr.Error()))
	}
	// No node, or one we may not read (Prosody answers forbidden for a
	// missing node of a stranger): nothing to encrypt to.
	return 0, &noOMEMOError{peer: to.String(), why: listErr}
}

// fetchBundles builds sessions with the devices that lack one, from their
// published bundles. It returns why devices could not get a session.
func (l *link) fetchBundles(ctx context.Context, mgr *e2ee.Manager, v e2ee.Version, to jid.JID) map[e2ee.Address]error {
	need, err := mgr.NeedBundles(ctx, v, []string{to.String()})
	if err != nil {
		return nil
	}
	why := map[e2ee.Address]error{}
	for _, a := range need {
		b, err := l.fetchBundle(ctx, v, a)
		if err == nil {
			err = mgr.ProcessBundle(ctx, v, a, b)
		}
		if err != nil {
			why[a] = err
			if ctx.Err() != nil {
				return why
			}
		}
	}
	return why
}

// fetchBundle reads a device's published bundle of v.
func (l *link) fetchBundle(ctx context.Context, v e2ee.Version, a e2ee.Address) (*e2ee.Bundle, error) {
	owner, err := jid.Parse(a.JID)
	if err != nil {
		return nil, err
	}
	if owner.Equal(l.own) {
		owner = jid.JID{}
	}
	item := ""
	if v == e2ee.OMEMO2 {
		item = strconv.FormatUint(uint64(a.Device), 10)
	}
	items, err := l.pepItems(ctx, owner, bundleNode(v, a.Device), item)
	if err != nil {
		return nil, fmt.Errorf("bundle fetch failed: %w", err)
	}
	if len(items) == 0 {
		return nil, errors.New("no bundle published")
	}
	return items[0].bundleOf(v)
}

// explainEncrypt makes a one-line reason of a failed Encrypt.
func explainEncrypt(to jid.JID, err error, bundleErrs map[e2ee.Address]error) error {
	var nr *e2ee.NoRecipientsError
	if !errors.As(err, &nr) {
		return err
	}
	var parts []string
	seen := map[e2ee.Address]bool{}
	for _, s := range nr.Skipped {
		if s.Device.JID != to.String() {
			continue
		}
		seen[s.Device] = true
		why := s.Err
		if be := bundleErrs[s.Device]; be != nil && errors.Is(s.Err, e2ee.ErrNoSession) {
			why = be
		}
		parts = append(parts, fmt.Sprintf("device %d: %s", s.Device.Device, shortReason(why)))
		if errors.Is(why, e2ee.ErrIdentityMismatch) {
			parts[len(parts)-1] += fmt.Sprintf(" (after comparing its new fingerprint with %s: /omemo forget %s %d)", to, to, s.Device.Device)
		}
	}
	for a, be := range bundleErrs {
		if a.JID == to.String() && !seen[a] {
			parts = append(parts, fmt.Sprintf("device %d: %s", a.Device, shortReason(be)))
		}
	}
	msg := "no trusted OMEMO device of " + to.String() + " can receive it"
	if len(parts) > 0 {
		msg += " (" + strings.Join(parts, "; ") + ")"
	}
	return errors.New(msg)
}

// shortReason drops the e2ee package's prefixes from an error.
func shortReason(err error) string {
	var be *e2ee.BundleError
	if errors.As(err, &be) {
		err = be.Err
	}
	var de *e2ee.DeviceError
	if errors.As(err, &de) {
		err = de.Err
	}
	switch {
	case errors.Is(err, e2ee.ErrNotTrusted) && strings.Contains(err.Error(), "("+e2ee.Untrusted.String()+")"):
		return "you marked it untrusted"
	case errors.Is(err, e2ee.ErrNotTrusted):
		return "not trusted yet (/omemo devices to decide)"
	case errors.Is(err, e2ee.ErrIdentityMismatch):
		return "its identity key changed"
	}
	return strings.TrimPrefix(oneLine(err.Error()), "e2ee: ")
}

// reportSkipped tells the user, once per link, about devices that did not
// get a message because nobody decided to trust them.
func (l *link) reportSkipped(ctx context.Context, mgr *e2ee.Manager, skipped []e2ee.DeviceError) {
	for _, s := range skipped {
		if !errors.Is(s.Err, e2ee.ErrNotTrusted) {
			continue
		}
		l.om.mu.Lock()
		l.om.init()
		seen := l.om.reported[s.Device]
		l.om.reported[s.Device] = true
		l.om.mu.Unlock()
		if seen {
			continue
		}
		devs, err := mgr.Devices(ctx, s.Device.JID)
		if err != nil {
			continue
		}
		for _, d := range devs {
			if d.Address == s.Device && d.Trust == e2ee.Undecided && d.HasIdentity {
				l.c.events.emit(DeviceNeedsTrust{JID: d.JID, Device: d.Device, Fingerprint: d.Fingerprint.String()})
			}
		}
	}
}

// pickVersion chooses the OMEMO version of a message to a peer with devices
// peer, from an account with our other devices own: among the versions
// that reach at least one of the peer's devices (and that the user allows),
// the one that reaches the most devices in all, OMEMO 2 on a tie. One
// message has one version: a device that speaks only the other gets none.
func pickVersion(peer, own []e2ee.Device, pref VersionPreference) (e2ee.Version, bool) {
	// Devices the user rejected do not count, unless they are all there
	// is: Encrypt then says why nothing can be sent.
	for _, withRejected := range []bool{false, true} {
		reach := func(devs []e2ee.Device, v e2ee.Version) int {
			n := 0
			for _, d := range devs {
				if d.Listed.Has(v) && (withRejected || d.Trust != e2ee.Untrusted) {
					n++
				}
			}
			return n
		}
		best, bestN := e2ee.Version(0), -1
		for _, v := range []e2ee.Version{e2ee.OMEMO2, e2ee.Legacy} {
			if pref == PreferLegacy && v == e2ee.OMEMO2 || pref == PreferOMEMO2 && v == e2ee.Legacy {
				continue
			}
			if reach(peer, v) == 0 {
				continue
			}
			if n := reach(peer, v) + reach(own, v); n > bestN {
				best, bestN = v, n
			}
		}
		if bestN >= 0 {
			return best, true
		}
	}
	return 0, false
}
