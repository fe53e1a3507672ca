package scanview

import (
	"errors"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
)

// Tab is the title of the scanner's tab in the inspector.
const Tab = "scanner"

// Intents and results of the scanner panel.
type (
	// StepRequested asks the root to inspect the sent message before
	// (Older) or after the one shown, in the same chat.
	StepRequested struct {
		Peer  string
		From  int64
		Older bool
	}
	// Loaded is the inspection of one message, delivered to the panel.
	Loaded struct {
		Message    session.Message
		Inspection session.ScanInspection
		Err        error
	}
)

// ScanIntent marks the panel's intents for the root's routing.
func (StepRequested) ScanIntent() {}

// Panel is the inspector's scanner tab: what scanhook saw of one sent
// message, how it decided, and the report as written.
type Panel struct {
	com     *common.Common
	msg     session.Message
	ins     *session.ScanInspection
	err     error
	loading bool
}

// NewPanel returns the panel for msg, loading until Loaded arrives.
func NewPanel(com *common.Common, msg session.Message) *Panel {
	return &Panel{com: com, msg: msg, loading: true}
}

// MessageID is the local ID of the message shown.
func (p *Panel) MessageID() int64 { return p.msg.ID }

// Title implements inspect.Panel.
func (p *Panel) Title() string { return Tab }

// Footer implements inspect.Panel.
func (p *Panel) Footer() string { return "[ ] older/newer message" }

// Load shows another message, loading.
func (p *Panel) Load(msg session.Message) {
	p.msg, p.ins, p.err, p.loading = msg, nil, nil, true
}

// Update implements inspect.Panel.
func (p *Panel) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case Loaded:
		if msg.Message.ID != p.msg.ID {
			return nil // an answer for a message no longer shown
		}
		p.msg, p.loading, p.err = msg.Message, false, msg.Err
		if msg.Err == nil {
			ins := msg.Inspection
			p.ins = &ins
		}
	case tea.KeyPressMsg:
		switch msg.String() {
		case "[":
			p.com.Emit(StepRequested{Peer: p.msg.Peer, From: p.msg.ID, Older: true})
		case "]":
			p.com.Emit(StepRequested{Peer: p.msg.Peer, From: p.msg.ID, Older: false})
		}
	}
	return nil
}

// Lines implements inspect.Panel.
func (p *Panel) Lines(width int) []string {
	t := p.com.Theme
	out := []string{t.Warn.Bold(true).Render("SIMULATION") + t.Faint.Render(" — what scanhook saw on this device before encryption"),
		messageLine(p.msg), ""}
	switch {
	case p.loading:
		return append(out, t.Faint.Render("loading…"))
	case errors.Is(p.err, session.ErrNotScanned):
		return append(out,
			"Not scanned: this message was sent while scanhook was off, or by another client of yours.",
			"Nothing was checked and nothing was reported; it went out as typed.")
	case p.err != nil:
		return append(out, t.Bad.Render("could not load the scan result: "+common.OneLine(p.err.Error())))
	}
	return append(out, inspectionLines(t, p.ins, width)...)
}

func messageLine(m session.Message) string {
	when := "--:--"
	if !m.Time.IsZero() {
		when = m.Time.Local().Format("2 Jan 15:04")
	}
	body := common.Truncate(common.OneLine(common.Sanitize(m.Body)), 60)
	return "Message to " + m.Peer + ", " + when + ": “" + body + "”"
}
