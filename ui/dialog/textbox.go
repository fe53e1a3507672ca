package dialog

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/ui/common"
)

// TextBox shows text that may be longer than the screen: a title, the
// lines, and a footer that says when there is more; up, down, the page
// keys, home and end scroll; esc, enter and q close it.
type TextBox struct {
	com    *common.Common
	id     string
	title  string
	lines  []string           // styled, unwrapped
	layout func(int) []string // when set, builds the lines for a width
	offset int
	page   int  // rows shown last time, for the page keys
	atEnd  bool // scrolled to the end: a resize keeps the end in view
}

// NewTextBox returns a text box; lines may be styled.
func NewTextBox(com *common.Common, id, title string, lines []string) *TextBox {
	return &TextBox{com: com, id: id, title: title, lines: lines}
}

func (b *TextBox) ID() string { return b.id }

func (b *TextBox) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	b.atEnd = false
	switch k.String() {
	case "esc", "enter", "q", "?", "f1":
		b.com.Emit(CloseRequested{ID: b.id})
		return nil
	case "up", "k":
		b.offset--
	case "down", "j":
		b.offset++
	case "pgup":
		b.offset -= max(b.page-1, 1)
	case "pgdown", "space":
		b.offset += max(b.page-1, 1)
	case "home", "g":
		b.offset = 0
	case "end", "G":
		b.atEnd = true
	}
	return nil
}

func (b *TextBox) View(width, height int) (string, *tea.Cursor) {
	t := b.com.Theme
	lines := b.lines
	if b.layout != nil {
		lines = b.layout(width)
	}
	var body []string
	for _, l := range lines {
		if common.Width(l) <= width {
			body = append(body, l)
			continue
		}
		body = append(body, common.Wrap(l, width)...)
	}
	avail := max(height-4, 1) // title, blank, footer, and a margin
	b.page = avail
	// Clamped here, not in Update: a resize changes how much fits.
	last := max(len(body)-avail, 0)
	if b.atEnd {
		b.offset = last
	}
	b.offset = min(max(b.offset, 0), last)
	b.atEnd = b.offset > 0 && b.offset == last
	end := min(len(body), b.offset+avail)
	out := []string{t.DialogTitle.Render(common.Truncate(b.title, width)), ""}
	for _, l := range body[b.offset:end] {
		out = append(out, common.Fit(l, width))
	}
	out = append(out, b.footer(b.offset, end, len(body), width))
	return strings.Join(out, "\n"), nil
}

// footer says whether there is more above or below, and which keys scroll.
func (b *TextBox) footer(from, to, total, width int) string {
	t := b.com.Theme
	if from == 0 && to == total {
		return t.Faint.Render("esc closes")
	}
	var more string
	switch {
	case from > 0 && to < total:
		more = "↑↓ more"
	case to < total:
		more = "↓ more"
	default:
		more = "↑ more"
	}
	pos := " " + strconv.Itoa(from+1) + "–" + strconv.Itoa(to) + " of " + strconv.Itoa(total)
	// The longest wording that fits; "more" and "esc closes" last longest.
	rest := pos + " · ↑/↓ pgup/pgdn home/end · esc closes"
	for _, r := range []string{pos + " · esc closes", " · esc closes", ""} {
		if common.Width(more+rest) <= width {
			break
		}
		rest = r
	}
	return common.Truncate(t.InputFocus.Render(more)+t.Faint.Render(rest), width)
}
