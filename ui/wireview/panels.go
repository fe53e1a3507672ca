package wireview

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
	"github.com/candor-xmpp/candor/ui/console"
	"github.com/candor-xmpp/candor/ui/security"
)

// You is the inspector's "you" tab: the text and how it was protected.
type You struct{ view }

// NewYou returns the "you" tab for msg, loading until Loaded arrives.
func NewYou(com *common.Common, msg session.Message) *You {
	return &You{view{com: com, in: session.Inspection{Message: msg}, loading: true}}
}

// Title implements inspect.Panel.
func (p *You) Title() string { return YouTab }

// Lines implements inspect.Panel.
func (p *You) Lines(width int) []string {
	t := p.com.Theme
	m := p.in.Message
	out := []string{t.Faint.Render("What you see: the message as this device shows it"), ""}
	who := "from " + m.Peer
	if m.Direction == session.Outgoing {
		who = "to " + m.Peer
	}
	out = append(out, t.Faint.Render(common.Truncate(who+" · "+m.Time.Local().Format("2006-01-02 15:04:05")+" · "+m.State.String(), width)), "")
	out = append(out, common.Wrap(common.Sanitize(m.Body), width)...)
	out = append(out, "")
	if lines, done := p.status(width); done {
		return append(out, lines...)
	}
	enc := m.Encryption
	switch {
	case p.in.Version == session.Plaintext && enc.Scheme == session.Plaintext:
		out = append(out, wrap(t.Bad.Render, "Not end-to-end encrypted: the server saw this text, and keeps it in its archive.", width)...)
	case p.in.Planned:
		out = append(out, wrap(t.Text.Render, "Queued: it will be encrypted with "+security.VersionName(p.in.Version)+" when it is sent.", width)...)
	case m.Direction == session.Outgoing:
		out = append(out, wrap(t.Good.Render, fmt.Sprintf("End-to-end encrypted (%s) by this device (%d).", security.VersionName(p.in.Version), enc.DeviceID), width)...)
	default:
		line := fmt.Sprintf("End-to-end encrypted (%s) by %s's device %d, %s.", security.VersionName(p.in.Version), m.Peer, enc.DeviceID, security.TrustName(p.in.Trust))
		style := t.Good.Render
		if !enc.Trusted {
			style = t.Warn.Render
			line += " You have not trusted that device: /omemo devices " + m.Peer + "."
		}
		out = append(out, wrap(style, line, width)...)
	}
	if p.in.Note != "" {
		out = append(out, "")
		out = append(out, wrap(t.Bad.Render, "Not decrypted: "+p.in.Note, width)...)
	}
	return out
}

// Server is the inspector's "server" tab: what the server sees of the
// message: addresses, times, sizes, the OMEMO header, the devices it was
// encrypted for, and the stanza itself.
type Server struct{ view }

// NewServer returns the "server" tab for msg, loading until Loaded arrives.
func NewServer(com *common.Common, msg session.Message) *Server {
	return &Server{view{com: com, in: session.Inspection{Message: msg}, loading: true}}
}

// Title implements inspect.Panel.
func (p *Server) Title() string { return ServerTab }

// Lines implements inspect.Panel.
func (p *Server) Lines(width int) []string {
	t := p.com.Theme
	in := p.in
	m := in.Message
	out := []string{t.Faint.Render("What the server sees: the stanza as it crossed the wire"), ""}
	if lines, done := p.status(width); done {
		return append(out, lines...)
	}
	field := func(name, value string) {
		for i, l := range common.Wrap(value, max(width-10, 10)) {
			label := "          "
			if i == 0 {
				label = t.Faint.Render(fmt.Sprintf("%-9s ", name))
			}
			out = append(out, label+l)
		}
	}
	from, to := common.OneLine(in.From), common.OneLine(in.To)
	if from == "" {
		from = "(the sender's account, stamped by the server)"
	}
	field("from", from)
	field("to", to)
	when := m.Time.UTC().Format("2006-01-02 15:04:05 UTC")
	switch m.Source {
	case session.Archive:
		when += " (kept in the archive)"
	case session.Carbon:
		when += " (copied to our other devices)"
	}
	field("time", when)
	if m.StanzaID != "" {
		field("id", "archive id "+m.StanzaID)
	}
	if in.Size > 0 {
		field("size", fmt.Sprintf("%d bytes", in.Size))
	}
	out = append(out, "")
	if in.Version == session.Plaintext {
		out = append(out, wrap(t.Bad.Render, "No end-to-end encryption: the body is readable by the server and anyone it shares it with.", width)...)
	} else {
		field("scheme", security.VersionName(in.Version)+fmt.Sprintf(" · sender device %d", in.SenderDevice))
		if in.PayloadSize > 0 {
			v := fmt.Sprintf("%d bytes of ciphertext", in.PayloadSize)
			if in.IVSize > 0 {
				v += fmt.Sprintf(" · IV %d bytes", in.IVSize)
			}
			field("payload", v)
		}
		if in.Fallback != "" {
			field("fallback", "“"+common.OneLine(in.Fallback)+"”")
		}
		out = append(out, "")
		title := "Encrypted for (the header names every device):"
		if in.Planned {
			title = "Will be encrypted for:"
		}
		out = append(out, wrap(t.Bold.Render, title, width)...)
		if len(in.Keys) == 0 {
			out = append(out, t.Faint.Render("  no device"))
		}
		for _, k := range in.Keys {
			s := fmt.Sprintf("  device %d", k.Device)
			if k.JID != "" {
				s = "  " + common.OneLine(k.JID) + fmt.Sprintf(" · device %d", k.Device)
			}
			if k.KeyExchange {
				s += " · new session (prekey)"
			}
			if k.Size > 0 {
				s += fmt.Sprintf(" · %d-byte key", k.Size)
			}
			if k.Mine {
				s += " · this device"
			}
			for i, l := range common.Wrap(s, width-4) {
				if i > 0 {
					l = "    " + l
				}
				out = append(out, l)
			}
		}
		out = append(out, "")
		out = append(out, wrap(t.Faint.Render, "The server cannot read the text; it sees who writes to whom, when, how much, and from which devices.", width)...)
	}
	out = append(out, "")
	if in.Stanza == "" {
		out = append(out, t.Faint.Render(common.Truncate("The stanza was not recorded.", width)))
		return out
	}
	label := "The stanza as received:"
	if m.Direction == session.Outgoing {
		label = "The stanza as sent:"
	}
	out = append(out, t.Bold.Render(label))
	for _, l := range console.Pretty(in.Stanza, t) {
		if common.Width(l) <= width {
			out = append(out, l)
			continue
		}
		// Long runs of base64: wrapped, so that all the ciphertext shows.
		out = append(out, strings.Split(ansi.Hardwrap(l, width, true), "\n")...)
	}
	return out
}

func wrap(style func(...string) string, text string, width int) []string {
	var out []string
	for _, l := range common.Wrap(text, width) {
		out = append(out, style(l))
	}
	return out
}
