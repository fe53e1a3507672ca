package scanhook

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// Rule IDs. Each rule a result names carries the article it applies.
const (
	RuleModeOff         = "mode-off"
	RuleGateClosed      = "gate-closed"
	RuleNothingInScope  = "nothing-in-scope"
	RuleNoMatch         = "no-match"
	RuleConsentBlock    = "consent-block"
	RuleReport          = "report"
	RuleReportHeld      = "report-held-for-human-confirmation"
	RuleFlagCounted     = "new-material-flag-counted"
	RuleReportPseudonym = "report-pseudonymised"
	RuleBlockOnMatch    = "block-on-match"
)

// decide turns what the gates and scanners found into the decision, and
// writes a simulated report for every match that the mode reports.
func (p *Pipeline) decide(ctx context.Context, m Mode, s Settings, msg *Message, res *Result) {
	d := &res.Decision
	d.SendBody = true
	blocked := map[int]bool{}
	block := func(part *Part) {
		if part.Attachment >= 0 {
			blocked[part.Attachment] = true
		} else {
			d.SendBody = false
		}
	}
	var blockRules, reportRules, otherRules []Rule

	consentBlocked := false
	for i := range res.Parts {
		if res.Parts[i].Blocked {
			block(&res.Parts[i])
			consentBlocked = true
		}
	}
	if consentBlocked {
		blockRules = append(blockRules, Rule{ID: RuleConsentBlock,
			Text:    "no consent to scanning before encryption: " + joinAnd(res.Consent.Covers) + " cannot be sent; text without them can",
			Article: reasonFor(m, s, SwitchConsent)})
	}

	for i := range res.Parts {
		part := &res.Parts[i]
		if !part.Matched || part.Nearest == nil {
			continue
		}
		class := part.Nearest.Class
		status := ReportWouldBeSent
		note := "would be sent now to " + m.Reports.Recipient
		human := "none before the report"
		rule := Rule{ID: RuleReport, Text: fmt.Sprintf("%s material matched (%s): report", class, part.Nearest.Label),
			Article: m.Reports.ReportArticle}
		if class == ClassSolicitation {
			rule.Text = fmt.Sprintf("text classified as solicitation (toy score %.2g ≥ %.2g): report", part.Nearest.Score, part.Nearest.ScoreThreshold)
		}
		switch {
		case class == ClassNew && m.Reports.NewMaterialFlags > 0:
			n, err := p.flags.Flag(ctx, string(m.Name)+"/"+part.Nearest.EntryID)
			if err != nil {
				res.Errors = append(res.Errors, "counting flags: "+err.Error())
			}
			part.Flags = n
			if n < m.Reports.NewMaterialFlags {
				otherRules = append(otherRules, Rule{ID: RuleFlagCounted,
					Text:    fmt.Sprintf("new material flagged (%d of %d flags): no report yet", n, m.Reports.NewMaterialFlags),
					Article: m.Reports.NewMaterialFlagsBasis})
				continue
			}
			status = ReportPseudonymised
			note = fmt.Sprintf("flagged %d times: reported pseudonymised; the user is identified only after human verification by the EU Centre", n)
			human = "human verification by the EU Centre before the user is identified"
			rule = Rule{ID: RuleReportPseudonym, Text: fmt.Sprintf("new material flagged %d times: pseudonymised report", n),
				Article: m.Reports.NewMaterialFlagsBasis}
		case (class == ClassNew || class == ClassSolicitation) && m.Reports.HumanConfirmation != "":
			status = ReportHeldForReview
			note = "held until a human confirms it; only then would it go to " + m.Reports.Recipient
			human = "required before the report: " + m.Reports.HumanConfirmation
			rule = Rule{ID: RuleReportHeld, Text: rule.Text + " after human confirmation", Article: m.Reports.HumanConfirmation}
		}
		removed := false
		if s.On(m, SwitchBlockOnMatch) {
			part.Blocked = true
			part.BlockedReason = "blocked because it matched: " + reasonFor(m, s, SwitchBlockOnMatch)
			block(part)
			removed = true
			blockRules = append(blockRules, Rule{ID: RuleBlockOnMatch, Text: "a matching part is blocked",
				Article: reasonFor(m, s, SwitchBlockOnMatch)})
		}
		algo := "pdq"
		switch part.Kind {
		case PartLink:
			algo = "sha256 of the normalised URL"
		case PartText:
			algo = "toy lexicon classifier (demo)"
		}
		r := buildReport(reportInput{mode: m, msg: msg, part: part, class: class, status: status, note: note,
			human: human, removed: removed, algo: algo, now: p.clock()})
		if p.sink != nil {
			if err := p.sink.Write(r); err != nil {
				res.Errors = append(res.Errors, err.Error())
			}
		}
		res.Reports = append(res.Reports, r)
		reportRules = append(reportRules, rule)
	}

	for a := range blocked {
		d.BlockedAttachments = append(d.BlockedAttachments, a)
	}
	sort.Ints(d.BlockedAttachments)
	d.Reported = len(res.Reports) > 0
	d.Rules = append(append(append([]Rule{}, blockRules...), reportRules...), otherRules...)
	switch {
	case len(blockRules) > 0:
		d.Action, d.Rule = ActionBlock, blockRules[0]
	case len(reportRules) > 0:
		d.Action, d.Rule = ActionAllowAndReport, reportRules[0]
	default:
		d.Action = ActionAllow
		d.Rule = p.allowRule(m, res)
		if len(otherRules) > 0 {
			d.Rule = otherRules[0]
		} else {
			d.Rules = append(d.Rules, d.Rule)
		}
	}
	d.Summary = summary(res)
}

