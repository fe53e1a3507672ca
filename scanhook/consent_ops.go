package scanhook

import (
	"context"
	"fmt"
)

// The operations behind `/consent`: show the decision in effect under the
// current mode with the audit log, and change it. Every change is audited.

// ConsentView returns what `/consent` shows for account under the current
// mode, with up to logLimit audit rows (newest first; 0 for all).
func (p *Pipeline) ConsentView(ctx context.Context, account string, logLimit int) (ConsentView, error) {
	s := p.Settings()
	m, err := Lookup(s.Mode)
	if err != nil {
		return ConsentView{}, err
	}
	v := ConsentView{Simulation: SimulationNotice, Account: account, Mode: m.Name, Rule: m.Consent,
		Applies: s.On(m, SwitchConsent)}
	if v.Applies {
		v.Covers = consentCovers(m, s)
		v.Question = ConsentQuestion(v.Covers)
	}
	if v.Current, err = p.consent.Consent(ctx, account, m.Name); err != nil {
		return v, err
	}
	if v.Log, err = p.consent.ConsentLog(ctx, account, logLimit); err != nil {
		return v, err
	}
	return v, nil
}

// SetConsent records a decision for account under the current mode, as the
// user typed it (`/consent accept|decline|reset`). It refuses when the mode
// asks for no consent, so that nobody believes a decision matters where it
// does not.
func (p *Pipeline) SetConsent(ctx context.Context, account string, state ConsentState, via ConsentVia) error {
	s := p.Settings()
	m, err := Lookup(s.Mode)
	if err != nil {
		return err
	}
	if !s.On(m, SwitchConsent) {
		return fmt.Errorf("consent: mode %s asks for no consent (%s)", m.Name, m.Consent.Text)
	}
	covers := consentCovers(m, s)
	return p.consent.RecordConsent(ctx, ConsentEvent{At: p.clock(), Account: account, Mode: m.Name,
		Decision: state, Covers: covers, Via: via, Question: ConsentQuestion(covers)})
}
