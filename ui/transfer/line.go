package transfer

import (
	"fmt"
	"strings"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
)

// line is one transfer: "↑ photo.png ▕█████░░░▏ 62% 1.2/2.0 MiB 3.1 MiB/s
// 1s left · esc cancels", or its outcome.
func (m *Model) line(t session.Transfer, width int) string {
	th := m.com.Theme
	arrow := "↓"
	if t.Upload {
		arrow = "↑"
	}
	name := common.OneLine(t.Name)
	switch t.State {
	case session.TransferFinished:
		if t.Upload {
			s := th.Good.Render("✓ "+name) + " sent"
			if l := t.Leak; l != nil {
				s += th.Faint.Render(fmt.Sprintf(" · the upload server saw: name %s, %s, %s, your address and IP", l.FileName, session.HumanSize(l.Size), l.ContentType))
			}
			return s
		}
		return th.Good.Render("✓ "+name) + " saved" + th.Faint.Render(" · "+t.Path)
	case session.TransferFailed:
		what := "download failed"
		if t.Upload {
			what = "not sent"
		}
		return th.Bad.Render("✗ " + name + " " + what + ": " + common.OneLine(t.Err))
	case session.TransferCancelled:
		if t.Err != "" && t.Err != "cancelled" && !t.Upload {
			return th.Faint.Render("· " + name + " not fetched: " + common.OneLine(t.Err))
		}
		if t.Upload {
			return th.Warn.Render("· " + name + " cancelled: nothing was sent")
		}
		return th.Warn.Render("· " + name + " cancelled: nothing was kept")
	case session.TransferPreparing:
		what := "asking for an upload slot…"
		if !t.Upload {
			what = "connecting…"
		}
		return arrow + " " + name + th.Faint.Render("  "+what+" · esc cancels")
	}
	stats := t.Progress()
	hint := th.Faint.Render(" · esc cancels")
	barW := min(20, width-common.Width(arrow+" "+name+"  "+stats)-common.Width(" · esc cancels")-4)
	bar := ""
	if t.Total > 0 && barW >= 5 {
		bar = " " + Bar(float64(t.Done)/float64(t.Total), barW)
	}
	return arrow + " " + name + bar + "  " + stats + hint
}

// Bar draws a fraction in w cells.
func Bar(frac float64, w int) string {
	frac = min(max(frac, 0), 1)
	full := int(frac * float64(w-2))
	return "▕" + strings.Repeat("█", full) + strings.Repeat("░", w-2-full) + "▏"
}
