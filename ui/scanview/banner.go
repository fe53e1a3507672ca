package scanview

import (
	"charm.land/lipgloss/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
	"github.com/candor-xmpp/candor/ui/theme"
)

// bannerStyle has its own background and foreground, so that it reads the
// same on light and dark terminals (black on amber, about 14:1).
func bannerStyle() lipgloss.Style {
	return lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#000000")).Background(lipgloss.Color("#FFD33D"))
}

// Banner is the line at the top of the screen while scanning is on:
// SIMULATION first, then the mode and its legal source, in the longest
// wording that fits width. It is "" while scanning is off.
func Banner(st session.ScanStatus, width int) string {
	if !st.On || width <= 0 {
		return ""
	}
	e2ee := "E2EE chats not scanned"
	if st.E2EEScanned {
		e2ee = "E2EE chats scanned before encryption"
	}
	src := common.OneLine(st.Source)
	variants := []string{
		" ⚠ SIMULATION · scanhook " + st.Mode + " · " + e2ee + " · source: " + src,
		" ⚠ SIMULATION · scanhook " + st.Mode + " · source: " + src,
		" SIMULATION · " + st.Mode + " · " + src,
	}
	s := variants[len(variants)-1]
	for _, v := range variants {
		if common.Width(v) <= width {
			s = v
			break
		}
	}
	return bannerStyle().Render(common.Fit(s, width))
}

// Badge is the mark a sent message carries: scanned before encryption or
// not, and the verdict. v is nil when the message has no verdict (sent
// while scanning was off, or by another client): "not scanned". A queued
// message without a verdict yet has no badge.
func Badge(t *theme.Theme, v *session.ScanVerdict, state session.DeliveryState) (styled, plain string) {
	if v == nil {
		if state == session.Queued {
			return "", ""
		}
		return t.Faint.Render("◌ not scanned"), "◌ not scanned"
	}
	scanned := "unscanned"
	if v.Scanned {
		scanned = "scanned"
	}
	switch v.Action {
	case session.ScanBlocked:
		plain = "⊘ " + scanned + "·blocked"
		return t.Bad.Render(plain), plain
	case session.ScanReported:
		plain = "⚑ " + scanned + "·reported"
		return t.Bad.Bold(true).Render(plain), plain
	}
	if v.Scanned {
		plain = "◉ scanned·allow"
		return t.Warn.Render(plain), plain
	}
	plain = "◌ unscanned·allow"
	return t.Faint.Render(plain), plain
}
