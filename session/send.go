package session

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"strings"
	"unicode/utf8"

	"mellium.im/xmlstream"

	"github.com/candor-xmpp/candor/internal/store"
)

// The send pipeline. Send only queues; the outbox sender of the live link
// takes the queue in order, one message at a time:
//
//	outbox -> policy (scanhook, scan_stage.go) -> [encrypt: the e2ee
//	stage goes here] -> commit (mark written) -> stanza out -> confirm -> event
//
// Exactly once across crashes and lost connections: an entry is marked
// written before its stanza goes out, and leaves the outbox only when the
// server confirms it: by a stream management ack (XEP-0198, which mellium
// lacks; sm.go is a minimal one without resumption), by the archive showing
// our message with its origin-id at the next catch-up, or by a delivery
// receipt. A written entry that none of these confirmed is sent again after
// the catch-up; it keeps its origin-id (and stanza id), so a recipient that
// got it anyway can recognise the copy. A server with neither stream
// management nor an archive gets each message once and we trust the TCP
// write.

// maxBody bounds a message body (servers cut stanzas at some 256 KiB).
const maxBody = 100_000

// Send implements Backend.
func (c *Client) Send(ctx context.Context, req SendRequest) (Message, error) {
	return c.send(ctx, req, nil)
}

// send queues a message; file, when set, is stored with it in the same
// transaction: the link of an upload (sendfile.go) goes through this very
// pipeline, so that it is encrypted (and scanned) like any text.
func (c *Client) send(ctx context.Context, req SendRequest, file *queuedFile) (Message, error) {
	to, err := parseBare(req.To)
	if err != nil {
		return Message{}, err
	}
	if strings.TrimSpace(req.Body) == "" {
		return Message{}, fmt.Errorf("message to %s is empty", to)
	}
	if len(req.Body) > maxBody {
		return Message{}, fmt.Errorf("message to %s is too long (%d bytes, at most %d)", to, len(req.Body), maxBody)
	}
	if !utf8.ValidString(req.Body) {
		return Message{}, fmt.Errorf("message to %s is not valid UTF-8", to)
	}
	st, err := c.store()
	if err != nil {
		return Message{}, err
	}
	id := newID()
	scheme, err := c.intendedScheme(ctx, st, to, req.Plaintext)
	if err != nil {
		return Message{}, err
	}
	m := store.Message{
		Peer: to.String(), Direction: int(Outgoing), Body: req.Body, Time: c.clock.Now(),
		State: int(Queued), OriginID: id, MsgID: id, Source: int(Live), EncScheme: string(scheme),
	}
	if err := enqueue(ctx, st, &m, file); err != nil {
		return Message{}, fmt.Errorf("message to %s not queued: %v", to, err)
	}
	msg := withFile(fromStore(m), file.fileRow())
	c.events.emit(MessageAdded{Message: msg})
	c.kickOutbox()
	return msg, nil
}

// newID is a random id for stanzas and origin-ids.
func newID() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// outboxLoop sends the outbox while the link is up.
func (l *link) outboxLoop() {
	for l.drainOutbox() {
		select {
		case <-l.c.kick:
		case <-l.ctx.Done():
			return
		}
	}
}

// drainOutbox sends, oldest first, every queued message not yet written on
// this link. It returns false when the link went down.
func (l *link) drainOutbox() bool {
	for {
		entries, err := l.st.Outbox(l.ctx)
		if err != nil {
			if l.ctx.Err() == nil {
				l.c.notice(Error, "cannot read the outbox: "+err.Error())
			}
			return l.ctx.Err() == nil
		}
		var next *store.OutboxEntry
		for i := range entries {
			if !l.isWritten(entries[i].ID) {
				next = &entries[i]
				break
			}
		}
		if next == nil {
			return true
		}
		if err := l.sendQueued(*next); err != nil {
			return false
		}
	}
}

