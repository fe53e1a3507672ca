package session

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"

	"mellium.im/xmpp/jid"

	"github.com/candor-xmpp/candor/internal/store"
)

// The receive pipeline. The handler (handler.go) decodes and hands off; the
// worker below takes one item at a time, in the order they arrived:
//
//	classify -> signals (receipts, chat states, errors) -> hold while the
//	archive catches up -> dedupe -> [decrypt: the e2ee stage goes here]
//	-> store -> receipt reply -> event
//
// Dedupe comes before decryption so that a copy of a message is never
// decrypted twice (a ratchet must not advance for a duplicate).

// worker runs the pipeline until the link's stream ends, then finishes what
// is queued.
func (l *link) worker() {
	for item := range l.in {
		l.process(item)
	}
	if len(l.held) > 0 {
		l.flushHeld()
	}
}

func (l *link) process(item inbound) {
	defer func() {
		if r := recover(); r != nil {
			l.c.notice(Warning, fmt.Sprintf("dropped a stanza that could not be processed: %v", r))
		}
	}()
	switch v := item.(type) {
	case msgIn:
		l.receiveMessage(v)
	case presIn:
		l.receivePresence(v)
	case rosterPush:
		l.applyRosterPush(v)
	case smAcked:
		l.confirmSent(v.ids)
	case deviceListIn:
		l.receiveDeviceList(v)
	case catchUpBegin:
		l.catchingUp, l.fetched, l.oldHistory = true, 0, false
		l.beginCatchUp()
	case catchUpFirst:
		l.oldHistory = true
	case catchUpPage:
		if err := l.st.SetArchivePosition(context.Background(), v.last); err != nil {
			l.c.notice(Warning, "cannot record the archive position: "+err.Error())
		}
	case catchUpEnd:
		l.catchingUp = false
		l.caughtUp = v.ok
		l.c.events.emit(ArchiveSynced{Fetched: l.fetched, Err: v.err})
		l.flushHeld()
		if len(l.older) == 0 { // else the last older-history query ends it
			l.endCatchUp()
		}
		close(v.done)
	case olderBegin:
		l.beginOlder(v)
	case olderEnd:
		l.endOlder(v)
	}
}

// direction says which side of a conversation a message belongs to.
func direction(m msgIn, own jid.JID) (Direction, jid.JID, bool) {
	if m.from.Bare().Equal(own) {
		if m.to.Equal(jid.JID{}) {
			return Outgoing, jid.JID{}, false
		}
		return Outgoing, m.to.Bare(), true
	}
	if m.from.Equal(jid.JID{}) {
		return Incoming, jid.JID{}, false
	}
	return Incoming, m.from.Bare(), true
}

func (l *link) receiveMessage(m msgIn) {
	dir, peer, ok := direction(m, l.own)
	if !ok {
		return
	}
	if m.typ == "error" {
		if m.source == Live {
			l.messageFailed(peer, m.id, m.errText)
		}
		return
	}
	if m.receipt != "" && dir == Incoming {
		l.delivered(peer, m.receipt)
	}
	if m.state != "" && dir == Incoming && m.source == Live {
		l.c.events.emit(ChatStateChanged{Peer: peer.String(), State: m.state})
	}
	if !m.hasBody && m.omemo == nil {
		return
	}
	if l.catchingUp && m.source != Archive {
		if len(l.held) < maxHeld {
			l.held = append(l.held, m)
			return
		}
		// Too many held: store now, the order matters less than memory.
	}
	l.storeMessage(m, dir, peer)
}

// maxHeld bounds the live messages held during a catch-up.
const maxHeld = 10000

func (l *link) flushHeld() {
	held := l.held
	l.held = nil
	for _, m := range held {
		if dir, peer, ok := direction(m, l.own); ok {
			l.storeMessage(m, dir, peer)
		}
	}
}

