package ui

import (
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/ui/dialog"
)

// focusArea is the part of the screen that gets the keys.
type focusArea int

const (
	focusCompose focusArea = iota
	focusConversation
	focusSidebar
	focusConsole
)

// routeKey: an open dialog takes every key (but ctrl+c); then the global
// keys; then the focused component.
func (m *Model) routeKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.com.Keys
	if key.Matches(msg, k.Quit) {
		return m.quit()
	}
	if m.overlay.Active() {
		return m.overlay.Update(msg)
	}
	switch {
	case key.Matches(msg, k.Help) && !m.typesText(msg):
		m.overlay.Open(dialog.NewKeyHelp(m.com, m.reg), 0)
		return nil
	case key.Matches(msg, k.NextChat):
		return m.cycleChat(+1)
	case key.Matches(msg, k.PrevChat):
		return m.cycleChat(-1)
	case key.Matches(msg, k.NextFocus):
		if m.focus == focusCompose && m.compose.CanComplete() {
			return m.compose.Update(msg)
		}
		return m.cycleFocus(+1)
	case key.Matches(msg, k.PrevFocus):
		return m.cycleFocus(-1)
	case key.Matches(msg, k.PageUp):
		return m.scroll(msg)
	case key.Matches(msg, k.PageDown):
		return m.scroll(msg)
	case key.Matches(msg, k.ToggleConsole):
		return m.toggleConsole()
	case key.Matches(msg, k.Redraw):
		return tea.ClearScreen
	case key.Matches(msg, k.Inspect):
		return m.openInspector("", 0)
	case key.Matches(msg, k.Cancel) && m.escCancels():
		return m.cancelTransfer(0)
	case key.Matches(msg, k.Back):
		m.status.ClearNotice()
		return m.setFocus(focusCompose)
	case key.Matches(msg, k.GotoChat):
		return m.gotoChat(int(msg.Code - '1'))
	}
	return m.toFocused(msg)
}

// typesText reports whether a key is a character for the compose line:
// with compose focused, "?" is text ("?" alone is a common message).
func (m *Model) typesText(msg tea.KeyPressMsg) bool {
	return m.focus == focusCompose && msg.Text != ""
}

// quit stops a login under way and ends the program; the cmd layer closes
// the backend.
func (m *Model) quit() tea.Cmd {
	m.cancelLogin()
	return tea.Quit
}

func (m *Model) toFocused(msg tea.KeyPressMsg) tea.Cmd {
	k := m.com.Keys
	if m.focus != focusCompose && key.Matches(msg, k.Type) {
		cmd := m.setFocus(focusCompose)
		if msg.Text == "/" && m.compose.Empty() { // the slash starts a command
			return tea.Batch(cmd, m.compose.Update(msg))
		}
		return cmd
	}
	if m.focus == focusConversation {
		if cmd, ok := m.fileKey(msg); ok { // files.go
			return cmd
		}
	}
	if m.focus != focusCompose && msg.Text != "" && !m.paneKey(msg) {
		// Typing in a list or a log means typing a message.
		return tea.Batch(m.setFocus(focusCompose), m.compose.Update(msg))
	}
	switch m.focus {
	case focusSidebar:
		return m.sidebar.Update(msg)
	case focusConsole:
		return m.console.Update(msg)
	case focusConversation:
		c := m.activeConv()
		if c == nil {
			return nil
		}
		switch {
		case key.Matches(msg, k.Up):
			return c.ScrollUp(1)
		case key.Matches(msg, k.Down):
			return c.ScrollDown(1)
		case key.Matches(msg, k.Bottom):
			return c.End()
		case key.Matches(msg, k.Open):
			return m.setFocus(focusCompose)
		}
		return nil
	}
	return m.compose.Update(msg)
}

// paneKey reports whether a key means something in the lists and logs.
func (m *Model) paneKey(msg tea.KeyPressMsg) bool {
	k := m.com.Keys
	return key.Matches(msg, k.Up, k.Down, k.Top, k.Bottom, k.Open, k.Type)
}

// routePaste: a paste goes to the dialog on top, else to compose (moving
// focus there). It never sends.
func (m *Model) routePaste(msg tea.PasteMsg) tea.Cmd {
	if m.overlay.Active() {
		return m.overlay.Update(msg)
	}
	return tea.Batch(m.setFocus(focusCompose), m.compose.Update(msg))
}

// scroll pages the console when it has focus, else the conversation.
func (m *Model) scroll(msg tea.KeyPressMsg) tea.Cmd {
	if m.focus == focusConsole {
		return m.console.Update(msg)
	}
	c := m.activeConv()
	if c == nil {
		return nil
	}
	if key.Matches(msg, m.com.Keys.PageUp) {
		return c.PageUp()
	}
	return c.PageDown()
}

// focusRing lists the areas that can take focus now, in screen order.
func (m *Model) focusRing() []focusArea {
	ring := []focusArea{focusSidebar}
	if m.activeConv() != nil {
		ring = append(ring, focusConversation)
	}
	ring = append(ring, focusCompose)
	if m.consoleOpen {
		ring = append(ring, focusConsole)
	}
	return ring
}

func (m *Model) cycleFocus(delta int) tea.Cmd {
	ring := m.focusRing()
	i := slices.Index(ring, m.focus)
	return m.setFocus(ring[(i+delta+len(ring))%len(ring)])
}

func (m *Model) setFocus(f focusArea) tea.Cmd {
	if f == focusConsole && !m.consoleOpen || f == focusConversation && m.activeConv() == nil {
		f = focusCompose
	}
	m.focus = f
	m.sidebar.Blur()
	m.console.Blur()
	m.compose.Blur()
	switch f {
	case focusSidebar:
		m.sidebar.Focus()
	case focusConsole:
		m.console.Focus()
	case focusCompose:
		return m.compose.Focus()
	}
	return nil
}

func (m *Model) cycleChat(delta int) tea.Cmd {
	chats := m.sidebar.Chats()
	if len(chats) == 0 {
		return nil
	}
	i := slices.Index(chats, m.sidebar.Active())
	if i < 0 && delta < 0 {
		i = 0
	}
	return m.openChat(chats[(i+delta+len(chats))%len(chats)])
}

func (m *Model) gotoChat(i int) tea.Cmd {
	chats := m.sidebar.Chats()
	if i >= len(chats) {
		return nil
	}
	return m.openChat(chats[i])
}

// toggleConsole shows or hides the XML console. Opening it leaves the
// keyboard where it was (tab reaches the console).
func (m *Model) toggleConsole() tea.Cmd {
	m.consoleOpen = !m.consoleOpen
	if !m.consoleOpen && m.focus == focusConsole {
		return m.setFocus(focusCompose)
	}
	return nil
}
