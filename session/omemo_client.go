package session

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"mellium.im/xmpp/jid"

	"github.com/candor-xmpp/candor/e2ee"
	"github.com/candor-xmpp/candor/internal/store"
)

// The EndToEnd methods of Client.

var _ EndToEnd = (*Client)(nil)

// omemoFeatures are the disco features OMEMO adds: +notify subscribes us to
// our contacts' device lists (XEP-0163 §4, through our caps).
func omemoFeatures() []string {
	return []string{nodeDevicesLegacy + "+notify", nodeDevices2 + "+notify"}
}

// Chat encryption modes as stored.
const modePlaintext = "plaintext"

// intendedScheme is how a message queued to to will be protected: OMEMO
// unless the user chose plaintext for this message or this chat.
func (c *Client) intendedScheme(ctx context.Context, st *store.Store, to jid.JID, plaintext bool) (Scheme, error) {
	if plaintext {
		return Plaintext, nil
	}
	mode, err := st.ChatEncryption(ctx, to.String())
	if err != nil {
		return "", fmt.Errorf("message to %s not queued: %v", to, err)
	}
	if mode == modePlaintext {
		return Plaintext, nil
	}
	return OMEMOPending, nil
}

// chatEncrypted says whether messages to peer go end-to-end encrypted:
// OMEMO is on for the chat and peer has an OMEMO device (asked of the
// server first when online). scanhook's mode gate and file sharing ask it.
func (c *Client) chatEncrypted(peer string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	to, err := parseBare(peer)
	if err != nil {
		return false
	}
	st, err := c.store()
	if err != nil {
		return false
	}
	if mode, err := st.ChatEncryption(ctx, to.String()); err != nil || mode == modePlaintext {
		return false
	}
	mgr, err := c.e2ee(ctx)
	if err != nil {
		return false
	}
	c.refresh(ctx, mgr, to, true)
	devs, err := mgr.Devices(ctx, to.String())
	if err != nil {
		return false
	}
	for _, d := range devs {
		if d.Listed != 0 && d.Trust != e2ee.Untrusted {
			return true
		}
	}
	return false
}

// linkCanGo refuses, before anything is uploaded, an encrypted file to a
// contact without OMEMO: its link carries the key, and would have to go in
// the clear. Only a chat the user turned to plaintext sends it so.
func (c *Client) linkCanGo(ctx context.Context, plan FilePlan) error {
	if !plan.Encrypted || plan.PeerHasOMEMO {
		return nil
	}
	st, err := c.store()
	if err != nil {
		return err
	}
	if mode, err := st.ChatEncryption(ctx, plan.To); err != nil || mode == modePlaintext {
		return err
	}
	return fmt.Errorf("%s has no OMEMO device: the link to the encrypted file carries its key and cannot go end-to-end encrypted; "+
		"send the file without encryption, or turn encryption off for this chat to send the key in the clear", plan.To)
}

// carriesFileKey reports whether body holds an aesgcm:// link: its
// fragment is the key of an encrypted file, never to be sent in the clear
// (XEP-0454).
func carriesFileKey(body string) bool { return strings.Contains(strings.ToLower(body), "aesgcm://") }

// refresh fetches who's device lists (if not yet on this link) and the
// bundles of devices we know no key of, when online. It returns whether the
// lists are fresh and why not. forSend asks again even when the server
// refused a moment ago (see listsFetched).
func (c *Client) refresh(ctx context.Context, mgr *e2ee.Manager, who jid.JID, forSend bool) (bool, string) {
	l, err := c.online()
	if err != nil {
		return false, ""
	}
	var why string
	known := l.wasFetched(who.String())
	if forSend {
		known = l.listsFetched(who.String())
	}
	if !known {
		if err := l.refreshDevices(ctx, who); err != nil {
			why = oneLine(err.Error())
		}
	}
	for _, v := range e2ee.Versions {
		l.fetchBundles(ctx, mgr, v, who)
	}
	return l.wasFetched(who.String()), why
}

