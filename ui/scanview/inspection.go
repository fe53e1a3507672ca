package scanview

import (
	"fmt"
	"strings"
	"time"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
	"github.com/candor-xmpp/candor/ui/theme"
)

// inspectionLines renders what the scanner did with one message: verdict,
// mode, gates, every part with its hashes and nearest entry against the
// threshold, the rule, and each report exactly as written.
func inspectionLines(t *theme.Theme, in *session.ScanInspection, width int) []string {
	v := in.Verdict
	badge, _ := Badge(t, &v, session.Sent)
	label := func(s string) string { return t.Bold.Render(s) }
	out := []string{
		label("Verdict: ") + badge + " " + common.OneLine(v.Summary),
	}
	if v.Reason != "" {
		out = append(out, label("Blocked: ")+t.Bad.Render(common.OneLine(v.Reason)))
	}
	out = append(out,
		label("Mode: ")+in.Mode+" — "+in.ModeTitle,
		label("Legal source: ")+in.LegalSource+t.Faint.Render(" ("+in.SourceStatus+")"),
		label("Chat end-to-end encrypted: ")+yesNo(in.EndToEndEncrypted),
		label("Mode gate: ")+passed(in.Gate.Passed)+" — "+in.Gate.Reason+t.Faint.Render(" · basis: "+in.Gate.Basis),
		label("Consent: ")+consentLine(in.Consent),
		label("Thresholds: ")+fmt.Sprintf("PDQ match ≤ %d bits · quality gate %s (minimum %d) · dihedral %s · text score ≥ %g",
			in.Thresholds.PDQ, onOff(in.Thresholds.QualityGate), in.Thresholds.QualityMin, onOff(in.Thresholds.Dihedral), in.Thresholds.Text),
		label("Time taken: ")+duration(in.Duration)+t.Faint.Render(" (started "+in.StartedAt.Local().Format("15:04:05.000")+")"),
		"",
		label(fmt.Sprintf("Parts the scanner saw (%d)", len(in.Parts))),
	)
	for _, p := range in.Parts {
		out = append(out, partLines(t, p)...)
	}
	out = append(out, "", label("Decision: ")+string(v.Action)+" — rule "+in.Rule.ID+": "+in.Rule.Text,
		t.Faint.Render("  article: "+in.Rule.Article))
	for _, r := range in.Rules {
		if r.ID != in.Rule.ID {
			out = append(out, t.Faint.Render("  also: "+r.ID+": "+r.Text+" ("+r.Article+")"))
		}
	}
	if len(in.Reports) == 0 {
		out = append(out, "", label("Report: ")+"none written for this message")
	}
	for i, r := range in.Reports {
		out = append(out, "",
			label(fmt.Sprintf("Report %d of %d", i+1, len(in.Reports)))+" — "+t.Bad.Bold(true).Render("NOT SENT")+
				": written to the local file only; the law would send it to "+r.Recipient+" ("+r.Status+")")
		for _, l := range strings.Split(r.JSON, "\n") {
			out = append(out, t.Faint.Render("│ ")+l)
		}
	}
	if len(in.Errors) > 0 {
		out = append(out, "", label("Problems"))
		for _, e := range in.Errors {
			out = append(out, t.Bad.Render("• "+common.OneLine(e)))
		}
	}
	out = append(out, "", label("What this simulation leaves out"))
	for _, l := range in.Limits {
		out = append(out, t.Faint.Render("• "+l))
	}
	return out
}

// partLines is one part: what it is, scanned or why not, each hash, and
// the nearest list entry with its distance against the threshold.
func partLines(t *theme.Theme, p session.ScanPart) []string {
	head := fmt.Sprintf("%d. %s (%s)", p.Index+1, p.Kind, p.Origin)
	switch {
	case p.URL != "":
		head += " " + p.URL
	case p.Name != "":
		head += fmt.Sprintf(" %q", p.Name)
	}
	if p.Sniffed != "" || p.DeclaredType != "" {
		head += t.Faint.Render(fmt.Sprintf(" · bytes: %s · declared: %s", orDash(p.Sniffed), orDash(p.DeclaredType)))
	}
	if p.Size > 0 {
		head += t.Faint.Render(fmt.Sprintf(" · %d bytes", p.Size))
	}
	out := []string{head}
	ind := "   "
	switch {
	case p.Blocked:
		out = append(out, ind+t.Bad.Render("BLOCKED: "+common.OneLine(p.BlockedReason)))
	case p.Scanned:
		out = append(out, ind+t.Warn.Render("scanned before encryption")+t.Faint.Render(" in "+duration(p.Duration)))
	default:
		out = append(out, ind+"not scanned: "+common.OneLine(p.NotScannedReason))
	}
	for _, h := range p.Hashes {
		name := h.Algorithm
		if h.Variant != "" {
			name += " (" + h.Variant + ")"
		}
		out = append(out, ind+t.Faint.Render("hash "+name+": ")+h.Value)
	}
	if p.HasQuality {
		gate := "kept"
		if !p.QualityPassed {
			gate = "discarded by the quality gate"
		}
		out = append(out, ind+fmt.Sprintf("quality %d/100: %s", p.Quality, gate))
	}
	if n := p.Nearest; n != nil {
		out = append(out, ind+"nearest entry: "+n.EntryID+" "+common.OneLine(n.Label)+t.Faint.Render(" ("+n.List+", class "+n.Class+")"))
		out = append(out, ind+matchLine(t, n))
	}
	if p.Flags > 0 {
		out = append(out, ind+fmt.Sprintf("flagged %d time(s) so far", p.Flags))
	}
	if p.Note != "" {
		out = append(out, ind+t.Faint.Render(common.OneLine(p.Note)))
	}
	if p.Error != "" {
		out = append(out, ind+t.Bad.Render(common.OneLine(p.Error)))
	}
	return out
}

// matchLine compares the nearest entry with the threshold.
func matchLine(t *theme.Theme, n *session.ScanMatch) string {
	verdict := t.Good.Render("no match")
	if n.Matched {
		verdict = t.Bad.Bold(true).Render("MATCH")
	}
	switch {
	case n.ScoreThreshold > 0:
		return fmt.Sprintf("toy classifier score %.2f against threshold %.2f → %s (terms: %s)",
			n.Score, n.ScoreThreshold, verdict, orDash(strings.Join(n.Terms, ", ")))
	case n.Threshold > 0 || n.Distance > 0:
		cmp := "≤"
		if n.Distance > n.Threshold {
			cmp = ">"
		}
		s := fmt.Sprintf("Hamming distance %d bits %s threshold %d → %s", n.Distance, cmp, n.Threshold, verdict)
		if n.Variant != "" {
			s += " (closest variant: " + n.Variant + ")"
		}
		return s
	}
	if n.Matched {
		return "exact match of the SHA-256 → " + verdict
	}
	return "no exact match of the SHA-256 → " + verdict
}

func consentLine(c session.ScanConsent) string {
	if !c.Required {
		s := "not needed for this message"
		if c.Note != "" {
			s += " — " + c.Note
		}
		return s
	}
	s := "needed for " + strings.Join(c.Covers, ", ") + " · decision: " + c.State
	if c.Asked {
		s += " (asked in a dialog)"
	}
	if c.Note != "" {
		s += " — " + c.Note
	}
	return s
}

func duration(d time.Duration) string {
	if d < time.Millisecond {
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	}
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func passed(b bool) string {
	if b {
		return "passed"
	}
	return "closed"
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
