package scanview

import (
	"fmt"
	"strings"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
	"github.com/candor-xmpp/candor/ui/theme"
)

// StatusLines are what /scan shows: the mode, its source, the switches
// with their basis, the contested points with the reading in effect, the
// thresholds, where reports go, and how to change each.
func StatusLines(t *theme.Theme, st session.ScanStatus, modes []session.ScanModeInfo) []string {
	bold := t.Bold.Render
	if !st.On {
		out := []string{bold("scanhook is off: ") + "nothing is scanned, nothing is reported, messages go as typed (◌ not scanned).", "",
			bold("Modes") + t.Faint.Render(" (/scan mode NAME; every one is a SIMULATION of a legal text)")}
		for _, m := range modes {
			out = append(out, "  "+t.InputFocus.Render(m.Name)+t.Faint.Render(" — "+m.Title))
		}
		return out
	}
	out := []string{
		t.Warn.Bold(true).Render("SIMULATION") + " — demo lists only; reports stay in a local file",
		bold("Mode: ") + st.Mode + " — " + st.Title,
		bold("Legal source: ") + st.Source + t.Faint.Render(" ("+st.SourceStatus+")"),
		st.Summary,
		bold("End-to-end encrypted chats: ") + map[bool]string{true: "scanned before encryption", false: "not scanned"}[st.E2EEScanned],
		bold("Consent: ") + st.ConsentRule,
		bold("Reports would go to: ") + st.ReportsTo,
		bold("Reports are written to: ") + orDash(st.ReportsFile) + t.Faint.Render(" (never sent)"),
		bold("Thresholds: ") + fmt.Sprintf("PDQ ≤ %d bits (/scan threshold N) · quality gate %s, minimum %d · dihedral %s (/scan dihedral on|off) · text score ≥ %g",
			st.PDQThreshold, onOff(st.QualityGate), st.QualityMin, onOff(st.Dihedral), st.TextThreshold),
		bold("Badges: ") + "◌ not scanned · ◉ scanned, allowed · ⚑ scanned, reported · ⊘ blocked" + t.Faint.Render(" (/inspect or F8 explains one)"),
		"", bold("Switches") + t.Faint.Render(" (/scan switch NAME on|off; * flipped by you)"),
	}
	for _, s := range st.Switches {
		mark := " "
		if s.Overridden {
			mark = "*"
		}
		state := t.Faint.Render("off")
		if s.On {
			state = t.Warn.Render("on ")
		}
		out = append(out, fmt.Sprintf(" %s %-15s %s ", mark, s.Name, state)+t.Faint.Render(common.OneLine(s.Basis)))
	}
	if len(st.Facts) > 0 {
		out = append(out, "", bold("Simulated facts")+t.Faint.Render(" (/scan fact NAME on|off)"))
	}
	for _, f := range st.Facts {
		state := t.Faint.Render("off")
		if f.On {
			state = t.Warn.Render("on ")
		}
		out = append(out, fmt.Sprintf("   %-15s %s ", f.Name, state)+t.Faint.Render(f.What))
	}
	if len(st.Contested) > 0 {
		out = append(out, "", bold("Contested points")+t.Faint.Render(" (/scan reading POINT N)"))
	}
	for _, p := range st.Contested {
		out = append(out, "  "+t.InputFocus.Render(p.ID)+": "+p.Question)
		for i, r := range p.Readings {
			mark := "   "
			if i == p.InEffect {
				mark = " ▸ "
			}
			out = append(out, fmt.Sprintf("  %s%d: %s", mark, i, r.Says)+t.Faint.Render(" — "+r.Sources))
		}
		if p.InEffect < 0 {
			out = append(out, t.Faint.Render("     (the switches match none of these readings)"))
		}
	}
	return out
}

// ConsentLines are what /consent shows: the decision in effect under the
// current mode, the open requests, and the audit log.
func ConsentLines(t *theme.Theme, cs session.ConsentStatus) []string {
	bold := t.Bold.Render
	out := []string{t.Warn.Bold(true).Render("SIMULATION") + " — consent to scanning before encryption",
		bold("Mode: ") + cs.Mode, bold("Rule: ") + cs.Rule}
	if cs.Applies {
		state := cs.State
		if !cs.DecidedAt.IsZero() {
			state += t.Faint.Render(" (" + cs.DecidedAt.Local().Format("2 Jan 2006 15:04") + ", by " + cs.Via + ")")
		}
		out = append(out,
			bold("Covers: ")+strings.Join(cs.Covers, ", "),
			bold("The choice: ")+cs.Question,
			bold("Your decision: ")+state,
			t.Faint.Render("/consent accept · /consent decline · /consent reset"))
	} else {
		out = append(out, t.Faint.Render("This mode, as switched, asks for no consent: your decision would change nothing."))
	}
	if len(cs.Pending) > 0 {
		out = append(out, "", bold(fmt.Sprintf("Waiting for your answer (%d)", len(cs.Pending))))
		for _, r := range cs.Pending {
			out = append(out, "  "+r.Trigger+t.Faint.Render(" — since "+r.CreatedAt.Local().Format("15:04:05")))
		}
	}
	out = append(out, "", bold("Audit log")+t.Faint.Render(" (every decision, newest first)"))
	if len(cs.Log) == 0 {
		out = append(out, t.Faint.Render("  no decision yet"))
	}
	for _, e := range cs.Log {
		line := fmt.Sprintf("  %s  %-15s %-9s by %-7s", e.At.Local().Format("2006-01-02 15:04:05"), e.Mode, e.Decision, e.Via)
		if len(e.Covers) > 0 {
			line += t.Faint.Render(" covers " + strings.Join(e.Covers, ", "))
		}
		out = append(out, line)
	}
	return out
}
