package scanhook

import (
	"context"
	"errors"
	"fmt"
)

// consentGated reports whether consent covers a part under the settings:
// images, videos, their frames and thumbnails, and links when the mode's
// reading includes them.
func consentGated(m Mode, s Settings, part *Part) bool {
	switch part.Kind {
	case PartImage, PartVideo, PartVideoFrame, PartThumbnail:
		return true
	case PartLink:
		return s.On(m, SwitchConsentLinks)
	}
	return false
}

// consentGate applies the consent rule: in a consent mode the first image,
// video or link needs a decision; without consent those parts are blocked
// before any scanning and text still goes.
func (p *Pipeline) consentGate(ctx context.Context, m Mode, s Settings, msg *Message, res *Result) error {
	if !s.On(m, SwitchConsent) {
		return nil
	}
	covers := consentCovers(m, s)
	res.Consent.Covers = covers
	if !s.On(m, SwitchConsentSend) {
		res.Consent.Note = "under the receiving reading, consent gates what a user may download; this client " +
			"simulates sending only, so sending is not gated: " + reasonFor(m, s, SwitchConsentSend)
		return nil
	}
	var gated []int
	for i := range res.Parts {
		if consentGated(m, s, &res.Parts[i]) {
			gated = append(gated, i)
		}
	}
	if len(gated) == 0 {
		return nil
	}
	res.Consent.Required = true
	if msg.Account == "" {
		// Consent is kept per account; without one it can be neither read nor kept.
		res.Consent.State = ConsentUndecided
		res.Consent.Note = "the message names no account, so no consent can apply to it"
		blockGated(m, s, res, gated, ConsentUndecided)
		return nil
	}
	rec, err := p.consent.Consent(ctx, msg.Account, m.Name)
	if err != nil {
		res.Errors = append(res.Errors, "reading consent: "+err.Error())
		rec.State = ConsentUndecided
	}
	state := rec.State
	if state == ConsentUndecided && p.asker != nil {
		first := res.Parts[gated[0]]
		req := ConsentRequest{
			Account: msg.Account, Mode: m.Name, ModeTitle: m.Title, MessageID: msg.ID,
			Question: ConsentQuestion(covers), Covers: covers,
			Trigger: fmt.Sprintf("this message has a %s (%s)", first.Kind, first.Origin),
			Basis:   reasonFor(m, s, SwitchConsent) + "; " + m.Consent.Text,
			AcceptLabel: "Accept: " + joinAnd(covers) + " are scanned on this device before encryption, " +
				"matches are reported to " + m.Reports.Recipient,
			DeclineLabel: "Decline: " + joinAnd(covers) + " cannot be sent; text messages still can",
		}
		decision, asked, err := p.asker.Ask(ctx, req)
		switch {
		case err == nil:
			state = decision
			res.Consent.Asked, res.Consent.RequestID = true, asked.ID
		case errors.Is(err, ErrNobodyToAsk):
			res.Consent.Note = "no consent dialog is attached, so nobody could be asked"
		default:
			return fmt.Errorf("scanhook: waiting for consent on message %q: %w", msg.ID, err)
		}
	} else if state == ConsentUndecided {
		res.Consent.Note = "no consent dialog is attached, so nobody could be asked"
	}
	res.Consent.State = state
	if state != ConsentAccepted {
		blockGated(m, s, res, gated, state)
	}
	return nil
}

// blockGated blocks the parts consent covers, before any scanning.
func blockGated(m Mode, s Settings, res *Result, gated []int, state ConsentState) {
	covers := res.Consent.Covers
	what := "no decision"
	if state == ConsentDeclined {
		what = "declined"
	}
	reason := fmt.Sprintf("blocked before scanning: no consent to scanning before encryption (%s); %s cannot be sent "+
		"in this mode, text still can (%s)", what, joinAnd(covers), reasonFor(m, s, SwitchConsent))
	for _, i := range gated {
		res.Parts[i].Blocked = true
		res.Parts[i].BlockedReason = reason
		res.Parts[i].NotScannedReason = "blocked before scanning: no consent"
	}
}
