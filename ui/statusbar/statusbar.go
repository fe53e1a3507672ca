package statusbar

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
)

// How long notices stay.
const (
	InfoFor  = 8 * time.Second
	ErrorFor = 30 * time.Second
)

type (
	noticeExpired struct{ id int }
	tick          struct{ gen int }
)

// Model is the notice line and the status bar.
type Model struct {
	com *common.Common

	account   string
	conn      session.ConnectionChanged
	encLabel  string
	scanLabel string
	scanOn    bool
	presence  session.Presence // our own, as last set
	ticking   int              // generation of the countdown timer, 0 when stopped

	notice   session.Notice
	noticeID int

	hintsKey  string // what the cached hints were drawn for
	hintsView string
	barKey    barKey
	barView   string
}

// barKey is everything the status bar shows; the bar is drawn again only
// when it changes.
type barKey struct {
	account, encLabel, scanLabel, connText string
	scanOn                                 bool
	state                                  session.ConnState
	presence                               session.Presence
	width, gen                             int
}

// New returns a status bar for an offline account.
func New(com *common.Common, scanLabel string) *Model {
	if scanLabel == "" {
		scanLabel = "off"
	}
	return &Model{com: com, encLabel: "—", scanLabel: scanLabel}
}

// SetAccount sets the JID shown.
func (m *Model) SetAccount(jid string) { m.account = jid }

// SetScan sets the scan mode label; on marks it as a running simulation.
func (m *Model) SetScan(label string, on bool) { m.scanLabel, m.scanOn = label, on }

// SetEncryption sets the encryption label of the chat on screen.
func (m *Model) SetEncryption(label string) { m.encLabel = label }

// SetPresence records our own availability, shown while online.
func (m *Model) SetPresence(p session.Presence) { m.presence = p }

// Connection is the last connection state.
func (m *Model) Connection() session.ConnectionChanged { return m.conn }

// SetConnection records a connection change and runs the countdown while
// reconnecting.
func (m *Model) SetConnection(c session.ConnectionChanged) tea.Cmd {
	m.conn = c
	if c.State == session.Reconnecting && !c.NextRetry.IsZero() {
		m.ticking++
		return m.com.After(time.Second, tick{gen: m.ticking})
	}
	m.ticking = 0
	return nil
}

// SetNotice shows a notice and schedules its fading.
func (m *Model) SetNotice(level session.NoticeLevel, text string) tea.Cmd {
	m.noticeID++
	m.notice = session.Notice{Level: level, Text: common.OneLine(text)}
	d := InfoFor
	if level != session.Info {
		d = ErrorFor
	}
	return m.com.After(d, noticeExpired{id: m.noticeID})
}

// ClearNotice removes the notice now.
func (m *Model) ClearNotice() { m.notice = session.Notice{} }

// Notice is the notice on screen.
func (m *Model) Notice() session.Notice { return m.notice }

// Update handles the status bar's own timers.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case noticeExpired:
		if msg.id == m.noticeID {
			m.notice = session.Notice{}
		}
	case tick:
		if msg.gen == m.ticking && m.conn.State == session.Reconnecting && m.com.Now().Before(m.conn.NextRetry) {
			return m.com.After(time.Second, tick{gen: m.ticking})
		}
	}
	return nil
}

// NoticeView renders the notice line; without a notice it reminds of the
// keys that matter where the focus is.
func (m *Model) NoticeView(width int, hints []key.Binding) string {
	t := m.com.Theme
	if m.notice.Text == "" {
		key := fmt.Sprint(width, m.com.ThemeGen)
		for _, b := range hints {
			key += "|" + b.Help().Key + " " + b.Help().Desc
		}
		if key != m.hintsKey {
			h := help.New()
			h.Styles.ShortKey, h.Styles.ShortDesc, h.Styles.ShortSeparator, h.Styles.Ellipsis = t.Faint.Bold(true), t.Faint, t.Faint, t.Faint
			h.SetWidth(max(width-1, 0))
			m.hintsKey, m.hintsView = key, common.Fit(" "+h.ShortHelpView(hints), width)
		}
		return m.hintsView
	}
	var s string
	switch m.notice.Level {
	case session.Error:
		s = t.Bad.Render(" ✗ " + m.notice.Text)
	case session.Warning:
		s = t.Warn.Render(" ! " + m.notice.Text)
	default:
		s = t.Faint.Render(" · ") + m.notice.Text
	}
	return common.Fit(s, width)
}

// View renders the status bar.
func (m *Model) View(width int) string {
	k := barKey{account: m.account, encLabel: m.encLabel, scanLabel: m.scanLabel, scanOn: m.scanOn,
		state: m.conn.State, presence: m.presence, width: width, gen: m.com.ThemeGen}
	if m.conn.State == session.Reconnecting || m.conn.State == session.GaveUp {
		k.connText = m.connView() // the countdown changes by itself
	}
	if k != m.barKey || m.barView == "" {
		m.barKey, m.barView = k, m.render(width)
	}
	return m.barView
}

func (m *Model) render(width int) string {
	t := m.com.Theme
	bar := t.StatusBar
	account := m.account
	if account == "" {
		account = "no account"
	}
	left := bar.Render(" ") + t.StatusKey.Render(common.OneLine(account)) + bar.Render(" ") + m.connView()
	scan := bar.Render("scan: " + m.scanLabel)
	if m.scanOn {
		scan = t.StatusKey.Foreground(t.Error).Render("scan: SIMULATION " + m.scanLabel)
	}
	right := bar.Render("enc: "+m.encLabel+" │ ") + scan + bar.Render(" │ "+m.com.Keys.Help.Help().Key+" keys ")
	gap := width - common.Width(left) - common.Width(right)
	if gap < 1 {
		// Narrow: the connection state matters most, then the scan mode.
		right = scan + bar.Render(" ")
		gap = width - common.Width(left) - common.Width(right)
	}
	if gap < 1 {
		return common.Fit(left, width)
	}
	return left + bar.Render(strings.Repeat(" ", gap)) + right
}

func (m *Model) connView() string {
	t := m.com.Theme
	bar := t.StatusBar
	c := m.conn
	switch c.State {
	case session.Online:
		p := m.presence
		switch {
		case !p.Available || p.Show == session.ShowOnline:
			return bar.Foreground(t.Success).Render("● online")
		case p.Show == session.ShowChat:
			return bar.Foreground(t.Success).Render("◉ free to chat")
		case p.Show == session.ShowDND:
			return bar.Foreground(t.Error).Render("⊖ do not disturb")
		case p.Show == session.ShowXA:
			return bar.Foreground(t.Warning).Render("◌ extended away")
		}
		return bar.Foreground(t.Warning).Render("◐ away")
	case session.Connecting:
		return bar.Foreground(t.Warning).Render("◌ connecting…")
	case session.Reconnecting:
		s := "⟳ reconnecting"
		if !c.NextRetry.IsZero() {
			left := c.NextRetry.Sub(m.com.Now()).Round(time.Second)
			if left > 0 {
				s += fmt.Sprintf(" in %s", left)
			} else {
				s += " now"
			}
		}
		if c.Attempt > 0 {
			s += fmt.Sprintf(" (try %d)", c.Attempt)
		}
		if c.Err != "" {
			s += ": " + common.OneLine(c.Err)
		}
		return bar.Foreground(t.Warning).Render(s)
	case session.GaveUp:
		s := "✗ disconnected"
		if c.Err != "" {
			s += ": " + common.OneLine(c.Err)
		}
		return bar.Foreground(t.Error).Render(s + " · /connect")
	}
	return bar.Foreground(t.Muted).Render("○ offline")
}