// sendQueued runs one message through the pipeline. An error means the
// link is broken; the message stays queued.
func (l *link) sendQueued(e store.OutboxEntry) error {
	// Stage: policy. scanhook (SIMULATION) checks the plaintext; a blocked
	// message leaves the outbox as Failed with the reason (scan_stage.go).
	if stop, err := l.policyStage(e); stop || err != nil {
		return err
	}

	// Stage: encrypt. A message that cannot be encrypted fails here, and
	// nothing goes out.
	payload, err := l.encryptStage(e)
	if err != nil {
		return l.encryptFailed(e, err)
	}

	// Stage: commit. Written before the stanza goes out: after a crash in
	// between, the archive decides whether it arrived.
	l.markWritten(e.Message)
	if err := l.st.MarkWritten(l.ctx, e.ID); err != nil {
		if l.ctx.Err() != nil {
			return l.ctx.Err()
		}
		l.c.notice(Error, fmt.Sprintf("message to %s not sent: %v", e.Peer, err))
		return err
	}

	// Stage: stanza out.
	if err := l.send(payload); err != nil {
		l.abort(err)
		return err
	}

	// Stage: confirm and tell.
	switch {
	case l.sm.enabled():
		// The ack (or the archive, or a receipt) will confirm it.
		if err := l.sendTokens(smRequest()); err != nil {
			l.abort(err)
			return err
		}
	case l.noMAM:
		l.outboxDone(e.Message, Sent, "")
	default:
		// Shown as sent; it stays queued until the archive confirms it.
		if err := l.st.SetState(l.ctx, e.ID, int(Sent), ""); err == nil {
			l.c.events.emit(MessageUpdated{ID: e.ID, Peer: e.Peer, State: Sent})
		}
	}
	return nil
}

// wireChat is an outgoing chat message in plaintext.
type wireChat struct {
	XMLName  xml.Name `xml:"message"`
	To       string   `xml:"to,attr"`
	ID       string   `xml:"id,attr"`
	Type     string   `xml:"type,attr"`
	Body     string   `xml:"body"`
	OriginID wireID   `xml:"urn:xmpp:sid:0 origin-id"`
	Request  struct{} `xml:"urn:xmpp:receipts request"`
	Active   struct{} `xml:"http://jabber.org/protocol/chatstates active"`
}

// chatMessage is the stanza of a queued message. Its id is the origin-id,
// so receipts and errors that name the id find the message.
func chatMessage(m store.Message) wireChat {
	return wireChat{To: m.Peer, ID: m.MsgID, Type: "chat", Body: m.Body, OriginID: wireID{ID: m.OriginID}}
}

func smRequest() xml.TokenReader {
	return xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsSM, Local: "r"}})
}

// markWritten, isWritten and forgetWritten track the entries written on
// this link (by local id, and by stanza id for acks). An entry written on
// this link is never written on it again, even once confirmed: the outbox
// sender may have read the queue just before the confirmation removed it.
func (l *link) markWritten(m store.Message) {
	l.sendMu.Lock()
	defer l.sendMu.Unlock()
	l.written[m.ID] = true
	l.byMsgID[m.MsgID] = m
}

func (l *link) isWritten(id int64) bool {
	l.sendMu.Lock()
	defer l.sendMu.Unlock()
	return l.written[id]
}

func (l *link) forgetWritten(m store.Message) {
	l.sendMu.Lock()
	defer l.sendMu.Unlock()
	delete(l.byMsgID, m.MsgID)
}

// unconfirmed reports whether messages written on this link still wait
// for the server's confirmation.
func (l *link) unconfirmed() bool {
	l.sendMu.Lock()
	defer l.sendMu.Unlock()
	return len(l.byMsgID) > 0
}

// confirmSent takes the messages the server acknowledged out of the
// outbox.
func (l *link) confirmSent(ids []string) {
	for _, id := range ids {
		l.sendMu.Lock()
		m, ok := l.byMsgID[id]
		l.sendMu.Unlock()
		if ok {
			l.outboxDone(m, Sent, "")
		}
	}
}
