package conversation

import (
	"strconv"
	"strings"
	"time"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
)

const maxNameWidth = 12

// rows returns message i rendered at the current width, from the cache
// when it is still valid.
func (m *Model) rows(i int) []string {
	e := m.msgs[i]
	if e.rows != nil && e.width == m.width && e.themeGen == m.com.ThemeGen {
		return e.rows
	}
	var prev *session.Message
	if i > 0 {
		prev = &m.msgs[i-1].msg
	}
	e.rows = m.render(e.msg, prev)
	e.width, e.themeGen = m.width, m.com.ThemeGen
	return e.rows
}

func (m *Model) displayName() string {
	if m.name != "" {
		return common.OneLine(m.name)
	}
	if local, _, ok := strings.Cut(m.peer, "@"); ok && local != "" {
		return local
	}
	return m.peer
}

func (m *Model) nameWidth() int {
	return min(max(common.Width(m.displayName()), 2), maxNameWidth)
}

// render draws one message: a day separator when the day changed, then
// "15:04 ◆ name  body" with the body wrapped under itself and the delivery
// state, source and errors after it.
func (m *Model) render(msg session.Message, prev *session.Message) []string {
	t := m.com.Theme
	var out []string
	local := msg.Time.Local()
	if prev == nil || !sameDay(prev.Time.Local(), local) {
		out = append(out, m.daySeparator(local))
	}
	if msg.ID == m.unreadFrom {
		out = append(out, m.newLine())
	}

	name, nameStyle := m.displayName(), t.PeerName
	if msg.Direction == session.Outgoing {
		name, nameStyle = "me", t.SelfName
	}
	stamp := "--:--"
	if !msg.Time.IsZero() {
		stamp = local.Format("15:04")
	}
	enc := m.encryptionMark(msg.Encryption)

	body := common.Sanitize(session.RedactLinks(msg.Body)) // a key never shows
	action := false
	if rest, ok := strings.CutPrefix(body, "/me "); ok {
		body, action = "* "+name+" "+rest, true
	}

	var gutter string
	gutterW := 5 + 1 + 1 + 1
	nameW := m.nameWidth()
	if m.width >= 40 {
		gutterW += nameW + 1
		gutter = t.Faint.Render(stamp) + " " + enc + " " + nameStyle.Render(padLeft(common.Truncate(name, nameW), nameW)) + " "
	} else {
		gutter = t.Faint.Render(stamp) + " " + enc + " "
		if !action {
			body = name + ": " + body
		}
	}
	bodyW := max(m.width-gutterW, 8)
	lines := common.Wrap(body, bodyW)
	if msg.File != nil {
		lines = m.fileLines(msg, bodyW) // files.go
	}
	suffix, suffixW := m.suffix(msg)
	last := len(lines) - 1
	var tail []string // the suffix on rows of its own, wrapped (a long failure reason)
	if suffixW > 0 && common.Width(lines[last])+suffixW > bodyW {
		tail = common.Wrap(suffix, bodyW)
		suffixW = 0
	}
	blank := strings.Repeat(" ", gutterW)
	for i, l := range lines {
		text := l
		if action {
			text = t.Faint.Italic(true).Render(l)
		} else if msg.State == session.Failed {
			text = t.Faint.Render(l)
		}
		if i == last && suffixW > 0 {
			if l != "" {
				text += " "
			}
			text += suffix
		}
		g := blank
		if i == 0 {
			g = gutter
		}
		out = append(out, common.Fit(g+text, m.width))
	}
	for _, s := range tail {
		out = append(out, common.Fit(blank+s, m.width))
	}
	return out
}

// suffix is what follows the body: scan badge, delivery state, source,
// failure reason.
func (m *Model) suffix(msg session.Message) (string, int) {
	t := m.com.Theme
	var parts, plain []string
	add := func(styled, raw string) {
		parts = append(parts, styled)
		plain = append(plain, raw)
	}
	// The scan badge first, so that a long failure reason never splits it.
	if badge, plain := m.scanBadge(msg); plain != "" { // scan.go
		add(badge, plain)
	}
	if msg.Direction == session.Outgoing {
		switch msg.State {
		case session.Queued:
			add(t.Faint.Render("… queued"), "… queued")
		case session.Sent:
			add(t.Faint.Render("✓"), "✓")
		case session.Delivered:
			add(t.Good.Render("✓✓"), "✓✓")
		case session.Failed:
			reason := "✗ failed"
			if msg.Err != "" {
				reason += ": " + common.OneLine(msg.Err)
			}
			add(t.Bad.Render(reason), reason)
		}
	}
	switch msg.Source {
	case session.Carbon:
		add(t.Faint.Render("[carbon]"), "[carbon]")
	case session.Archive:
		add(t.Faint.Render("[archive]"), "[archive]")
	}
	if tag, warn := encryptionTag(msg); tag != "" {
		if warn {
			add(t.Warn.Render(tag), tag)
		} else {
			add(t.Faint.Render(tag), tag)
		}
	}
	if len(parts) == 0 {
		return "", 0
	}
	return strings.Join(parts, " "), common.Width(strings.Join(plain, " "))
}

