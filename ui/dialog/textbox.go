package dialog

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/ui/common"
)

// TextBox shows text that may be longer than the screen: a title, the
// lines, and a footer; up, down and the page keys scroll; esc, enter and q
// close it.
type TextBox struct {
	com    *common.Common
	id     string
	title  string
	lines  []string           // styled, unwrapped
	layout func(int) []string // when set, builds the lines for a width
	offset int
	page   int // rows shown last time, for the page keys
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
		b.offset = 1 << 30
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
	b.offset = min(max(b.offset, 0), max(len(body)-avail, 0))
	shown := body[b.offset:min(len(body), b.offset+avail)]
	footer := "esc closes"
	if len(body) > avail {
		footer = "↑/↓ pgup/pgdn scroll · " + footer
	}
	out := []string{t.DialogTitle.Render(b.title), ""}
	for _, l := range shown {
		out = append(out, common.Fit(l, width))
	}
	out = append(out, t.Faint.Render(footer))
	return strings.Join(out, "\n"), nil
}