// ChatSecurity implements EndToEnd.
func (c *Client) ChatSecurity(ctx context.Context, peer string) (ChatSecurity, error) {
	to, err := parseBare(peer)
	if err != nil {
		return ChatSecurity{}, err
	}
	st, err := c.store()
	if err != nil {
		return ChatSecurity{}, err
	}
	mode, err := st.ChatEncryption(ctx, to.String())
	if err != nil {
		return ChatSecurity{}, err
	}
	mgr, err := c.e2ee(ctx)
	if err != nil {
		return ChatSecurity{}, err
	}
	cs := ChatSecurity{Peer: to.String(), Enabled: mode != modePlaintext}
	cs.Fresh, cs.Err = c.refresh(ctx, mgr, to, false)
	peerDevs, err := mgr.Devices(ctx, to.String())
	if err != nil {
		return cs, err
	}
	ownDevs, err := mgr.Devices(ctx, c.ownJID())
	if err != nil {
		return cs, err
	}
	for _, d := range peerDevs {
		cs.Devices = append(cs.Devices, deviceInfo(d))
	}
	for _, d := range ownDevs {
		cs.Own = append(cs.Own, deviceInfo(d))
	}
	cs.Version = Plaintext
	if v, ok := pickVersion(peerDevs, ownDevs, c.versionPreference()); ok && cs.Enabled {
		cs.Version = schemeOf(v)
	}
	return cs, nil
}

func (c *Client) ownJID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.addr.String()
}

// deviceInfos lists jid's known devices.
func (c *Client) deviceInfos(ctx context.Context, mgr *e2ee.Manager, who string) ([]DeviceInfo, error) {
	devs, err := mgr.Devices(ctx, who)
	if err != nil {
		return nil, err
	}
	out := make([]DeviceInfo, 0, len(devs))
	for _, d := range devs {
		out = append(out, deviceInfo(d))
	}
	return out, nil
}

func deviceInfo(d e2ee.Device) DeviceInfo {
	info := DeviceInfo{JID: d.JID, ID: d.Device, Trust: fromTrust(d.Trust), FirstSeen: d.FirstSeen, LastSeen: d.LastSeen}
	if d.HasIdentity {
		info.Fingerprint = d.Fingerprint.String()
	}
	for _, v := range e2ee.Versions {
		if d.Listed.Has(v) {
			info.Versions = append(info.Versions, schemeOf(v))
		}
	}
	info.Session = d.Sessions != 0
	return info
}

// SetChatEncryption implements EndToEnd.
func (c *Client) SetChatEncryption(ctx context.Context, peer string, on bool) error {
	to, err := parseBare(peer)
	if err != nil {
		return err
	}
	st, err := c.store()
	if err != nil {
		return err
	}
	mode := ""
	if !on {
		mode = modePlaintext
	}
	if err := st.SetChatEncryption(ctx, to.String(), mode); err != nil {
		return fmt.Errorf("encryption setting of %s: %v", to, err)
	}
	c.events.emit(SecurityChanged{Peer: to.String()})
	return nil
}

// RetryUnencrypted implements EndToEnd.
func (c *Client) RetryUnencrypted(ctx context.Context, id int64) error {
	st, err := c.store()
	if err != nil {
		return err
	}
	m, err := st.Message(ctx, id)
	if err != nil {
		return fmt.Errorf("no message %d: %v", id, err)
	}
	if m.Direction != int(Outgoing) || m.State != int(Failed) {
		return fmt.Errorf("message %d to %s is not a failed outgoing message", id, m.Peer)
	}
	if carriesFileKey(m.Body) {
		return fmt.Errorf("message %d to %s is an encrypted file's link: its key is never sent unencrypted (send the file again without encryption)", id, m.Peer)
	}
	if err := st.Requeue(ctx, id, string(Plaintext), int(Queued)); err != nil {
		return fmt.Errorf("message %d to %s not queued again: %v", id, m.Peer, err)
	}
	c.events.emit(EncryptionUpdated{ID: id, Peer: m.Peer})
	c.events.emit(MessageUpdated{ID: id, Peer: m.Peer, State: Queued})
	c.kickOutbox()
	return nil
}

// OwnDevice implements EndToEnd.
func (c *Client) OwnDevice(ctx context.Context) (DeviceInfo, error) {
	mgr, err := c.e2ee(ctx)
	if err != nil {
		return DeviceInfo{}, err
	}
	return DeviceInfo{JID: c.ownJID(), ID: mgr.DeviceID(), Fingerprint: mgr.Fingerprint().String(),
		Trust: TrustVerified, This: true, Versions: []Scheme{OMEMO03, OMEMO2}, Session: true}, nil
}

