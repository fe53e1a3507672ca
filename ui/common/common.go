package common

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/keys"
	"github.com/candor-xmpp/candor/ui/theme"
)

// Common is shared by pointer between the root model and its components.
// Only the root changes it.
type Common struct {
	Width, Height int
	Theme         *theme.Theme
	// ThemeGen grows with every theme change so that components can drop
	// caches rendered with the old colours.
	ThemeGen int
	Keys     *keys.KeyMap
	// Enhanced is set when the terminal reports shift+enter.
	Enhanced bool
	// Self is our own bare JID ("" before login).
	Self string

	// Now is the clock; tests set a fake one.
	Now func() time.Time
	// After returns a command that delivers msg after d. Tests record
	// timers instead of sleeping.
	After func(d time.Duration, msg tea.Msg) tea.Cmd
}

// New returns a Common with the real clock and timers.
func New(dark bool) *Common {
	return &Common{
		Theme: theme.New(dark),
		Keys:  keys.Default(),
		Now:   time.Now,
		After: func(d time.Duration, msg tea.Msg) tea.Cmd {
			return tea.Tick(d, func(time.Time) tea.Msg { return msg })
		},
	}
}

// SetTheme replaces the theme and invalidates rendered caches.
func (c *Common) SetTheme(t *theme.Theme) {
	c.Theme = t
	c.ThemeGen++
}

// NoticeMsg asks the root to show a one-line notice. Any component may
// return it as an intent.
type NoticeMsg struct {
	Level session.NoticeLevel
	Text  string
}

// Notice returns a command that delivers a NoticeMsg.
func Notice(level session.NoticeLevel, text string) tea.Cmd {
	return Emit(NoticeMsg{Level: level, Text: text})
}

// Emit returns a command that delivers msg: how components hand intents to
// the root.
func Emit(msg tea.Msg) tea.Cmd {
	return func() tea.Msg { return msg }
}
