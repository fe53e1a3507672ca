package compose

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/commands"
	"github.com/candor-xmpp/candor/ui/common"
)

// Intents returned to the root.
type (
	// SendRequested asks for Body to be sent to To.
	SendRequested struct{ To, Body string }
	// CommandEntered is a slash command to run. The text stays in compose
	// until the root calls Reset, so that a mistyped command loses nothing.
	CommandEntered struct{ Line string }
	// ChatStateRequested asks for a chat state to be sent to Peer.
	ChatStateRequested struct {
		Peer  string
		State session.ChatState
	}
)

// pauseCheck fires some time after the last edit; if nothing was typed
// since, the peer is told that we paused.
type pauseCheck struct {
	gen  int
	peer string
}

// PauseAfter is how long typing may stop before "paused" is sent.
const PauseAfter = 5 * time.Second

const maxVisibleLines = 6

// Model is the compose line.
type Model struct {
	com       *common.Common
	ta        textarea.Model
	completer *commands.Completer
	registry  *commands.Registry
	source    commands.Source
	hint      string

	peer     string
	peerName string
	drafts   map[string]string
	told     map[string]session.ChatState // the last state each peer was sent
	gen      int

	width   int
	viewKey viewKey
	view    string

	history []string // sent lines, oldest first
	recall  int      // index into history while browsing; len(history) when not
}

// New returns an empty, unfocused compose line.
func New(com *common.Common, reg *commands.Registry) *Model {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Prompt = "› "
	ta.CharLimit = 0
	ta.DynamicHeight = true
	ta.MinHeight = 1
	ta.MaxHeight = maxVisibleLines
	ta.MaxContentHeight = 10000
	ta.SetVirtualCursor(false)
	ta.KeyMap = editKeys()
	m := &Model{
		com: com, ta: ta, registry: reg,
		completer: commands.NewCompleter(reg),
		drafts:    map[string]string{},
		told:      map[string]session.ChatState{},
	}
	m.applyTheme()
	m.updatePlaceholder()
	return m
}

// editKeys are the textarea's bindings without those Candor uses
// elsewhere: enter sends, ctrl+n/ctrl+p switch chats, page keys scroll the
// conversation, tab completes, and paste comes from the terminal.
func editKeys() textarea.KeyMap {
	k := textarea.DefaultKeyMap()
	k.InsertNewline = key.NewBinding(key.WithDisabled())
	k.LineNext.SetKeys("down")
	k.LinePrevious.SetKeys("up")
	k.PageUp = key.NewBinding(key.WithDisabled())
	k.PageDown = key.NewBinding(key.WithDisabled())
	k.Paste = key.NewBinding(key.WithDisabled())
	return k
}

func (m *Model) applyTheme() {
	t := m.com.Theme
	s := textarea.DefaultStyles(t.Dark)
	s.Focused.CursorLine = lipgloss.NewStyle()
	s.Focused.Prompt = t.InputFocus
	s.Focused.Placeholder = t.Faint
	s.Focused.Text = t.Text
	s.Blurred.CursorLine = lipgloss.NewStyle()
	s.Blurred.Prompt = t.Input
	s.Blurred.Placeholder = t.Faint
	s.Blurred.Text = t.Text
	s.Cursor.Color = nil
	s.Cursor.Blink = false
	m.ta.SetStyles(s)
}

// ThemeChanged restyles after a new background was detected.
func (m *Model) ThemeChanged() { m.applyTheme() }

// Focus gives the compose line the keyboard.
func (m *Model) Focus() tea.Cmd { return m.ta.Focus() }

// Blur takes the keyboard away.
func (m *Model) Blur() { m.ta.Blur() }

// Focused reports whether compose has the keyboard.
func (m *Model) Focused() bool { return m.ta.Focused() }

// Value is the text being composed.
func (m *Model) Value() string { return m.ta.Value() }

// Empty reports whether nothing is typed.
func (m *Model) Empty() bool { return m.ta.Value() == "" }

// Peer is the chat the text will go to.
func (m *Model) Peer() string { return m.peer }

// Hint is a line for above the input: completion candidates or the usage
// of the command being typed. Empty when there is nothing to say.
func (m *Model) Hint() string { return m.hint }

