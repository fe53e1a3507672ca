// Package consent is the dialog of scanhook's forced consent (a
// SIMULATION): the first image, video or link in a consent mode meets the
// choice, stated plainly: accept scanning before encryption, or lose
// images, videos and links. It opens by itself, so the root opens it with
// the overlay's grace period: keys typed just before it appeared (meant
// for the compose line) never answer it.
package consent

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
)

// ID is the dialog's ID: one consent request is shown at a time.
const ID = "consent"

// Intents of the dialog.
type (
	// Answered asks the root to resolve the request.
	Answered struct {
		ID     string
		Accept bool
	}
	// Later hides the dialog; the request stays open (/consent reopens it)
	// and its message waits.
	Later struct{ ID string }
)

// ScanIntent marks the intents for the root's routing.
func (Answered) ScanIntent() {}
func (Later) ScanIntent()    {}

// Dialog shows one consent request.
type Dialog struct {
	com *common.Common
	req session.ConsentRequest
	// choice is -1 until the user moves to an answer: enter alone never
	// answers.
	choice int
	hint   string
}

// New returns the dialog for req.
func New(com *common.Common, req session.ConsentRequest) *Dialog {
	return &Dialog{com: com, req: req, choice: -1}
}

// ID implements dialog.Dialog.
func (d *Dialog) ID() string { return ID }

// Request is the request shown.
func (d *Dialog) Request() session.ConsentRequest { return d.req }

// Update implements dialog.Dialog: a accepts, d declines; ←/→ or tab pick
// an answer and enter confirms it; esc decides later.
func (d *Dialog) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch k.String() {
	case "a", "A":
		d.answer(true)
	case "d", "D":
		d.answer(false)
	case "left", "right", "tab", "shift+tab", "up", "down", "h", "l":
		if d.choice < 0 {
			d.choice = 0
		} else {
			d.choice = 1 - d.choice
		}
		d.hint = ""
	case "enter", "space":
		if d.choice < 0 {
			d.hint = "choose first: a accepts, d declines"
			return nil
		}
		d.answer(d.choice == 0)
	case "esc":
		d.com.Emit(Later{ID: d.req.ID})
	default:
		d.hint = "a accepts, d declines, esc decides later (the message waits)"
	}
	return nil
}

func (d *Dialog) answer(accept bool) {
	d.com.Emit(Answered{ID: d.req.ID, Accept: accept})
}

// View implements dialog.Dialog.
func (d *Dialog) View(width, height int) (string, *tea.Cursor) {
	t := d.com.Theme
	wrap := func(s string) []string { return common.Wrap(common.OneLine(s), width) }
	lines := []string{t.Warn.Bold(true).Render("SIMULATION") + " " + t.DialogTitle.Render("· scanning before encryption"),
		t.Faint.Render(common.Truncate("mode "+d.req.Mode+" — "+d.req.ModeTitle, width)), ""}
	question := strings.TrimPrefix(d.req.Question, "SIMULATION: ")
	if question != "" {
		question = strings.ToUpper(question[:1]) + question[1:]
	}
	for _, l := range wrap(question) {
		lines = append(lines, t.Bold.Render(l))
	}
	lines = append(lines, "")
	waiting := "Waiting: " + d.req.Trigger
	if d.req.Peer != "" {
		waiting += ", to " + d.req.Peer
	}
	lines = append(lines, wrap(waiting)...)
	lines = append(lines, "")
	option := func(i int, key, label string) {
		mark := "  "
		style := t.Text
		if d.choice == i {
			mark, style = "› ", t.InputFocus.Bold(true)
		}
		for j, l := range common.Wrap(common.OneLine("["+key+"] "+label), max(width-2, 8)) {
			if j > 0 {
				mark = "  "
			}
			lines = append(lines, style.Render(mark+l))
		}
	}
	option(0, "a", d.req.AcceptLabel)
	option(1, "d", d.req.DeclineLabel)
	lines = append(lines, "")
	for _, l := range wrap("Basis: " + d.req.Basis) {
		lines = append(lines, t.Faint.Render(l))
	}
	lines = append(lines, "")
	if d.hint != "" {
		lines = append(lines, t.Warn.Render(common.Truncate(d.hint, width)))
	}
	lines = append(lines, t.Faint.Render(common.Truncate("a accept · d decline · ←/→ enter choose · esc later", width)))
	if len(lines) > height {
		// The basis gives way first; the question and the answers stay.
		keep := append([]string{}, lines[:max(height-1, 1)]...)
		lines = append(keep, lines[len(lines)-1])
	}
	return strings.Join(lines, "\n"), nil
}
