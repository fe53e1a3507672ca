package common

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/keys"
	"github.com/candor-xmpp/candor/ui/preview"
	"github.com/candor-xmpp/candor/ui/theme"
)

// Common is shared by pointer between the root model and its components.
// Only the root changes it, except for the intent queue (Emit).
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
	// Previews draws and keeps image previews (nil: none).
	Previews *preview.Cache

	// Now is the clock; tests set a fake one.
	Now func() time.Time
	// After returns a command that delivers msg after d. Tests record
	// timers instead of sleeping.
	After func(d time.Duration, msg tea.Msg) tea.Cmd

	// intents are what components emitted during the current Update.
	intents []tea.Msg
}

// Emit hands an intent (SendRequested, OpenRequested, ...) to the root. The
// root handles it within the same Update, before the next key is read: an
// intent delivered later as a tea.Cmd would let keys typed right after
// Enter land in the old context (the command line, the previous chat).
func (c *Common) Emit(intent tea.Msg) { c.intents = append(c.intents, intent) }

// TakeIntents returns the intents emitted so far and clears the queue.
func (c *Common) TakeIntents() []tea.Msg {
	in := c.intents
	c.intents = nil
	return in
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
	return func() tea.Msg { return NoticeMsg{Level: level, Text: text} }
}