// Devices implements EndToEnd.
func (c *Client) Devices(ctx context.Context, who string) ([]DeviceInfo, error) {
	own := c.ownJID()
	if who == "" {
		who = own
	}
	j, err := parseBare(who)
	if err != nil {
		return nil, err
	}
	mgr, err := c.e2ee(ctx)
	if err != nil {
		return nil, err
	}
	c.refresh(ctx, mgr, j, true)
	out, err := c.deviceInfos(ctx, mgr, j.String())
	if err != nil {
		return nil, err
	}
	if j.String() == own {
		this, err := c.OwnDevice(ctx)
		if err != nil {
			return nil, err
		}
		out = append([]DeviceInfo{this}, out...)
	}
	return out, nil
}

// SetTrust implements EndToEnd: the device is found by its fingerprint,
// which is what the user compared.
func (c *Client) SetTrust(ctx context.Context, who, fingerprint string, trust Trust) error {
	j, err := parseBare(who)
	if err != nil {
		return err
	}
	fp, err := e2ee.ParseFingerprint(fingerprint)
	if err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "e2ee: "))
	}
	t, err := toTrust(trust)
	if err != nil {
		return err
	}
	mgr, err := c.e2ee(ctx)
	if err != nil {
		return err
	}
	if fp == mgr.Fingerprint() && j.String() == c.ownJID() {
		return errors.New("that is this device's own fingerprint")
	}
	devs, err := mgr.Devices(ctx, j.String())
	if err != nil {
		return err
	}
	found := false
	for _, d := range devs {
		if !d.HasIdentity || d.Fingerprint != fp {
			continue
		}
		if err := mgr.SetTrust(ctx, d.Address, fp, t); err != nil {
			return fmt.Errorf("trust in %s device %d not changed: %v", j, d.Device, shortReason(err))
		}
		found = true
	}
	if !found {
		return fmt.Errorf("no known device of %s has the fingerprint %s (/omemo devices %s lists them)", j, fp, j)
	}
	c.events.emit(SecurityChanged{Peer: j.String()})
	return nil
}

// ForgetDevice implements EndToEnd.
func (c *Client) ForgetDevice(ctx context.Context, who string, id uint32) error {
	j, err := parseBare(who)
	if err != nil {
		return err
	}
	mgr, err := c.e2ee(ctx)
	if err != nil {
		return err
	}
	if j.String() == c.ownJID() && id == mgr.DeviceID() {
		return errors.New("that is this device: it cannot forget itself")
	}
	devs, err := mgr.Devices(ctx, j.String())
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(devs, func(d e2ee.Device) bool { return d.Device == id }) {
		return fmt.Errorf("%s has no device %d that this device knows (/omemo devices %s lists them)", j, id, j)
	}
	if err := mgr.ForgetDevice(ctx, e2ee.Address{JID: j.String(), Device: id}); err != nil {
		return fmt.Errorf("device %d of %s not forgotten: %v", id, j, shortReason(err))
	}
	c.events.emit(SecurityChanged{Peer: j.String()})
	return nil
}

// VerificationURI implements EndToEnd.
func (c *Client) VerificationURI(ctx context.Context) (string, error) {
	mgr, err := c.e2ee(ctx)
	if err != nil {
		return "", err
	}
	own := c.ownJID()
	fp := mgr.Fingerprint()
	var b strings.Builder
	b.WriteString("xmpp:" + escapeURIJID(own) + "?omemo-sid-" + strconv.FormatUint(uint64(mgr.DeviceID()), 10) + "=" + hex.EncodeToString(fp[:]))
	devs, err := mgr.Devices(ctx, own)
	if err != nil {
		return "", err
	}
	for _, d := range devs {
		if d.Trust == e2ee.Verified && d.HasIdentity && d.Listed != 0 {
			b.WriteString(";omemo-sid-" + strconv.FormatUint(uint64(d.Device), 10) + "=" + hex.EncodeToString(d.Fingerprint[:]))
		}
	}
	return b.String(), nil
}

// escapeURIJID percent-encodes the characters of a JID that an xmpp: URI
// (RFC 5122) cannot carry as they are.
func escapeURIJID(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9',
			strings.IndexByte("-._~!$'()*+,=@:", ch) >= 0:
			b.WriteByte(ch)
		default:
			fmt.Fprintf(&b, "%%%02X", ch)
		}
	}
	return b.String()
}
