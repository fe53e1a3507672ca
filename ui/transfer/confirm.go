package transfer

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
	"github.com/candor-xmpp/candor/ui/dialog"
)

// ConfirmID is the ID of the send confirmation dialog.
const ConfirmID = "send-file"

// Intents of the dialog, for the root.
type (
	// SendConfirmed: upload and send Req.
	SendConfirmed struct{ Req session.FileRequest }
	// PlanRequested: call PrepareFile(Req) and deliver PlanReady here.
	PlanRequested struct{ Req session.FileRequest }
)

// PlanReady answers PlanRequested.
type PlanReady struct {
	Plan session.FilePlan
	Err  error
}

// Confirm shows a file before it is sent: what it is, how it is
// protected, what the upload server learns and what stays private. Enter
// sends; p switches to an unencrypted upload (only to a contact without
// OMEMO), which shows its own report before it can be sent.
type Confirm struct {
	com     *common.Common
	plan    session.FilePlan
	waiting bool
	err     string
	offset  int
}

// NewConfirm returns the dialog for plan.
func NewConfirm(com *common.Common, plan session.FilePlan) *Confirm {
	return &Confirm{com: com, plan: plan}
}

func (c *Confirm) ID() string { return ConfirmID }

func (c *Confirm) request(plaintext bool) session.FileRequest {
	return session.FileRequest{To: c.plan.To, Path: c.plan.Path, Plaintext: plaintext}
}

func (c *Confirm) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case PlanReady:
		c.waiting = false
		if msg.Err != nil {
			c.err = msg.Err.Error()
			return nil
		}
		c.plan, c.err = msg.Plan, ""
	case tea.KeyPressMsg:
		switch msg.String() {
		case "esc", "q":
			c.com.Emit(dialog.CloseRequested{ID: ConfirmID})
		case "enter", "y":
			if !c.waiting {
				c.com.Emit(SendConfirmed{Req: c.request(!c.plan.Encrypted)})
				c.com.Emit(dialog.CloseRequested{ID: ConfirmID})
			}
		case "p", "e":
			encrypt := msg.String() == "e"
			if c.waiting || c.plan.Encrypted == encrypt || c.plan.PeerHasOMEMO && !encrypt {
				return nil
			}
			c.waiting = true
			c.com.Emit(PlanRequested{Req: c.request(!encrypt)})
		case "up", "k":
			c.offset--
		case "down", "j":
			c.offset++
		}
	}
	return nil
}

func (c *Confirm) View(width, height int) (string, *tea.Cursor) {
	t := c.com.Theme
	p := c.plan
	var lines []string
	add := func(s ...string) {
		for _, l := range s {
			lines = append(lines, common.Wrap(l, width)...)
		}
	}
	add(t.Bold.Render(common.OneLine(p.Name))+" · "+session.HumanSize(p.Size)+" · "+p.MediaType+" → "+p.To, "")
	if p.Encrypted {
		add(t.Good.Render("Encrypted") + " with AES-256-GCM (XEP-0454) before it leaves, uploaded to " + p.Service + ".")
	} else {
		add(t.Bad.Render("NOT encrypted:") + " the upload server, and anyone who gets the link, can read the file.")
	}
	bullet := func(l string) {
		style := t.Text
		if strings.HasPrefix(l, "NOT private") {
			style = t.Warn
		}
		for i, w := range common.Wrap(l, max(width-4, 8)) {
			prefix := "    "
			if i == 0 {
				prefix = "  • "
			}
			lines = append(lines, prefix+style.Render(w))
		}
	}
	learns, private := p.Leak.Lines()
	add("", t.Bold.Render("The upload server learns:"))
	for _, l := range learns {
		bullet(l)
	}
	add("", t.Bold.Render("Stays private:"))
	for _, l := range private {
		bullet(l)
	}
	if c.err != "" {
		add("", t.Bad.Render(c.err))
	}
	keys := "enter sends · esc cancels"
	switch {
	case c.waiting:
		keys = "checking…"
	case p.Encrypted && !p.PeerHasOMEMO:
		keys += " · p sends without encryption"
	case !p.Encrypted:
		keys = "enter sends UNENCRYPTED · e encrypts · esc cancels"
	}
	avail := max(height-3, 1)
	c.offset = min(max(c.offset, 0), max(len(lines)-avail, 0))
	shown := lines[c.offset:min(len(lines), c.offset+avail)]
	out := []string{t.DialogTitle.Render("Send a file")}
	for _, l := range shown {
		out = append(out, common.Fit(l, width))
	}
	out = append(out, t.Faint.Render(keys))
	return strings.Join(out, "\n"), nil
}