// storeMessage runs dedupe, decryption, storage and the event.
func (l *link) storeMessage(m msgIn, dir Direction, peer jid.JID) {
	if !m.hasBody { // an OMEMO key transport: nothing to show
		l.receiveKeyTransport(m)
		return
	}
	ctx := context.Background()
	at := m.stamp
	if at.IsZero() {
		at = l.c.clock.Now()
	}
	// Stage: dedupe.
	dup, found, err := l.st.FindDuplicate(ctx, store.DedupeKey{
		Peer: peer.String(), Direction: int(dir), OriginID: m.originID,
		StanzaID: m.stanzaID, Body: m.body, Time: at,
	})
	if err != nil {
		l.c.notice(Error, fmt.Sprintf("message from %s not stored: %v", peer, err))
		return
	}
	if found {
		l.merge(dup, m)
		l.answerReceipt(m, dir)
		return
	}
	// Older history goes below every stored message (older.go).
	older := l.olderBatchOf(m)
	var olderID int64
	if older != nil {
		var ok bool
		if olderID, ok = older.olderID(); !ok {
			return
		}
	}
	// Stage: decrypt.
	dec := l.decryptStage(m, dir, peer)
	if dec.skip {
		return
	}
	body, enc := dec.body, dec.enc
	// Stage: files (recvfile.go): a shared file is stored with its message.
	file := fileOf(body, m.oob)
	// Stage: store.
	state := Received
	if dir == Outgoing {
		state = Sent // another client of ours sent it: the server has it
	}
	sm := store.Message{
		ID: olderID, Peer: peer.String(), Resource: m.from.Resourcepart(), Direction: int(dir), Body: body,
		Time: at, State: int(state), OriginID: m.originID, StanzaID: m.stanzaID, MsgID: m.id,
		Source: int(m.source), EncScheme: string(enc.Scheme), EncDevice: enc.DeviceID, EncTrusted: enc.Trusted,
	}
	// History fetched at the very first login, or on demand, is not news.
	unread := dir == Incoming && !(m.source == Archive && l.oldHistory) && older == nil
	if err := l.insertReceived(ctx, &sm, unread, file); err != nil {
		if !errors.Is(err, store.ErrDuplicate) {
			l.c.notice(Error, fmt.Sprintf("message from %s not stored: %v", peer, err))
		}
		return
	}
	l.recordWire(sm.ID, m, dec)
	// Stage: receipt, decided before anyone sees the message (and, say,
	// replies, which would make the sender known).
	l.answerReceipt(m, dir)
	// Stage: event.
	switch {
	case older != nil:
		older.next++
		older.added++
	case m.source == Archive:
		l.fetched++
	}
	msg := withFile(fromStore(sm), file)
	l.c.events.emit(MessageAdded{Message: msg})
	l.unreadAfterStore(sm.Peer, dir, m.source, unread)
	if older == nil {
		l.autoDownload(msg, m)
	}
	// Live messages after a complete catch-up move the archive position,
	// so that the next catch-up does not fetch them again; but not past our
	// own messages that only the archive can still confirm.
	if l.caughtUp && m.source != Archive && m.stanzaID != "" && dir == Incoming && !l.unconfirmed() {
		if err := l.st.SetArchivePosition(ctx, m.stanzaID); err != nil {
			l.c.notice(Warning, "cannot record the archive position: "+err.Error())
		}
	}
}

// merge learns from another copy of a stored message: the server's id, and
// for our own queued message, that the server has it.
func (l *link) merge(dup store.Message, m msgIn) {
	ctx := context.Background()
	if m.stanzaID != "" && dup.StanzaID == "" {
		if err := l.st.SetStanzaID(ctx, dup.ID, m.stanzaID); err != nil {
			l.c.notice(Warning, "cannot record a message's server id: "+err.Error())
		}
	}
	if dup.Direction == int(Outgoing) && m.source != Live {
		l.outboxDone(dup, Sent, "")
	}
}

