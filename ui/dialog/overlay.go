package dialog

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/candor-xmpp/candor/ui/common"
)

// Grace is the usual grace period of a dialog that opened by itself.
const Grace = 600 * time.Millisecond

// Dialog is a modal box.
type Dialog interface {
	// ID names the dialog; opening a dialog with the same ID replaces it.
	ID() string
	// Update handles input while the dialog is on top, and messages
	// addressed to it. It returns intents for the root.
	Update(msg tea.Msg) tea.Cmd
	// View renders the box's content in at most width×height cells; the
	// cursor, if any, is relative to the content's top-left corner.
	View(width, height int) (string, *tea.Cursor)
}

// CloseRequested asks the root to close a dialog.
type CloseRequested struct{ ID string }

type opened struct {
	d     Dialog
	at    time.Time
	grace time.Duration
}

// Overlay is the stack of open dialogs.
type Overlay struct {
	com   *common.Common
	stack []opened
}

// NewOverlay returns an empty overlay.
func NewOverlay(com *common.Common) *Overlay { return &Overlay{com: com} }

// Open puts d on top. For grace after now, keys and pastes are swallowed:
// use Grace for dialogs the user did not ask for, 0 for those they did.
func (o *Overlay) Open(d Dialog, grace time.Duration) {
	o.Close(d.ID())
	o.stack = append(o.stack, opened{d: d, at: o.com.Now(), grace: grace})
}

// Close removes the dialog with id, wherever it is in the stack.
func (o *Overlay) Close(id string) {
	for i, e := range o.stack {
		if e.d.ID() == id {
			o.stack = append(o.stack[:i], o.stack[i+1:]...)
			return
		}
	}
}

// Active reports whether a dialog is open.
func (o *Overlay) Active() bool { return len(o.stack) > 0 }

// Top is the dialog that has the keyboard, nil when none.
func (o *Overlay) Top() Dialog {
	if len(o.stack) == 0 {
		return nil
	}
	return o.stack[len(o.stack)-1].d
}

// Get finds an open dialog by ID.
func (o *Overlay) Get(id string) Dialog {
	for _, e := range o.stack {
		if e.d.ID() == id {
			return e.d
		}
	}
	return nil
}

// Update gives input to the top dialog, unless it arrived within the top
// dialog's grace period: then it is swallowed, and reaches nothing.
func (o *Overlay) Update(msg tea.Msg) tea.Cmd {
	if len(o.stack) == 0 {
		return nil
	}
	top := o.stack[len(o.stack)-1]
	switch msg.(type) {
	case tea.KeyPressMsg, tea.PasteMsg:
		if o.com.Now().Sub(top.at) < top.grace {
			return nil
		}
	}
	return top.d.Update(msg)
}

// Deliver hands an addressed message (an async result) to the dialog
// with id, whether or not it is on top.
func (o *Overlay) Deliver(id string, msg tea.Msg) tea.Cmd {
	if d := o.Get(id); d != nil {
		return d.Update(msg)
	}
	return nil
}

// Render draws the top dialog centred over base (w×h cells) and returns
// the composed screen and the cursor in screen coordinates.
func (o *Overlay) Render(base string, w, h int) (string, *tea.Cursor) {
	top := o.Top()
	if top == nil {
		return base, nil
	}
	t := o.com.Theme
	boxW := min(w-2*gutter, 78)
	if wide, ok := top.(interface{ Wide() bool }); ok && wide.Wide() {
		boxW = w - 2*gutter // side-by-side views (the inspector)
	}
	innerW := max(boxW-t.DialogBox.GetHorizontalFrameSize(), 10)
	innerH := max(h-t.DialogBox.GetVerticalFrameSize(), 3)
	content, cur := top.View(innerW, innerH)
	box := t.DialogBox.Render(clip(content, innerW, innerH))
	// A blank ring round the border: text behind never touches the box, so
	// its edge reads as an edge (the right one most of all, where the
	// conversation's text runs).
	ring := lipgloss.NewStyle().Padding(0, gutter)
	if lipgloss.Height(box)+2 <= h {
		ring = ring.PaddingTop(1).PaddingBottom(1)
	}
	box = ring.Render(box)
	bw, bh := lipgloss.Width(box), lipgloss.Height(box)
	x, y := max((w-bw)/2, 0), max((h-bh)/3, 0)
	// The screen behind stays readable but steps back.
	lines := strings.Split(ansi.Strip(base), "\n")
	for i, l := range lines {
		lines[i] = t.Faint.Render(l)
	}
	canvas := lipgloss.NewCanvas(w, h)
	canvas.Compose(lipgloss.NewCompositor(
		lipgloss.NewLayer(strings.Join(lines, "\n")),
		lipgloss.NewLayer(box).X(x).Y(y).Z(1),
	))
	if cur != nil {
		cur.Position.X += x + ring.GetPaddingLeft() + t.DialogBox.GetBorderLeftSize() + t.DialogBox.GetPaddingLeft()
		cur.Position.Y += y + ring.GetPaddingTop() + t.DialogBox.GetBorderTopSize() + t.DialogBox.GetPaddingTop()
	}
	return canvas.Render(), cur
}

// gutter is the blank margin, in cells, left and right of a dialog box.
const gutter = 1

// clip keeps a dialog's content within w×h cells, whatever its View
// returned: a line that is too long would widen the box past the screen's
// edge and cut its right border off.
func clip(content string, w, h int) string {
	lines := strings.Split(content, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if lipgloss.Width(l) > w {
			lines[i] = common.Truncate(l, w)
		}
	}
	return strings.Join(lines, "\n")
}
