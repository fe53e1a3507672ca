package inspect

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/ui/common"
	"github.com/candor-xmpp/candor/ui/dialog"
)

// ID is the inspector dialog's ID.
const ID = "inspect"

// Panel is one view of a message.
type Panel interface {
	// Title names the view ("You", "The server", ...).
	Title() string
	// Lines renders the view at width cells; lines may be styled and must
	// fit the width.
	Lines(width int) []string
}

// minColumn is the narrowest a panel may be drawn beside another.
const minColumn = 44

// Dialog shows panels side by side, or as tabs on a narrow screen (tab
// switches). Up, down and the page keys scroll; esc closes.
type Dialog struct {
	com    *common.Common
	panels []Panel
	tab    int
	offset int
	page   int
}

// New returns an inspector with the given panels, in order.
func New(com *common.Common, panels ...Panel) *Dialog {
	return &Dialog{com: com, panels: panels}
}

// Add appends a panel (another view of the same message).
func (d *Dialog) Add(p Panel) { d.panels = append(d.panels, p) }

// Panels are the views shown.
func (d *Dialog) Panels() []Panel { return d.panels }

func (d *Dialog) ID() string { return ID }

// Wide asks the overlay for the whole screen width.
func (d *Dialog) Wide() bool { return true }

func (d *Dialog) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch k.String() {
	case "esc", "q", "enter":
		d.com.Emit(dialog.CloseRequested{ID: ID})
	case "tab", "right", "l":
		if len(d.panels) > 0 {
			d.tab = (d.tab + 1) % len(d.panels)
			d.offset = 0
		}
	case "shift+tab", "left", "h":
		if len(d.panels) > 0 {
			d.tab = (d.tab + len(d.panels) - 1) % len(d.panels)
			d.offset = 0
		}
	case "up", "k":
		d.offset--
	case "down", "j":
		d.offset++
	case "pgup":
		d.offset -= max(d.page-1, 1)
	case "pgdown", "space":
		d.offset += max(d.page-1, 1)
	case "home", "g":
		d.offset = 0
	case "end", "G":
		d.offset = 1 << 30
	}
	return nil
}

// SideBySide reports whether all panels fit beside each other at width.
func (d *Dialog) SideBySide(width int) bool {
	n := len(d.panels)
	return n > 1 && (width-3*(n-1))/n >= minColumn
}

func (d *Dialog) View(width, height int) (string, *tea.Cursor) {
	t := d.com.Theme
	if len(d.panels) == 0 {
		return t.Faint.Render("nothing to inspect"), nil
	}
	var head, body []string
	if d.SideBySide(width) {
		n := len(d.panels)
		colW := (width - 3*(n-1)) / n
		cols := make([][]string, n)
		rows := 0
		var titles []string
		for i, p := range d.panels {
			cols[i] = p.Lines(colW)
			rows = max(rows, len(cols[i]))
			titles = append(titles, common.Fit(t.DialogTitle.Render(p.Title()), colW))
		}
		sep := t.RuleStyle.Render(" │ ")
		head = []string{strings.Join(titles, sep), ""}
		for r := range rows {
			parts := make([]string, n)
			for i := range cols {
				line := ""
				if r < len(cols[i]) {
					line = cols[i][r]
				}
				parts[i] = common.Fit(line, colW)
			}
			body = append(body, strings.Join(parts, sep))
		}
	} else {
		d.tab = min(d.tab, len(d.panels)-1)
		var tabs []string
		for i, p := range d.panels {
			if i == d.tab {
				tabs = append(tabs, t.DialogTitle.Render("["+p.Title()+"]"))
			} else {
				tabs = append(tabs, t.Faint.Render(" "+p.Title()+" "))
			}
		}
		head = []string{common.Truncate(strings.Join(tabs, " "), width), ""}
		body = d.panels[d.tab].Lines(width)
	}
	footer := "↑/↓ pgup/pgdn scroll · esc closes"
	if !d.SideBySide(width) && len(d.panels) > 1 {
		footer = "tab switches views · " + footer
	}
	avail := max(height-len(head)-2, 1)
	d.page = avail
	d.offset = min(max(d.offset, 0), max(len(body)-avail, 0))
	shown := body[d.offset:min(len(body), d.offset+avail)]
	out := append(head, shown...)
	out = append(out, "", t.Faint.Render(common.Truncate(footer, width)))
	for i, l := range out {
		out[i] = common.Fit(l, width)
	}
	return strings.Join(out, "\n"), nil
}