// outboxDone takes a message out of the outbox with its final state and
// tells the UI; nothing happens if it already left.
func (l *link) outboxDone(m store.Message, state DeliveryState, errText string) {
	done, err := l.st.OutboxDone(context.Background(), m.ID, int(state), errText)
	if err != nil {
		l.c.notice(Error, fmt.Sprintf("cannot update a message to %s: %v", m.Peer, err))
		return
	}
	l.forgetWritten(m)
	if done {
		l.c.events.emit(MessageUpdated{ID: m.ID, Peer: m.Peer, State: state, Err: errText})
	}
}

// delivered marks our message id to peer Delivered (XEP-0184).
func (l *link) delivered(peer jid.JID, id string) {
	ctx := context.Background()
	m, ok, err := l.st.OutgoingByMsgID(ctx, peer.String(), id)
	if err != nil || !ok || m.State == int(Delivered) {
		return
	}
	if in, _ := l.st.InOutbox(ctx, m.ID); in {
		l.outboxDone(m, Delivered, "")
		return
	}
	if err := l.st.SetState(ctx, m.ID, int(Delivered), ""); err != nil {
		return
	}
	l.c.events.emit(MessageUpdated{ID: m.ID, Peer: m.Peer, State: Delivered})
}

// messageFailed marks our message id to peer Failed with the error the
// server or the peer returned.
func (l *link) messageFailed(peer jid.JID, id, reason string) {
	if id == "" {
		return
	}
	ctx := context.Background()
	m, ok, err := l.st.OutgoingByMsgID(ctx, peer.String(), id)
	if err != nil || !ok || m.State == int(Failed) {
		return
	}
	if in, _ := l.st.InOutbox(ctx, m.ID); in {
		l.outboxDone(m, Failed, reason)
		return
	}
	if err := l.st.SetState(ctx, m.ID, int(Failed), reason); err != nil {
		return
	}
	l.c.events.emit(MessageUpdated{ID: m.ID, Peer: m.Peer, State: Failed, Err: reason})
}

// answerReceipt confirms a live message that asked for it (XEP-0184). Not
// for carbons (the receiving client answers) or archive copies, and only to
// contacts and to those we wrote to: a receipt tells the sender we are
// online, which strangers need not learn (XEP-0184 §8).
func (l *link) answerReceipt(m msgIn, dir Direction) {
	if m.source != Live || dir != Incoming || !m.request || m.id == "" {
		return
	}
	if !l.knows(m.from.Bare().String()) {
		return
	}
	if err := l.send(receiptMessage(m.from, m.id)); err != nil && l.ctx.Err() == nil {
		l.c.notice(Warning, fmt.Sprintf("delivery receipt to %s not sent: %v", m.from.Bare(), err))
	}
}

// wireReceipt is a message carrying only a delivery receipt.
type wireReceipt struct {
	XMLName  xml.Name `xml:"message"`
	To       string   `xml:"to,attr"`
	ID       string   `xml:"id,attr"`
	Received wireID   `xml:"urn:xmpp:receipts received"`
}

func receiptMessage(to jid.JID, id string) wireReceipt {
	return wireReceipt{To: to.String(), ID: newID(), Received: wireID{ID: id}}
}

// fromStore converts a stored message for the UI.
func fromStore(m store.Message) Message {
	return Message{
		ID: m.ID, Peer: m.Peer, Resource: m.Resource, Direction: Direction(m.Direction), Body: m.Body,
		Time: m.Time, State: DeliveryState(m.State), Err: m.Err, OriginID: m.OriginID, StanzaID: m.StanzaID,
		Source:     Source(m.Source),
		Encryption: Encryption{Scheme: Scheme(m.EncScheme), DeviceID: m.EncDevice, Trusted: m.EncTrusted},
	}
}

// knows reports whether peer is in the roster or was written to.
func (l *link) knows(peer string) bool {
	if l.c.roster.has(peer) {
		return true
	}
	ok, err := l.st.HasOutgoing(context.Background(), peer)
	return err == nil && ok
}
