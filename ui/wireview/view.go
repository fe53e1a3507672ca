// Package wireview is the inspector's view of a message beside the
// scanner's: "you" (the text and how it was protected) and "server" (the
// stanza as it crossed the wire, its addresses, times, sizes, OMEMO header
// and the devices it was encrypted for), from Backend.Inspect.
package wireview

import (
	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
)

// The titles of the tabs.
const (
	YouTab    = "you"
	ServerTab = "server"
)

// Loaded is the inspection of one message, delivered to the panels.
type Loaded struct {
	Message    session.Message
	Inspection session.Inspection
	Err        error
}

// view is what both tabs keep: the message and its inspection.
type view struct {
	com     *common.Common
	in      session.Inspection
	err     error
	loading bool
}

// MessageID is the local ID of the message shown.
func (v *view) MessageID() int64 { return v.in.Message.ID }

// Load shows another message, loading.
func (v *view) Load(msg session.Message) {
	v.in, v.err, v.loading = session.Inspection{Message: msg}, nil, true
}

// Footer implements inspect.Panel.
func (v *view) Footer() string { return "" }

// Update implements inspect.Panel: it takes the inspection of the message
// shown.
func (v *view) Update(msg tea.Msg) tea.Cmd {
	if l, ok := msg.(Loaded); ok && l.Message.ID == v.in.Message.ID {
		v.loading, v.err = false, l.Err
		if l.Err == nil {
			v.in = l.Inspection
		}
	}
	return nil
}

// status is what to show instead of the inspection while it loads or
// when it failed.
func (v *view) status(width int) ([]string, bool) {
	t := v.com.Theme
	switch {
	case v.loading:
		return []string{t.Faint.Render("loading…")}, true
	case v.err != nil:
		return common.Wrap(t.Bad.Render("could not inspect: "+common.OneLine(v.err.Error())), width), true
	}
	return nil, false
}
