// Package inspect is the message inspector: a dialog with one panel per
// view of a message: what you see (wireview.You), what the scanner saw
// (scanview.Panel) and what the server sees (wireview.Server). On a screen
// wide enough for all of them the panels stand side by side; otherwise
// they are tabs. The host draws the tabs, scrolls the panels' lines and
// closes on esc; panels handle their own keys.
package inspect

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/ui/common"
	"github.com/candor-xmpp/candor/ui/dialog"
)

// ID is the inspector dialog's ID.
const ID = "inspector"

// Panel is one tab of the inspector.
type Panel interface {
	// Title names the tab ("scanner").
	Title() string
	// Lines renders the content for a width, unscrolled; lines may be
	// styled and are wrapped by the host when too long.
	Lines(width int) []string
	// Update handles keys the host does not use, and messages addressed
	// to the panel; it returns intents for the root through Common.Emit.
	Update(msg tea.Msg) tea.Cmd
	// Footer is a short hint of the panel's own keys ("" for none).
	Footer() string
}

// Dialog hosts the panels.
type Dialog struct {
	com    *common.Common
	panels []Panel
	active int
	offset int
	page   int
}

// New returns the inspector with panels, showing the one titled tab (the
// first when none has that title).
func New(com *common.Common, tab string, panels ...Panel) *Dialog {
	d := &Dialog{com: com, panels: panels}
	for i, p := range panels {
		if p.Title() == tab {
			d.active = i
		}
	}
	return d
}

// ID implements dialog.Dialog.
func (d *Dialog) ID() string { return ID }

// Panel returns the panel titled tab, or nil.
func (d *Dialog) Panel(tab string) Panel {
	for _, p := range d.panels {
		if p.Title() == tab {
			return p
		}
	}
	return nil
}

// Active is the title of the tab shown.
func (d *Dialog) Active() string {
	if len(d.panels) == 0 {
		return ""
	}
	return d.panels[d.active].Title()
}

// ResetScroll goes back to the top (the panel's content changed).
func (d *Dialog) ResetScroll() { d.offset = 0 }

// Update implements dialog.Dialog.
func (d *Dialog) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		// Addressed messages (a loaded result) go to every panel; each
		// takes its own.
		var cmds []tea.Cmd
		for _, p := range d.panels {
			cmds = append(cmds, p.Update(msg))
		}
		return tea.Batch(cmds...)
	}
	switch k.String() {
	case "esc", "q":
		d.com.Emit(dialog.CloseRequested{ID: ID})
	case "tab", "right":
		d.switchTab(+1)
	case "shift+tab", "left":
		d.switchTab(-1)
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
	default:
		if len(d.panels) > 0 {
			return d.panels[d.active].Update(msg)
		}
	}
	return nil
}

func (d *Dialog) switchTab(delta int) {
	if len(d.panels) < 2 {
		return
	}
	d.active = (d.active + delta + len(d.panels)) % len(d.panels)
	d.offset = 0
}

// Wide asks the overlay for the whole screen width, for side by side.
func (d *Dialog) Wide() bool { return true }

// minColumn is the narrowest a panel may be drawn beside the others.
const minColumn = 40

// SideBySide reports whether all panels fit beside each other at width.
func (d *Dialog) SideBySide(width int) bool {
	n := len(d.panels)
	return n > 1 && (width-3*(n-1))/n >= minColumn
}

// View implements dialog.Dialog.
func (d *Dialog) View(width, height int) (string, *tea.Cursor) {
	if d.SideBySide(width) {
		return d.columns(width, height), nil
	}
	t := d.com.Theme
	var tabs []string
	for i, p := range d.panels {
		if i == d.active {
			tabs = append(tabs, t.DialogTitle.Render("[ "+p.Title()+" ]"))
		} else {
			tabs = append(tabs, t.Faint.Render("  "+p.Title()+"  "))
		}
	}
	head := t.DialogTitle.Render("Inspector") + "  " + strings.Join(tabs, " ")
	var body []string
	footer := "esc closes"
	if len(d.panels) > 0 {
		p := d.panels[d.active]
		for _, l := range p.Lines(width) {
			if common.Width(l) <= width {
				body = append(body, l)
				continue
			}
			body = append(body, common.Wrap(l, width)...)
		}
		if f := p.Footer(); f != "" {
			footer = f + " · " + footer
		}
	}
	if len(d.panels) > 1 {
		footer = "tab switches · " + footer
	}
	avail := max(height-4, 1) // tabs, blank, footer, and a margin
	d.page = avail
	d.offset = min(max(d.offset, 0), max(len(body)-avail, 0))
	if len(body) > avail {
		footer = "↑/↓ pgup/pgdn scroll · " + footer
	}
	out := []string{common.Fit(head, width), ""}
	for _, l := range body[d.offset:min(len(body), d.offset+avail)] {
		out = append(out, common.Fit(l, width))
	}
	out = append(out, common.Fit(t.Faint.Render(footer), width))
	return strings.Join(out, "\n"), nil
}

// columns draws every panel in its own column, the active one's title
// marked; the keys still go to the active panel (tab moves it).
func (d *Dialog) columns(width, height int) string {
	t := d.com.Theme
	n := len(d.panels)
	colW := (width - 3*(n-1)) / n
	sep := t.RuleStyle.Render(" │ ")
	cols := make([][]string, n)
	titles := make([]string, n)
	rows := 0
	for i, p := range d.panels {
		for _, l := range p.Lines(colW) {
			if common.Width(l) <= colW {
				cols[i] = append(cols[i], l)
			} else {
				cols[i] = append(cols[i], common.Wrap(l, colW)...)
			}
		}
		rows = max(rows, len(cols[i]))
		title := t.Faint.Render("  " + p.Title())
		if i == d.active {
			title = t.DialogTitle.Render("[ " + p.Title() + " ]")
		}
		titles[i] = common.Fit(title, colW)
	}
	footer := "esc closes"
	if f := d.panels[d.active].Footer(); f != "" {
		footer = f + " · " + footer
	}
	footer = "tab moves the keys · " + footer
	avail := max(height-5, 1) // title, tab titles, blank, footer, a margin
	d.page = avail
	d.offset = min(max(d.offset, 0), max(rows-avail, 0))
	if rows > avail {
		footer = "↑/↓ pgup/pgdn scroll · " + footer
	}
	out := []string{common.Fit(t.DialogTitle.Render("Inspector")+t.Faint.Render(" · three views of one message"), width),
		common.Fit(strings.Join(titles, sep), width), ""}
	for r := d.offset; r < min(rows, d.offset+avail); r++ {
		parts := make([]string, n)
		for i := range cols {
			line := ""
			if r < len(cols[i]) {
				line = cols[i][r]
			}
			parts[i] = common.Fit(line, colW)
		}
		out = append(out, common.Fit(strings.Join(parts, sep), width))
	}
	out = append(out, common.Fit(t.Faint.Render(footer), width))
	return strings.Join(out, "\n")
}

// Panels are the views shown, in order.
func (d *Dialog) Panels() []Panel { return d.panels }
