package session

import (
	"cmp"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"

	"github.com/candor-xmpp/candor/e2ee"
)

// Inspect implements EndToEnd: what the server sees of a message, read
// from the stanza recorded when it crossed the wire.
func (c *Client) Inspect(ctx context.Context, id int64) (Inspection, error) {
	st, err := c.store()
	if err != nil {
		return Inspection{}, err
	}
	sm, err := st.Message(ctx, id)
	if err != nil {
		return Inspection{}, fmt.Errorf("no message %d: %v", id, err)
	}
	msg := fromStore(sm)
	in := Inspection{Message: msg, Version: msg.Encryption.Scheme}
	w, ok, err := st.Wire(ctx, id)
	if err != nil {
		return in, err
	}
	own := c.ownJID()
	if ok {
		in.Stanza, in.Size, in.Trust, in.Note = w.Stanza, len(w.Stanza), Trust(w.Trust), w.Note
		if w.Version != 0 {
			in.Version = schemeOf(e2ee.Version(w.Version))
		}
		inspectStanza(&in, own)
		if in.Trust == "" && msg.Direction == Outgoing {
			in.Trust = TrustVerified
		}
	}
	if msg.Direction == Outgoing {
		if in.From == "" {
			in.From = own // the server stamps our full JID
		}
		if in.To == "" {
			in.To = msg.Peer
		}
	}
	if msg.State == Queued && msg.Encryption.Scheme == OMEMOPending {
		c.planKeys(ctx, &in)
	}
	if mgr, err := c.e2ee(ctx); err == nil {
		for i := range in.Keys {
			k := &in.Keys[i]
			k.Mine = k.Device == mgr.DeviceID() && (k.JID == "" || k.JID == own)
		}
	}
	if ok && msg.Direction == Outgoing && len(in.Keys) == 0 && w.Recipients != "" {
		var keys []wireKey
		if json.Unmarshal([]byte(w.Recipients), &keys) == nil {
			for _, k := range keys {
				in.Keys = append(in.Keys, InspectedKey{JID: k.JID, Device: k.Device, KeyExchange: k.KEX, Size: k.Size})
			}
		}
	}
	return in, nil
}

// inspectStanza reads the addresses, the fallback body and the OMEMO
// header of a recorded stanza, unwrapping carbons and archive results.
func inspectStanza(in *Inspection, own string) {
	var w wireMessage
	if xml.Unmarshal([]byte(in.Stanza), &w) != nil {
		return
	}
	inner := &w
	switch {
	case w.CarbonIn != nil && w.CarbonIn.Forwarded.Message != nil:
		inner = w.CarbonIn.Forwarded.Message
	case w.CarbonOut != nil && w.CarbonOut.Forwarded.Message != nil:
		inner = w.CarbonOut.Forwarded.Message
	case w.Result != nil && w.Result.Forwarded.Message != nil:
		inner = w.Result.Forwarded.Message
	}
	in.From, in.To = inner.From, inner.To
	in.Fallback, _ = pickText(inner.Bodies)
	el := cmp.Or(inner.OMEMO2, inner.OMEMO03)
	if el == nil {
		return
	}
	v, ok := versionOf(el.XMLName.Space)
	if !ok {
		return
	}
	p, err := parseOMEMO(v, el)
	if err != nil {
		if in.Note == "" {
			in.Note = err.Error()
		}
		return
	}
	in.Version = schemeOf(v)
	in.SenderDevice = p.SID
	in.PayloadSize, in.IVSize = len(p.Payload), len(p.IV)
	for _, k := range p.Keys {
		in.Keys = append(in.Keys, InspectedKey{JID: k.JID, Device: k.RID, KeyExchange: k.KeyExchange, Size: len(k.Data)})
	}
}

// planKeys lists the devices a queued message will be encrypted for, as
// things stand: the peer's and our own trusted devices with a session or
// a bundle to build one.
func (c *Client) planKeys(ctx context.Context, in *Inspection) {
	cs, err := c.ChatSecurity(ctx, in.Message.Peer)
	if err != nil || cs.Version == Plaintext {
		return
	}
	in.Planned = true
	in.Version = cs.Version
	for _, group := range [][]DeviceInfo{cs.Devices, cs.Own} {
		for _, d := range group {
			if d.Trust.Encrypts() && hasScheme(d.Versions, cs.Version) {
				k := InspectedKey{Device: d.ID, KeyExchange: !d.Session}
				if cs.Version == OMEMO2 {
					k.JID = d.JID
				}
				in.Keys = append(in.Keys, k)
			}
		}
	}
}
