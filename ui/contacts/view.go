package contacts

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/candor-xmpp/candor/ui/common"
)

// row is one line of the sidebar, drawn only when it is on screen.
type row struct {
	draw       func() string
	selectable int // index into entries, -1 for headers
}

// View renders the sidebar at its size, scrolled so that the cursor shows.
func (m *Model) View() string {
	rows := m.rows()
	// Scroll to keep the cursor row on screen.
	at := 0
	for i, r := range rows {
		if r.selectable == m.cursor {
			at = i
		}
	}
	if at < m.offset {
		m.offset = at
	}
	if at >= m.offset+m.height {
		m.offset = at - m.height + 1
	}
	m.offset = min(m.offset, max(len(rows)-m.height, 0))
	var lines []string
	for _, r := range rows[m.offset:min(len(rows), m.offset+m.height)] {
		lines = append(lines, r.draw())
	}
	return strings.Join(common.PadLines(lines, m.width, m.height), "\n")
}

func (m *Model) rows() []row {
	t := m.com.Theme
	var rows []row
	idx := 0
	header := func(title string, n int) {
		label := " " + title
		if n > 0 {
			label += " " + strconv.Itoa(n)
		}
		style := t.Title
		if m.focused {
			style = t.TitleFocus
		}
		rows = append(rows, row{draw: func() string { return style.Render(label) }, selectable: -1})
	}
	if len(m.chats) > 0 {
		header("Chats", 0)
		for i, j := range m.chats {
			num := "  "
			if i < 9 {
				num = strconv.Itoa(i+1) + " "
			}
			i := idx
			rows = append(rows, row{draw: func() string { return m.entry(j, num, i) }, selectable: i})
			idx++
		}
	}
	if len(m.requests) > 0 {
		header("Requests", len(m.requests))
		for _, j := range m.requests {
			i := idx
			rows = append(rows, row{draw: func() string { return m.line(i, false, t.Banner.Render("⚑ ")+common.OneLine(j), "") }, selectable: i})
			idx++
		}
	}
	roster := m.rosterOrder()
	if len(roster) > 0 {
		online := 0
		for _, j := range roster {
			if m.Presence(j).Available {
				online++
			}
		}
		header("Contacts", online)
		for _, j := range roster {
			i := idx
			rows = append(rows, row{draw: func() string { return m.entry(j, "  ", i) }, selectable: i})
			idx++
		}
	}
	if len(rows) == 0 {
		for _, s := range []string{" No contacts yet.", " /add JID adds one,", " /msg JID starts a chat."} {
			rows = append(rows, row{draw: func() string { return t.Faint.Render(s) }, selectable: -1})
		}
	}
	return rows
}

// entry draws "1 ● Name ✎   3": number, presence, name, typing, unread.
func (m *Model) entry(jid, num string, idx int) string {
	t := m.com.Theme
	p := m.Presence(jid)
	name := m.Name(jid)
	if name == jid {
		if local, _, ok := strings.Cut(jid, "@"); ok && local != "" {
			name = local
		}
	}
	nameStyle := t.Text
	if !p.Available {
		nameStyle = t.Faint
	}
	if jid == m.active {
		nameStyle = t.Active
	}
	left := t.Faint.Render(num) + Glyph(t, p) + " " + nameStyle.Render(common.OneLine(name))
	if m.typing[jid] {
		left += t.Faint.Render(" ✎")
	}
	if c, ok := m.roster[jid]; ok && c.Pending {
		left += t.Faint.Render(" (asked)")
	}
	right := ""
	if n := m.unread[jid]; n > 0 {
		right = t.Badge.Render(" " + strconv.Itoa(n) + " ")
	}
	return m.line(idx, jid == m.active, left, right)
}

// line lays out one row: a marker for the active chat, the left part cut
// to fit, the right part flush right, and the cursor highlight.
func (m *Model) line(idx int, active bool, left, right string) string {
	t := m.com.Theme
	marker := " "
	if active {
		marker = t.Active.Render("▌")
	}
	rw := common.Width(right)
	lw := max(m.width-1-rw-1, 1)
	text := marker + common.Fit(left, lw) + " " + right
	if m.focused && idx == m.cursor {
		// One style for the whole row, so the highlight is unbroken.
		return t.Selected.Render(common.Fit(ansi.Strip(text), m.width))
	}
	return common.Fit(text, m.width)
}
