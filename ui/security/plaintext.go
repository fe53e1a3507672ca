package security

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
	"github.com/candor-xmpp/candor/ui/dialog"
)

// PlaintextID is the ID of the plaintext question.
const PlaintextID = "omemo-plaintext"

// Choice answers the plaintext question.
type Choice int

const (
	KeepUnsent  Choice = iota // send nothing
	SendOnce                  // send this message unencrypted
	TurnOffChat               // turn encryption off for the chat, and send
)

// PlaintextChosen is the user's answer about message ID to Peer.
type PlaintextChosen struct {
	ID     int64
	Peer   string
	Choice Choice
}

// Plaintext asks whether to send a message unencrypted to a contact who
// has no OMEMO device. Nothing goes out unless the user says so.
type Plaintext struct {
	com  *common.Common
	need session.PlaintextNeeded
	body string
}

// NewPlaintext returns the question about the message that was not sent.
func NewPlaintext(com *common.Common, need session.PlaintextNeeded, body string) *Plaintext {
	return &Plaintext{com: com, need: need, body: body}
}

func (p *Plaintext) ID() string { return PlaintextID }

// Message is the message the question is about.
func (p *Plaintext) Message() int64 { return p.need.ID }

func (p *Plaintext) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	choice := Choice(-1)
	switch strings.ToLower(k.String()) {
	case "y", "s":
		choice = SendOnce
	case "a", "o":
		choice = TurnOffChat
	case "n", "esc", "q":
		choice = KeepUnsent
	}
	if choice >= 0 {
		p.com.Emit(dialog.CloseRequested{ID: PlaintextID})
		p.com.Emit(PlaintextChosen{ID: p.need.ID, Peer: p.need.Peer, Choice: choice})
	}
	return nil
}

func (p *Plaintext) View(width, height int) (string, *tea.Cursor) {
	t := p.com.Theme
	peer := common.OneLine(p.need.Peer)
	lines := []string{
		t.DialogTitle.Render("Send unencrypted?"),
		"",
	}
	lines = append(lines, common.Wrap(peer+" has no OMEMO device, so this message cannot be end-to-end encrypted. "+
		"It was not sent.", width)...)
	lines = append(lines, "", t.Faint.Render(common.Truncate("“"+common.OneLine(p.body)+"”", width)), "")
	lines = append(lines, common.Wrap("Unencrypted, the server (and anyone who can read it) sees the text.", width)...)
	lines = append(lines, "",
		t.InputFocus.Render("y")+" send this message unencrypted",
		t.InputFocus.Render("a")+" turn encryption off for this chat and send it",
		t.InputFocus.Render("n")+" keep it unsent (esc)")
	for i, l := range lines {
		lines[i] = common.Fit(l, width)
	}
	if len(lines) > height {
		lines = lines[:height]
	}
	return strings.Join(lines, "\n"), nil
}