// CanComplete reports whether tab should complete rather than move focus.
func (m *Model) CanComplete() bool { return commands.IsCommand(m.ta.Value()) }

// SetSource updates what completion offers (contacts, requests).
func (m *Model) SetSource(src commands.Source) { m.source = src }

// SetPeer switches the chat being written to, keeping a draft per chat. It
// tells the old peer we paused if we were composing there.
func (m *Model) SetPeer(peer string) tea.Cmd {
	if peer == m.peer {
		return nil
	}
	var cmd tea.Cmd
	if m.peer != "" {
		m.drafts[m.peer] = m.ta.Value()
		cmd = m.tell(m.peer, session.StatePaused, session.StateComposing)
	}
	m.peer, m.peerName = peer, ""
	m.ta.SetValue(m.drafts[peer])
	delete(m.drafts, peer)
	m.gen++
	m.completer.Reset()
	m.updateHint()
	m.updatePlaceholder()
	return cmd
}

// Reset clears the line after a command ran.
func (m *Model) Reset() {
	m.remember(m.ta.Value())
	m.ta.Reset()
	m.completer.Reset()
	m.updateHint()
}

// Restore puts text back into peer's draft after a send failed. What the
// user typed since is kept after it.
func (m *Model) Restore(peer, text string) {
	if peer != m.peer {
		if d := m.drafts[peer]; d != "" {
			text += "\n" + d
		}
		m.drafts[peer] = text
		return
	}
	if cur := m.ta.Value(); cur != "" {
		text += "\n" + cur
	}
	m.ta.SetValue(text)
	m.updateHint()
}

// Height is the number of rows the input takes.
func (m *Model) Height() int { return m.ta.Height() }

// SetWidth sets the input's width in cells. It is called after every
// update; the textarea rewraps only when the width really changed.
func (m *Model) SetWidth(w int) {
	if w != m.width {
		m.width = w
		m.ta.SetWidth(w)
	}
}

// viewKey is everything the textarea's rendering depends on.
type viewKey struct {
	value, placeholder     string
	width, height          int
	line, col, scroll, gen int
	focused                bool
}

// View renders the input; the cursor is relative to its top-left corner.
// It runs on every frame, so the textarea is drawn again only when
// something it shows changed.
func (m *Model) View() (string, *tea.Cursor) {
	k := viewKey{
		value: m.ta.Value(), placeholder: m.ta.Placeholder, width: m.width, height: m.ta.Height(),
		line: m.ta.Line(), col: m.ta.Column(), scroll: m.ta.ScrollYOffset(), gen: m.com.ThemeGen,
		focused: m.ta.Focused(),
	}
	if k != m.viewKey || m.view == "" {
		m.viewKey, m.view = k, m.ta.View()
	}
	return m.view, m.ta.Cursor()
}

// SetPeerName names the peer in the placeholder ("Message Alice").
func (m *Model) SetPeerName(name string) {
	m.peerName = name
	m.updatePlaceholder()
}

func (m *Model) updatePlaceholder() {
	switch {
	case m.peer == "":
		m.ta.Placeholder = "Type /msg JID or pick a contact · /help · f1 keys"
	case m.peerName != "" && m.peerName != m.peer:
		m.ta.Placeholder = "Message " + common.OneLine(m.peerName)
	default:
		m.ta.Placeholder = "Message " + m.peer
	}
}

func (m *Model) updateHint() {
	v := m.ta.Value()
	if !commands.IsCommand(v) {
		m.hint = ""
		return
	}
	name := strings.TrimPrefix(strings.Fields(v + " ")[0], "/")
	if spec, ok := m.registry.Lookup(name); ok {
		m.hint = spec.Usage() + " — " + spec.Summary
		return
	}
	m.hint = "tab completes commands · /help lists them"
}

func (m *Model) remember(line string) {
	if strings.TrimSpace(line) == "" {
		return
	}
	if n := len(m.history); n == 0 || m.history[n-1] != line {
		m.history = append(m.history, line)
		if len(m.history) > 100 {
			m.history = m.history[1:]
		}
	}
	m.recall = len(m.history)
}
