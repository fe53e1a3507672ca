package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
)

// onEvent routes a backend event to the components that show it.
func (m *Model) onEvent(ev session.Event) tea.Cmd {
	switch ev := ev.(type) {
	case session.ConnectionChanged:
		return m.connectionChanged(ev)
	case session.MessageAdded:
		return m.messageAdded(ev.Message)
	case session.MessageUpdated:
		return m.messageUpdated(ev)
	case session.RosterChanged:
		m.sidebar.SetRoster(ev.Contacts)
		m.rosterChanged()
	case session.PresenceChanged:
		m.sidebar.SetPresence(ev.JID, ev.Resource, ev.Presence)
	case session.SubscriptionRequested:
		return m.subscriptionRequested(ev)
	case session.ChatStateChanged:
		m.sidebar.SetTyping(ev.Peer, ev.State == session.StateComposing)
		if c := m.convs[ev.Peer]; c != nil {
			c.SetTyping(ev.State)
		}
	case session.StanzaLogged:
		m.console.Add(ev)
	case session.Notice:
		return m.status.SetNotice(ev.Level, ev.Text)
	case session.UnreadChanged:
		return m.unreadChanged(ev)
	case session.SubscriptionResolved:
		return m.subscriptionResolved(ev)
	case session.ScanEvent:
		return m.scanEvent(ev)
	case session.TransferUpdated:
		return m.transferUpdated(ev.Transfer) // files.go
	case session.FileUpdated:
		return m.fileUpdated(ev)
	default:
		return m.omemoEvent(ev) // omemo.go
	}
	return nil
}

func (m *Model) connectionChanged(ev session.ConnectionChanged) tea.Cmd {
	cmd := m.status.SetConnection(ev)
	if ev.State == session.Online {
		// The scan status names the account's report file.
		return tea.Batch(cmd, m.loadAccount(), m.loadScan())
	}
	return cmd
}

func (m *Model) messageAdded(msg session.Message) tea.Cmd {
	peer := msg.Peer
	if peer == "" {
		return nil
	}
	if c := m.convs[peer]; c != nil {
		c.Add(msg)
	}
	m.sidebar.AddChat(peer)
	m.syncSource()
	if msg.Direction == session.Incoming {
		m.sidebar.SetTyping(peer, false)
	}
	// Unread counts come from the store, as UnreadChanged (upkeep.go).
	return nil
}

func (m *Model) messageUpdated(ev session.MessageUpdated) tea.Cmd {
	if c := m.convs[ev.Peer]; c != nil {
		c.SetState(ev.ID, ev.State, ev.Err)
	}
	if ev.State == session.Failed {
		reason := ev.Err
		if reason == "" {
			reason = "no reason given"
		}
		return m.status.SetNotice(session.Error, "a message to "+ev.Peer+" failed: "+reason)
	}
	return nil
}

func (m *Model) subscriptionRequested(ev session.SubscriptionRequested) tea.Cmd {
	m.sidebar.AddRequest(ev.JID)
	m.syncSource()
	text := ev.JID + " asks to see your presence: /accept " + ev.JID + " or /deny " + ev.JID
	if ev.Message != "" {
		text = ev.JID + " asks to see your presence (\"" + common.OneLine(ev.Message) + "\"): /accept or /deny " + ev.JID
	}
	return m.status.SetNotice(session.Warning, text)
}

// terminalFocus tracks whether the user can see the window: messages that
// arrive while it is in the background count as unread.
func (m *Model) terminalFocus(focused bool) tea.Cmd {
	m.blurred = !focused
	if active := m.sidebar.Active(); focused && active != "" && m.sidebar.Unread(active) > 0 {
		m.sidebar.ClearUnread(active)
		return m.markRead(active)
	}
	return nil
}
