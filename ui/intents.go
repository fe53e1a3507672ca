package ui

import (
	"context"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/commands"
	"github.com/candor-xmpp/candor/ui/conversation"
	"github.com/candor-xmpp/candor/ui/dialog"
)

func (m *Model) activeConv() *conversation.Model { return m.convs[m.sidebar.Active()] }

// openChat shows the chat with peer and puts the keyboard in compose.
func (m *Model) openChat(peer string) tea.Cmd {
	var cmds []tea.Cmd
	c := m.convs[peer]
	if c == nil {
		name := m.sidebar.Name(peer)
		if name == peer {
			name = ""
		}
		c = conversation.New(m.com, peer, name)
		m.convs[peer] = c
	}
	m.sidebar.OpenChat(peer)
	if n := m.sidebar.Unread(peer); n > 0 {
		c.MarkUnread(n)
		m.sidebar.ClearUnread(peer)
		cmds = append(cmds, m.markRead(peer))
	}
	m.syncSource()
	cmds = append(cmds, m.compose.SetPeer(peer), m.setFocus(focusCompose), m.relayout(), m.loadSecurity(peer))
	m.compose.SetPeerName(m.sidebar.Name(peer))
	return tea.Batch(cmds...)
}

// closeChat closes peer's chat and shows its neighbour.
func (m *Model) closeChat(peer string) tea.Cmd {
	if peer == "" {
		return m.status.SetNotice(session.Warning, "no chat to close")
	}
	chats := m.sidebar.Chats()
	i := slices.Index(chats, peer)
	m.sidebar.CloseChat(peer)
	delete(m.convs, peer)
	chats = m.sidebar.Chats()
	if len(chats) == 0 {
		return tea.Batch(m.compose.SetPeer(""), m.relayout(), m.loadSecurity(""))
	}
	return m.openChat(chats[min(max(i, 0), len(chats)-1)])
}

// send sends and shows the newest messages, where the new one will be.
func (m *Model) send(to, body string) tea.Cmd {
	var end tea.Cmd
	if c := m.convs[to]; c != nil {
		end = c.End()
	}
	return tea.Batch(end, m.sendCmd(session.SendRequest{To: to, Body: body}))
}

// runCommand carries out a slash command. A line that does not parse stays
// in compose, with the error in the notice line.
func (m *Model) runCommand(line string) tea.Cmd {
	act, err := m.reg.Parse(m.withOnlyRequest(line))
	if err != nil {
		return m.status.SetNotice(session.Error, err.Error())
	}
	m.compose.Reset()
	switch a := act.(type) {
	case commands.OpenChat:
		cmd := m.openChat(a.JID)
		if a.Text != "" {
			return tea.Batch(cmd, m.send(a.JID, a.Text))
		}
		return cmd
	case commands.AddContact:
		return m.call("add "+a.JID, "added "+a.JID+" and asked to see their presence", func(ctx context.Context, be session.Backend) error {
			return be.AddContact(ctx, a.JID, a.Name)
		}, nil)
	case commands.RemoveContact:
		return m.call("remove "+a.JID, "removed "+a.JID, func(ctx context.Context, be session.Backend) error {
			return be.RemoveContact(ctx, a.JID)
		}, nil)
	case commands.AnswerSubscription:
		verb := "denied"
		if a.Approve {
			verb = "accepted"
		}
		return m.call("answer "+a.JID, verb+" "+a.JID, func(ctx context.Context, be session.Backend) error {
			return be.AnswerSubscription(ctx, a.JID, a.Approve)
		}, func(m *Model) tea.Cmd {
			m.sidebar.RemoveRequest(a.JID)
			m.syncSource()
			return m.relayout()
		})
	case commands.SetStatus:
		return m.call("set status", "status set", func(ctx context.Context, be session.Backend) error {
			return be.SetPresence(ctx, a.Presence)
		}, func(m *Model) tea.Cmd {
			m.status.SetPresence(a.Presence)
			return nil
		})
	case commands.CloseChat:
		return m.closeForGood()
	case commands.LoadHistory:
		c := m.activeConv()
		if c == nil {
			return m.status.SetNotice(session.Warning, "no chat open: /history fetches the open chat's older messages")
		}
		return c.RequestOlder()
	case commands.ToggleConsole:
		return m.toggleConsole()
	case commands.Connect:
		return m.connect()
	case commands.Help:
		m.overlay.Open(dialog.NewCommandHelp(m.com, m.reg, a.Topic), 0)
		return nil
	case commands.Quit:
		return m.quit()
	case commands.ShowFingerprint, commands.ShowDevices, commands.ChangeTrust, commands.ForgetDevice, commands.SetEncryption:
		return m.omemoCommand(a)
	case commands.ScanCommand:
		return m.scanCommand(a)
	}
	return m.fileCommand(act) // files.go
}