// encryptionMark is the one-cell slot that says how a message travelled:
// ◆ OMEMO from a trusted device, ◇ OMEMO from an untrusted one, ○ plaintext
// (a faint ◆: queued, to be encrypted when sent).
func (m *Model) encryptionMark(e session.Encryption) string {
	t := m.com.Theme
	switch {
	case e.Scheme == session.Plaintext:
		return t.Warn.Render("○")
	case e.Scheme == session.OMEMOPending:
		return t.Faint.Render("◆")
	case e.Trusted:
		return t.Good.Render("◆")
	default:
		return t.Warn.Render("◇")
	}
}

// encryptionTag names the version of an encrypted message and, for one
// received, the sending device; warn marks a device nobody trusted.
func encryptionTag(msg session.Message) (tag string, warn bool) {
	e := msg.Encryption
	var v string
	switch e.Scheme {
	case session.OMEMO03:
		v = "omemo 0.3"
	case session.OMEMO2:
		v = "omemo 2"
	default:
		return "", false
	}
	if msg.Direction == session.Outgoing {
		return "[" + v + "]", false
	}
	if !e.Trusted {
		return "[" + v + " · device " + strconv.FormatUint(uint64(e.DeviceID), 10) + " · not trusted]", true
	}
	return "[" + v + " · device " + strconv.FormatUint(uint64(e.DeviceID), 10) + "]", false
}

func (m *Model) daySeparator(day time.Time) string {
	label := day.Format("Monday, 2 January 2006")
	now := m.com.Now().Local()
	switch {
	case day.IsZero():
		label = "unknown date"
	case sameDay(day, now):
		label = "Today"
	case sameDay(day, now.AddDate(0, 0, -1)):
		label = "Yesterday"
	}
	return m.centred(label)
}

func (m *Model) centred(label string) string {
	t := m.com.Theme
	label = " " + label + " "
	w := common.Width(label)
	if w >= m.width {
		return common.Fit(t.Faint.Render(label), m.width)
	}
	left := (m.width - w) / 2
	right := m.width - w - left
	return t.RuleStyle.Render(strings.Repeat("─", left)) + t.Faint.Render(label) + t.RuleStyle.Render(strings.Repeat("─", right))
}

// newLine marks where the unread messages begin.
func (m *Model) newLine() string {
	t := m.com.Theme
	label := " new "
	right := max(m.width-2-common.Width(label), 0)
	return t.Bad.Render("──") + t.Bad.Bold(true).Render(label) + t.Bad.Render(strings.Repeat("─", right))
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

func padLeft(s string, w int) string {
	if d := w - common.Width(s); d > 0 {
		return strings.Repeat(" ", d) + s
	}
	return s
}

// View renders exactly the screen's rows: the messages at the scroll
// position, a note at the top when the window's start is on screen, and a
// note at the bottom when newer messages are below.
func (m *Model) View() string {
	rows := make([]string, 0, m.height)
	b, skip := m.anchor()
	need := m.height
	// Collect bottom-up, then reverse.
	for i := b; i >= 0 && need > 0; i-- {
		r := m.rows(i)
		if i == b {
			r = r[:len(r)-skip]
		}
		take := min(need, len(r))
		for j := len(r) - 1; j >= len(r)-take; j-- {
			rows = append(rows, r[j])
		}
		need -= take
	}
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	if note := m.topNote(); note != "" {
		if need > 0 {
			rows = append([]string{note}, rows...)
			need--
		} else if m.req != 0 && m.reqDir == Older || m.archive == archiveLoading {
			rows[0] = note
		}
	}
	if need > 0 {
		// Messages sit at the bottom, as in every chat.
		blank := strings.Repeat(" ", m.width)
		pad := make([]string, need)
		for i := range pad {
			pad[i] = blank
		}
		rows = append(pad, rows...)
	}
	if !m.follow && (m.unseen > 0 || len(m.newer) > 0) && len(rows) > 0 {
		rows[len(rows)-1] = m.bottomNote()
	}
	// Every row is already exactly m.width wide (rendered rows are fitted
	// when cached), so joining is all that is left.
	return strings.Join(rows, "\n")
}

func (m *Model) topNote() string {
	t := m.com.Theme
	switch {
	case !m.loaded && m.loadErr == "":
		return m.centred("loading history…")
	case m.req != 0 && m.reqDir == Older:
		return m.centred("loading older messages…")
	case m.loadErr != "":
		return common.Fit(t.Bad.Render("could not load history: "+m.loadErr+" (scroll to retry)"), m.width)
	}
	if note := m.archiveNote(); note != "" { // older.go
		return note
	}
	switch {
	case m.loaded && len(m.msgs) == 0:
		return m.centred("no messages with " + m.displayName() + " yet")
	case m.reachedStart:
		return m.centred("start of the conversation")
	}
	return ""
}

func (m *Model) bottomNote() string {
	label := "newer messages below · end jumps to the newest"
	if m.unseen > 0 {
		label = "↓ " + plural(m.unseen, "new message") + " · end jumps to the newest"
	}
	return m.centred(label)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
