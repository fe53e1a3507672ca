package session

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/candor-xmpp/candor/internal/store"
	"github.com/candor-xmpp/candor/scanhook"
)

// outgoing is a message on its way out, in plaintext, as the scan stage
// sees it.
type outgoing struct {
	// ID is the local id of the stored message; 0 when it is not stored
	// yet, and then no verdict is kept.
	ID       int64
	OriginID string
	Peer     string // bare JID
	Body     string
}

// scanStage is the policy stage of the send pipeline: scanhook (SIMULATION)
// checks the plaintext of out and its attachments before anything is
// encrypted, and the verdict is kept with the message (out.ID) and
// announced as MessageScanned.
//
// It returns nil, nil when scanning is off: nothing is checked, read or
// kept (zero cost). Otherwise a verdict already kept for out.ID is
// returned as it is: a message sent again after a lost connection is not
// scanned, nor reported, twice.
//
// A verdict that blocks the body (Decision.SendBody false) is not kept
// here: the caller fails the message and keeps the verdict in one step
// (store.BlockQueued, as policyStage does), so that no crash leaves a
// blocked message queued.
//
// The file sender calls it too, with the attachments in plaintext, before
// XEP-0454 encryption and upload (after those nothing is scannable):
// attachments that Result.AttachmentAllowed refuses must not be uploaded,
// and when Result.Decision.SendBody is false the message must not be
// sent. Keep the verdict on the message that carries the aesgcm:// link
// (give its id in out.ID, or store it later with keepVerdict) so that the
// outbox does not scan the link again.
//
// It blocks while a consent request is open, and returns an error only
// when ctx ends then (the message stays queued) or the verdict cannot be
// kept (the caller must not send: scanning fails closed).
func (c *Client) scanStage(ctx context.Context, out outgoing, attachments []scanhook.Attachment) (*scanhook.Result, error) {
	if !c.scan.built.Load() {
		return nil, nil // never switched on: off
	}
	p, err := c.scanner()
	if err != nil {
		return nil, err
	}
	if p.Settings().Mode == scanhook.ModeOff {
		return nil, nil
	}
	if out.ID != 0 {
		if res, ok, err := c.keptVerdict(ctx, out.ID); err != nil || ok {
			return res, err
		}
	}
	account, err := c.scanAccount()
	if err != nil {
		return nil, err
	}
	facts := c.currentFacts()
	msg := scanhook.Message{ID: out.OriginID, Account: account, Recipients: []string{out.Peer},
		Body: out.Body, Attachments: attachments, EndToEndEncrypted: c.chatEncrypted(out.Peer),
		ProviderScans: facts.providerScans, Targeted: facts.targeted, ChildUser: facts.childUser}
	c.beginCheck(out)
	res, err := p.Check(ctx, msg)
	c.endCheck(out)
	if err != nil {
		return nil, err
	}
	if out.ID != 0 && res.Decision.SendBody {
		if err := c.keepVerdict(ctx, out.ID, res); err != nil {
			return nil, err
		}
	}
	c.events.emit(MessageScanned{Peer: out.Peer, Verdict: verdictOf(out.ID, res)})
	return res, nil
}

// keepVerdict stores the verdict on message id.
func (c *Client) keepVerdict(ctx context.Context, id int64, res *scanhook.Result) error {
	st, err := c.store()
	if err != nil {
		return err
	}
	row, err := verdictRow(id, res)
	if err != nil {
		return err
	}
	if err := st.SaveScanVerdict(ctx, row); err != nil {
		return fmt.Errorf("scan verdict not kept, so the message is not sent: %w", err)
	}
	return nil
}

// keptVerdict returns the verdict stored on message id, if any.
func (c *Client) keptVerdict(ctx context.Context, id int64) (*scanhook.Result, bool, error) {
	st, err := c.store()
	if err != nil {
		return nil, false, err
	}
	v, found, err := st.ScanVerdict(ctx, id)
	if err != nil || !found {
		return nil, false, err
	}
	var res scanhook.Result
	if err := json.Unmarshal(v.Result, &res); err != nil {
		return nil, false, fmt.Errorf("scan verdict of message %d: %v", id, err)
	}
	return &res, true, nil
}

