package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/conversation"
	"github.com/candor-xmpp/candor/ui/dialog"
)

// The root's part in the backend's bookkeeping: unread counts as stored,
// subscription requests answered elsewhere, closing chats for good, and
// switching accounts.

// logoutID is the confirmation asked before /connect logs out.
const logoutID = "logout"

// unreadChanged shows a conversation's stored unread count. A message in
// the chat on screen is read at once (unless the terminal is in the
// background); a message that arrives with no chat open opens its chat.
func (m *Model) unreadChanged(ev session.UnreadChanged) tea.Cmd {
	if ev.Unread > 0 && ev.Peer == m.sidebar.Active() && !m.blurred {
		return m.markRead(ev.Peer)
	}
	m.sidebar.SetUnread(ev.Peer, ev.Unread)
	m.syncSource()
	if ev.Unread > 0 && m.sidebar.Active() == "" && !m.overlay.Active() {
		return m.openChat(ev.Peer)
	}
	return nil
}

// subscriptionResolved drops a request answered elsewhere or withdrawn.
func (m *Model) subscriptionResolved(ev session.SubscriptionResolved) tea.Cmd {
	m.sidebar.RemoveRequest(ev.JID)
	m.syncSource()
	text := ev.JID + " withdrew the request to see your presence"
	if ev.Approved {
		text = ev.JID + "'s request was approved on another device"
	}
	return m.status.SetNotice(session.Info, text)
}

// closeForGood closes the chat on screen and tells the backend, so that it
// stays closed after a restart until a new message arrives.
func (m *Model) closeForGood() tea.Cmd {
	peer := m.sidebar.Active()
	if peer == "" {
		return m.closeChat(peer)
	}
	return tea.Batch(m.closeChat(peer), m.call("close "+peer, "", func(ctx context.Context, be session.Backend) error {
		return be.CloseConversation(ctx, peer)
	}, nil))
}

// connect opens the login dialog; while an account is logged in it first
// asks, then logs it out.
func (m *Model) connect() tea.Cmd {
	if m.com.Self == "" {
		m.openLogin(0, "")
		return nil
	}
	m.overlay.Open(dialog.NewConfirm(m.com, logoutID, "Log out?", "log out",
		"You are logged in as "+m.com.Self+".",
		"Log out to log in again or to another account? Queued messages stay queued for this account."), 0)
	return nil
}

// confirmed acts on a yes/no answer.
func (m *Model) confirmed(c dialog.Confirmed) tea.Cmd {
	m.overlay.Close(c.ID)
	if c.ID != logoutID || !c.Yes {
		return nil
	}
	who := m.com.Self
	return m.call("log out", "logged out of "+who, func(ctx context.Context, be session.Backend) error {
		return be.Logout(ctx)
	}, func(m *Model) tea.Cmd {
		m.loggedOut()
		m.openLogin(0, "")
		return nil
	})
}

// loggedOut forgets what belonged to the account.
func (m *Model) loggedOut() {
	m.com.Self = ""
	m.autoLogin = true // the configured account is not logged in again by itself
	for _, peer := range append([]string(nil), m.sidebar.Chats()...) {
		m.sidebar.CloseChat(peer)
		m.sidebar.SetUnread(peer, 0)
	}
	for _, r := range append([]string(nil), m.sidebar.Requests()...) {
		m.sidebar.RemoveRequest(r)
	}
	m.sidebar.SetRoster(nil)
	m.convs = map[string]*conversation.Model{}
	m.scan.pending = nil
	m.status.SetAccount("")
	m.compose.SetPeer("")
	m.syncSource()
}
