package dialog

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"github.com/candor-xmpp/candor/ui/commands"
	"github.com/candor-xmpp/candor/ui/common"
	"github.com/candor-xmpp/candor/ui/theme"
)

// KeysID is the ID of the key bindings overlay.
const KeysID = "keys"

// NewKeyHelp returns the overlay that lists every key binding (through
// bubbles/help), the marks used on screen, and the commands.
func NewKeyHelp(com *common.Common, reg *commands.Registry) *TextBox {
	b := NewTextBox(com, KeysID, "Keys", nil)
	b.layout = func(width int) []string { return keyHelpLines(com, reg, width) }
	return b
}

func keyHelpLines(com *common.Common, reg *commands.Registry, width int) []string {
	t := com.Theme
	h := help.New()
	h.Styles = helpStyles(t)
	h.FullSeparator = ""
	var blocks []string
	for _, g := range com.Keys.Groups() {
		col := h.FullHelpView([][]key.Binding{g.Bindings})
		blocks = append(blocks, t.Bold.Render(g.Title)+"\n"+col)
	}
	blocks = append(blocks, t.Bold.Render("Marks")+"\n"+marks(t))
	var lines []string
	// Two blocks side by side when they fit, else one under the other.
	for i := 0; i < len(blocks); i += 2 {
		if i+1 < len(blocks) {
			pair := lipgloss.JoinHorizontal(lipgloss.Top, blocks[i], "   ", blocks[i+1])
			if lipgloss.Width(pair) <= width {
				lines = append(lines, strings.Split(pair, "\n")...)
				lines = append(lines, "")
				continue
			}
		}
		lines = append(lines, strings.Split(blocks[i], "\n")...)
		lines = append(lines, "")
		if i+1 < len(blocks) {
			lines = append(lines, strings.Split(blocks[i+1], "\n")...)
			lines = append(lines, "")
		}
	}
	lines = append(lines, t.Bold.Render("Commands")+t.Faint.Render("  (tab completes; /help COMMAND explains one)"))
	for _, s := range reg.Specs() {
		lines = append(lines, t.InputFocus.Render(s.Usage())+t.Faint.Render(" — "+s.Summary))
	}
	return lines
}

func helpStyles(t *theme.Theme) help.Styles {
	return help.Styles{
		Ellipsis:       t.Faint,
		ShortKey:       t.InputFocus,
		ShortDesc:      t.Text,
		ShortSeparator: t.Faint,
		FullKey:        t.InputFocus.Bold(true),
		FullDesc:       t.Text,
		FullSeparator:  t.Faint,
	}
}

func marks(t *theme.Theme) string {
	rows := [][2]string{
		{t.Good.Render("◆") + " OMEMO, trusted", t.Good.Render("●") + " online"},
		{t.Warn.Render("◇") + " OMEMO, untrusted", t.Warn.Render("◐") + " away"},
		{t.Warn.Render("○") + " not encrypted", t.Warn.Render("◌") + " extended away"},
		{t.Faint.Render("◆") + " to be encrypted", ""},
		{t.Faint.Render("…") + " queued  " + t.Faint.Render("✓") + " sent", t.Bad.Render("⊖") + " do not disturb"},
		{t.Good.Render("✓✓") + " delivered", t.Faint.Render("○") + " offline"},
		{t.Bad.Render("✗") + " failed", t.Faint.Render("✎") + " typing"},
	}
	var out []string
	for _, r := range rows {
		out = append(out, common.Fit(r[0], 19)+" "+r[1])
	}
	return strings.Join(out, "\n")
}

// NewCommandHelp returns the /help box: all commands, or one in detail.
func NewCommandHelp(com *common.Common, reg *commands.Registry, topic string) *TextBox {
	t := com.Theme
	if s, ok := reg.Lookup(topic); ok {
		summary := strings.ToUpper(s.Summary[:1]) + s.Summary[1:] + "."
		return NewTextBox(com, "help", s.Usage(), []string{summary, "", s.Help})
	}
	var lines []string
	for _, s := range reg.Specs() {
		lines = append(lines, t.InputFocus.Render(s.Usage())+t.Faint.Render(" — "+s.Summary))
	}
	lines = append(lines, "", t.Faint.Render("Tab completes commands and JIDs. A line starting with // sends a slash."),
		t.Faint.Render("/help COMMAND explains one command; f1 lists the keys."))
	return NewTextBox(com, "help", "Commands", lines)
}