// withOnlyRequest completes a bare /accept or /deny with the JID of the
// only pending request.
func (m *Model) withOnlyRequest(line string) string {
	reqs := m.sidebar.Requests()
	if t := strings.TrimSpace(line); len(reqs) == 1 && (t == "/accept" || t == "/deny") {
		return t + " " + reqs[0]
	}
	return line
}

// openLogin shows the login dialog, prefilled with the account known.
// grace is dialog.Grace when it opens by itself.
func (m *Model) openLogin(grace time.Duration, errText string) {
	prefill := m.account
	d := dialog.NewLogin(m.com, prefill)
	if errText != "" {
		d.SetError(errText)
	}
	m.overlay.Open(d, grace)
}

func (m *Model) closeDialog(id string) tea.Cmd {
	m.overlay.Close(id)
	if id == dialog.LoginID {
		m.cancelLogin()
	}
	return nil
}

func (m *Model) login(acct session.Account, fromDialog bool) tea.Cmd {
	m.cancelLogin()
	ctx, cancel := context.WithTimeout(context.Background(), loginTimeout)
	m.loginCancel = cancel
	m.loginGen++
	m.account = acct
	m.status.SetAccount(acct.JID)
	return tea.Batch(
		m.status.SetConnection(session.ConnectionChanged{State: session.Connecting}),
		m.loginCmd(ctx, m.loginGen, acct, fromDialog),
	)
}

// cancelLogin stops the attempt under way; its result will be ignored.
func (m *Model) cancelLogin() tea.Cmd {
	if m.loginCancel != nil {
		m.loginCancel()
		m.loginCancel = nil
		m.loginGen++
	}
	return nil
}

func (m *Model) loginDone(r loginDone) tea.Cmd {
	if r.gen != m.loginGen {
		return nil // an attempt that was cancelled or superseded
	}
	if m.loginCancel != nil {
		m.loginCancel() // releases the timer
		m.loginCancel = nil
	}
	if r.err != nil {
		cmd := m.status.SetConnection(session.ConnectionChanged{State: session.GaveUp, Err: r.err.Error()})
		if m.overlay.Get(dialog.LoginID) != nil {
			return tea.Batch(cmd, m.overlay.Deliver(dialog.LoginID, dialog.LoginFinished{Err: r.err}))
		}
		// A login the user did not start: ask, showing why.
		m.openLogin(dialog.Grace, r.err.Error())
		return cmd
	}
	// Login returns once the first connection is up; the backend's own
	// events may already have said so.
	var online tea.Cmd
	if m.status.Connection().State == session.Connecting {
		online = m.status.SetConnection(session.ConnectionChanged{State: session.Online})
	}
	var deliver tea.Cmd
	if m.overlay.Get(dialog.LoginID) != nil {
		if r.fromDialog {
			deliver = m.overlay.Deliver(dialog.LoginID, dialog.LoginFinished{})
		} else {
			m.overlay.Close(dialog.LoginID)
		}
	}
	return tea.Batch(online, deliver, m.loadAccount(), m.loadLists())
}

func (m *Model) saveChosen(s dialog.SaveChosen) tea.Cmd {
	m.overlay.Close(dialog.LoginID)
	if !s.Save {
		return m.status.SetNotice(session.Info, "account not saved: /connect logs in again next time")
	}
	ok := "account saved (without the password)"
	if s.SavePassword {
		ok = "account and password saved"
	}
	acct := s.Account
	return m.call("save account", ok, func(ctx context.Context, be session.Backend) error {
		return be.SaveAccount(acct, s.SavePassword)
	}, nil)
}
