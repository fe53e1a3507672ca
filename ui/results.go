package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/commands"
	"github.com/candor-xmpp/candor/ui/conversation"
)

func (m *Model) opDone(r opDone) tea.Cmd {
	if r.err != nil {
		return m.status.SetNotice(session.Error, r.what+": "+r.err.Error())
	}
	var cmds []tea.Cmd
	if r.ok != "" {
		cmds = append(cmds, m.status.SetNotice(session.Info, r.ok))
	}
	if r.then != nil {
		cmds = append(cmds, r.then(m))
	}
	return tea.Batch(cmds...)
}

func (m *Model) sendDone(r sendDone) tea.Cmd {
	if r.err != nil {
		// Nothing is lost: the text goes back into the chat's draft.
		m.compose.Restore(r.req.To, r.req.Body)
		return m.status.SetNotice(session.Error, "not sent to "+r.req.To+" (text kept): "+r.err.Error())
	}
	if c := m.convs[r.req.To]; c != nil {
		c.Add(r.msg)
	}
	return nil
}

func (m *Model) listsLoaded(r listsLoaded) tea.Cmd {
	if len(r.contacts) > 0 {
		m.sidebar.SetRoster(r.contacts)
		m.rosterChanged()
	}
	for _, req := range r.requests {
		m.sidebar.AddRequest(req.JID)
	}
	if r.err != nil {
		// Before login the store may not be open yet; say nothing then.
		if m.status.Connection().State == session.Online {
			return m.status.SetNotice(session.Warning, "could not list conversations: "+r.err.Error())
		}
		return nil
	}
	m.sidebar.SetConversations(r.convs)
	m.syncSource()
	if m.sidebar.Active() == "" && len(r.convs) > 0 && !m.overlay.Active() {
		return m.openChat(r.convs[0].Peer)
	}
	return nil
}

func (m *Model) accountLoaded(r accountLoaded) tea.Cmd {
	if r.info.JID != "" {
		m.com.Self = r.info.JID
		m.status.SetAccount(r.info.JID)
		if m.status.Connection().State == session.Offline && r.info.State != session.Offline {
			return m.status.SetConnection(session.ConnectionChanged{State: r.info.State})
		}
		return nil
	}
	// Not logged in: log in with the configured account when it can,
	// otherwise ask.
	a := m.opts.Account
	if a == nil || m.overlay.Active() || m.autoLogin {
		return nil
	}
	m.autoLogin = true
	if a.Password == "" && a.PasswordCommand == "" {
		m.openLogin(0, "")
		return nil
	}
	return m.login(*a, false)
}

func (m *Model) historyLoaded(r conversation.HistoryLoaded) tea.Cmd {
	c := m.convs[r.Peer]
	if c == nil {
		return nil
	}
	cmd := c.HandleLoaded(r)
	if r.Err != nil {
		return tea.Batch(cmd, m.status.SetNotice(session.Warning, "history of "+r.Peer+": "+r.Err.Error()))
	}
	return cmd
}

func (m *Model) olderLoaded(r conversation.OlderLoaded) tea.Cmd {
	var cmd tea.Cmd
	if c := m.convs[r.Peer]; c != nil {
		cmd = c.HandleOlder(r)
	}
	if r.Err != nil {
		return tea.Batch(cmd, m.status.SetNotice(session.Warning, r.Err.Error()))
	}
	return cmd
}

// syncSource gives compose the JIDs and requests to complete.
func (m *Model) syncSource() {
	m.compose.SetSource(commands.Source{JIDs: m.sidebar.JIDs(), Requests: m.sidebar.Requests(), Scan: m.scanWords()})
}

// rosterChanged updates what depends on names.
func (m *Model) rosterChanged() {
	if p := m.compose.Peer(); p != "" {
		m.compose.SetPeerName(m.sidebar.Name(p))
	}
	for jid, c := range m.convs {
		if name := m.sidebar.Name(jid); name != jid {
			c.SetName(name)
		}
	}
	m.syncSource()
}