func verdictRow(id int64, res *scanhook.Result) (store.ScanVerdict, error) {
	b, err := json.Marshal(res)
	if err != nil {
		return store.ScanVerdict{}, fmt.Errorf("scan verdict of message %d: %v", id, err)
	}
	return store.ScanVerdict{MessageID: id, Mode: string(res.Mode), Action: string(res.Decision.Action),
		Scanned: res.ScannedBeforeEncryption, Reported: res.Decision.Reported, Summary: res.Decision.Summary,
		Reason: blockReason(res), Result: b, At: res.StartedAt}, nil
}

func verdictOf(id int64, res *scanhook.Result) ScanVerdict {
	return ScanVerdict{MessageID: id, Mode: string(res.Mode), Action: ScanAction(res.Decision.Action),
		Scanned: res.ScannedBeforeEncryption, Reported: res.Decision.Reported, Summary: res.Decision.Summary,
		Reason: blockReason(res), At: res.StartedAt}
}

// blockReason says in one line what was blocked and by which rule and
// article; "" when nothing was.
func blockReason(res *scanhook.Result) string {
	if res.Decision.Action != scanhook.ActionBlock {
		return ""
	}
	var what []string
	for _, p := range res.Parts {
		if !p.Blocked {
			continue
		}
		s := string(p.Kind)
		switch {
		case p.URL != nil:
			s += " " + p.URL.URL
		case p.Name != "":
			s += fmt.Sprintf(" %q", p.Name)
		}
		what = append(what, s+" ("+p.Origin+")")
	}
	if len(what) == 0 {
		what = []string{"the message"}
	}
	r := res.Decision.Rule
	return oneLine(fmt.Sprintf("SIMULATION scanhook %s blocked %s: %s [rule %s; %s]",
		res.Mode, strings.Join(what, ", "), r.Text, r.ID, r.Article))
}

// policyStage runs the scan stage on a queued message. stop says the
// message must not go out: it was blocked and has left the outbox as
// Failed with the reason (nothing was sent), or it could not be checked.
// An error means the link went down: the message stays queued.
func (l *link) policyStage(e store.OutboxEntry) (stop bool, err error) {
	out := outgoing{ID: e.ID, OriginID: e.OriginID, Peer: e.Peer, Body: e.Body}
	res, err := l.c.scanStage(l.ctx, out, nil)
	if err != nil {
		if l.ctx.Err() != nil {
			return true, l.ctx.Err()
		}
		// Fail closed: a message scanning should have checked is not sent.
		l.outboxDone(e.Message, Failed, oneLine("SIMULATION scanhook could not check the message, so it was not sent: "+err.Error()))
		return true, nil
	}
	if res == nil || res.Decision.SendBody {
		return false, nil
	}
	if err := l.c.failBlocked(l.ctx, e.Message, res); err != nil {
		if l.ctx.Err() != nil {
			return true, l.ctx.Err()
		}
		l.outboxDone(e.Message, Failed, blockReason(res))
	}
	l.forgetWritten(e.Message)
	return true, nil
}

// failBlocked takes a blocked message out of the outbox as Failed with the
// block reason, keeping the verdict in the same transaction, and tells the
// UI. Nothing happens to a message that left the outbox already.
func (c *Client) failBlocked(ctx context.Context, m store.Message, res *scanhook.Result) error {
	st, err := c.store()
	if err != nil {
		return err
	}
	row, err := verdictRow(m.ID, res)
	if err != nil {
		return err
	}
	done, err := st.BlockQueued(ctx, row, int(Failed), row.Reason)
	if err != nil {
		return err
	}
	if done {
		c.events.emit(MessageUpdated{ID: m.ID, Peer: m.Peer, State: Failed, Err: row.Reason})
	}
	return nil
}