// allowRule names why a message went through untouched.
func (p *Pipeline) allowRule(m Mode, res *Result) Rule {
	switch {
	case m.Name == ModeOff:
		return Rule{ID: RuleModeOff, Text: "scanhook is off", Article: "none"}
	case !res.Gate.Passed:
		return Rule{ID: RuleGateClosed, Text: res.Gate.Reason, Article: res.Gate.Basis}
	case res.ScannedBeforeEncryption:
		return Rule{ID: RuleNoMatch, Text: "scanned before encryption; nothing matched", Article: m.Source}
	}
	return Rule{ID: RuleNothingInScope, Text: "nothing in this message is in the mode's scope", Article: m.Source}
}

// summary is the decision in one line.
func summary(res *Result) string {
	d := res.Decision
	scanned := 0
	for _, p := range res.Parts {
		if p.Scanned {
			scanned++
		}
	}
	switch d.Action {
	case ActionBlock:
		what := fmt.Sprintf("%d attachment(s)", len(d.BlockedAttachments))
		if !d.SendBody {
			body := "the message text"
			for _, p := range res.Parts {
				if p.Attachment < 0 && p.Blocked && p.Kind == PartLink {
					body = "the message text (it holds a link that cannot be sent)"
					break
				}
			}
			what = body + " and " + what
			if len(d.BlockedAttachments) == 0 {
				what = body
			}
		}
		s := "blocked " + what + ": " + d.Rule.Text
		if d.Reported {
			s += fmt.Sprintf("; %d simulated report(s) written", len(res.Reports))
		}
		return s
	case ActionAllowAndReport:
		return fmt.Sprintf("sent, and %d simulated report(s) written (NOT SENT): %s", len(res.Reports), d.Rule.Text)
	}
	if scanned > 0 {
		return fmt.Sprintf("sent: %d part(s) scanned before encryption; %s", scanned, d.Rule.Text)
	}
	return "sent unscanned: " + d.Rule.Text
}

// limits lists what the simulation left out for this result.
func limits(res *Result) []string {
	out := []string{
		"Demo lists only: harmless test images, reserved-domain links, nonsense words.",
		"No classifier for new images: \"new\" matches come from demo entries that stand in for one.",
		"The text classifier is a toy lexicon, not a machine-learning grooming classifier.",
	}
	if len(res.Reports) > 0 {
		out = append(out, "Reports leave out the content, the signature and the IP address; each says so in \"omitted\".")
	}
	for _, p := range res.Parts {
		if p.Kind == PartVideo && strings.Contains(p.NotScannedReason, "has no decoder") {
			out = append(out, "Videos other than animated GIFs are not decoded: real scanners would sample their frames.")
			break
		}
	}
	return out
}
