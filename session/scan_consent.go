package session

import (
	"context"
	"errors"
	"fmt"

	"github.com/candor-xmpp/candor/scanhook"
)

// The consent bridge: scanhook's Asker publishes a request and blocks the
// message; the client turns it into a ConsentRequested event for the UI
// and takes the answer through ResolveConsent (or /consent). Requests whose
// message gave up are announced as withdrawn.

// EnableConsentDialog makes consent requests reach the UI as
// ConsentRequested events. Without it (headless commands) nobody is asked:
// what needs consent is sent only under a stored decision, and blocked
// otherwise, never sent by default.
func (c *Client) EnableConsentDialog() error {
	if _, err := c.scanner(); err != nil {
		return err
	}
	w := &c.scan
	w.mu.Lock()
	if w.dialog {
		w.mu.Unlock()
		return nil
	}
	w.dialog = true
	w.mu.Unlock()
	requests := w.asker.Subscribe(c.closing)
	go func() {
		for req := range requests {
			out := c.sessionRequest(req)
			w.mu.Lock()
			w.forwarded[out.ID] = out
			w.mu.Unlock()
			c.events.emit(ConsentRequested{Request: out})
		}
	}()
	return nil
}

// sessionRequest converts a request, naming the waiting message.
func (c *Client) sessionRequest(req scanhook.ConsentRequest) ConsentRequest {
	out := ConsentRequest{ID: req.ID, Mode: string(req.Mode), ModeTitle: req.ModeTitle, CreatedAt: req.CreatedAt,
		Question: req.Question, Covers: append([]string(nil), req.Covers...), Trigger: req.Trigger, Basis: req.Basis,
		AcceptLabel: req.AcceptLabel, DeclineLabel: req.DeclineLabel}
	c.scan.mu.Lock()
	if m, ok := c.scan.inflight[req.MessageID]; ok {
		out.Peer, out.MessageID = m.Peer, m.ID
	}
	c.scan.mu.Unlock()
	return out
}

// beginCheck and endCheck track the messages under check; when a check
// ends, requests shown to the UI that are no longer pending and that we
// did not answer were withdrawn.
func (c *Client) beginCheck(out outgoing) {
	c.scan.mu.Lock()
	c.scan.inflight[out.OriginID] = out
	c.scan.mu.Unlock()
}

func (c *Client) endCheck(out outgoing) {
	w := &c.scan
	pending := map[string]bool{}
	for _, r := range w.asker.Pending() {
		pending[r.ID] = true
	}
	var withdrawn []string
	w.mu.Lock()
	delete(w.inflight, out.OriginID)
	for id := range w.forwarded {
		if !pending[id] && !w.resolving[id] {
			delete(w.forwarded, id)
			withdrawn = append(withdrawn, id)
		}
	}
	w.mu.Unlock()
	for _, id := range withdrawn {
		c.events.emit(ConsentClosed{ID: id})
	}
}

// PendingConsent implements Scanning.
func (c *Client) PendingConsent() []ConsentRequest {
	if _, err := c.scanner(); err != nil {
		return nil
	}
	var out []ConsentRequest
	for _, r := range c.scan.asker.Pending() {
		out = append(out, c.sessionRequest(r))
	}
	return out
}

// ResolveConsent implements Scanning.
func (c *Client) ResolveConsent(ctx context.Context, id string, accept bool) error {
	if _, err := c.scanner(); err != nil {
		return err
	}
	w := &c.scan
	w.mu.Lock()
	w.resolving[id] = true
	w.mu.Unlock()
	err := w.asker.Resolve(ctx, id, accept)
	w.mu.Lock()
	delete(w.resolving, id)
	_, shown := w.forwarded[id]
	if err == nil {
		delete(w.forwarded, id)
	}
	w.mu.Unlock()
	if errors.Is(err, scanhook.ErrUnknownRequest) {
		return fmt.Errorf("consent request %s was already answered or withdrawn", id)
	}
	if err != nil {
		return err
	}
	if shown {
		decision := scanhook.ConsentDeclined
		if accept {
			decision = scanhook.ConsentAccepted
		}
		c.events.emit(ConsentClosed{ID: id, Decision: string(decision)})
	}
	return nil
}

// SetConsent implements Scanning: a decision typed with /consent.
func (c *Client) SetConsent(ctx context.Context, decision string) error {
	return c.setConsent(ctx, decision, scanhook.ViaCommand)
}

// SetConsentFromFlag records a decision given on the command line of a
// headless command (audited as "config").
func (c *Client) SetConsentFromFlag(ctx context.Context, decision string) error {
	return c.setConsent(ctx, decision, scanhook.ViaConfig)
}

func (c *Client) setConsent(ctx context.Context, decision string, via scanhook.ConsentVia) error {
	state, err := scanhook.ParseConsentState(decision)
	if err != nil {
		return err
	}
	p, err := c.scanner()
	if err != nil {
		return err
	}
	account, err := c.scanAccount()
	if err != nil {
		return err
	}
	mode := p.Settings().Mode
	if state != scanhook.ConsentUndecided {
		// An open request of this mode is answered by the decision: the
		// waiting message goes on at once.
		for _, r := range c.scan.asker.Pending() {
			if r.Account == account && r.Mode == mode {
				return c.ResolveConsent(ctx, r.ID, state == scanhook.ConsentAccepted)
			}
		}
	}
	return p.SetConsent(ctx, account, state, via)
}

// ConsentStatus implements Scanning.
func (c *Client) ConsentStatus(ctx context.Context) (ConsentStatus, error) {
	p, err := c.scanner()
	if err != nil {
		return ConsentStatus{}, err
	}
	account, err := c.scanAccount()
	if err != nil {
		return ConsentStatus{}, err
	}
	v, err := p.ConsentView(ctx, account, 50)
	if err != nil {
		return ConsentStatus{}, err
	}
	out := ConsentStatus{Mode: string(v.Mode), Rule: v.Rule.Text, Applies: v.Applies, Covers: v.Covers,
		Question: v.Question, State: string(v.Current.State), DecidedAt: v.Current.DecidedAt,
		Via: string(v.Current.Via), Pending: c.PendingConsent()}
	for _, e := range v.Log {
		out.Log = append(out.Log, ConsentLogEntry{At: e.At, Mode: string(e.Mode), Decision: string(e.Decision),
			Covers: e.Covers, Via: string(e.Via), RequestID: e.RequestID, Question: e.Question})
	}
	return out, nil
}
