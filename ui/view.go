package ui

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
	"github.com/candor-xmpp/candor/ui/contacts"
)

// render draws the whole screen and finds the cursor.
func (m *Model) render() (string, *tea.Cursor) {
	l := m.lay
	t := m.com.Theme
	if l.tooSmall {
		msg := "Candor needs at least " + strconv.Itoa(minWidth) + "×" + strconv.Itoa(minHeight) +
			" (now " + strconv.Itoa(l.w) + "×" + strconv.Itoa(l.h) + ")"
		return m.withScanBanner(strings.Join(common.PadLines(common.Wrap(msg, l.w), l.w, l.h-m.scanBannerH()), "\n"), nil)
	}
	composeView, composeCursor := m.compose.View()
	main, composeTop := m.mainLines(composeView)
	var side []string
	if l.sideW > 0 {
		side = strings.Split(m.sidebar.View(), "\n")
	}
	ruleStyle := t.RuleStyle
	if m.focus == focusSidebar {
		ruleStyle = t.InputFocus
	}
	rule := ruleStyle.Render("│")
	var b strings.Builder
	for y := range l.bodyH {
		if l.sideW > 0 {
			b.WriteString(at(side, y)) // the sidebar fits its own rows
			b.WriteString(rule)
		}
		b.WriteString(at(main, y))
		b.WriteByte('\n')
	}
	b.WriteString(m.status.NoticeView(l.w, m.com.Keys.Hints(m.focusName())))
	b.WriteByte('\n')
	b.WriteString(m.status.View(l.w))
	content := b.String()

	var cursor *tea.Cursor
	if c := composeCursor; c != nil && m.focus == focusCompose {
		c.Position.X += l.mainX
		c.Position.Y += composeTop
		cursor = c
	}
	if m.overlay.Active() {
		content, cursor = m.overlay.Render(content, l.w, l.h-m.scanBannerH())
	}
	return m.withScanBanner(content, cursor)
}

func (m *Model) focusName() string {
	switch m.focus {
	case focusSidebar:
		return "contacts"
	case focusConversation:
		return "conversation"
	case focusConsole:
		return "console"
	}
	return "compose"
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return ""
}

// mainLines draws the right-hand side, exactly bodyH rows of mainW cells,
// and says on which row compose starts. Rows that components already fit
// to their width are not measured again: this runs on every frame.
func (m *Model) mainLines(composeView string) ([]string, int) {
	l := m.lay
	t := m.com.Theme
	lines := make([]string, 0, l.bodyH)
	lines = append(lines, m.header())
	if l.bannerH > 0 {
		lines = append(lines, m.banner())
	}
	var conv []string
	if c := m.activeConv(); c != nil {
		conv = strings.Split(c.View(), "\n") // exactly convW × convH
	} else {
		conv = m.welcome(l.convW, l.convH)
	}
	if m.consoleOpen {
		cons := strings.Split(m.console.View(), "\n") // exactly consoleW × consoleH
		if l.consoleSide {
			sep := t.RuleStyle.Render("│")
			for i := range conv {
				conv[i] += sep + cons[i]
			}
		} else {
			conv = append(conv, cons...)
		}
	}
	lines = append(lines, conv...)
	if l.transferH > 0 {
		lines = append(lines, strings.Split(m.transfers.View(l.mainW), "\n")[:l.transferH]...)
	}
	lines = append(lines, m.separator())
	top := len(lines)
	lines = append(lines, common.PadLines(strings.Split(composeView, "\n"), l.mainW, l.composeH)...)
	return lines, top
}

// header names the open chat: name, JID, presence and status text.
func (m *Model) header() string {
	t := m.com.Theme
	peer := m.sidebar.Active()
	if peer == "" {
		return common.Fit(t.Title.Render(" Candor"), m.lay.mainW)
	}
	title := t.Title
	if m.focus == focusConversation {
		title = t.TitleFocus
	}
	name := m.sidebar.Name(peer)
	s := " " + title.Render(common.OneLine(name))
	if name != peer {
		s += " " + t.Faint.Render(peer)
	}
	if _, ok := m.sidebar.Contact(peer); ok {
		p := m.sidebar.Presence(peer)
		s += "  " + contacts.Glyph(t, p) + " " + t.Faint.Render(contacts.Label(p))
		if p.Status != "" {
			s += t.Faint.Render(" — " + common.OneLine(p.Status))
		}
	} else {
		s += "  " + t.Faint.Render("not in your contacts · /add "+peer)
	}
	return common.Fit(s, m.lay.mainW)
}

// banner asks for an answer to presence requests, in the longest wording
// that fits.
func (m *Model) banner() string {
	t := m.com.Theme
	reqs := m.sidebar.Requests()
	who := common.OneLine(reqs[0])
	how := "/accept or /deny"
	if len(reqs) > 1 {
		who = strconv.Itoa(len(reqs)) + " contacts (" + common.OneLine(strings.Join(reqs, ", ")) + ")"
		how = "/accept JID or /deny JID"
	}
	verb := " wants"
	if len(reqs) > 1 {
		verb = " want"
	}
	variants := []string{
		"⚑ " + who + verb + " to see your presence: " + how,
		"⚑ " + who + verb + " your presence: " + how,
		"⚑ " + who + ": " + how,
	}
	if len(reqs) > 1 {
		variants = append(variants, "⚑ "+strconv.Itoa(len(reqs))+" presence requests: "+how)
	}
	s := variants[len(variants)-1]
	for _, v := range variants {
		if common.Width(v)+1 <= m.lay.mainW {
			s = v
			break
		}
	}
	return common.Fit(t.Banner.Render(" "+s), m.lay.mainW)
}

// separator is the rule above compose; it carries the compose hint or the
// peer's typing state.
func (m *Model) separator() string {
	t := m.com.Theme
	w := m.lay.mainW
	text := ""
	style := t.Faint
	if h := m.compose.Hint(); h != "" {
		text, style = h, t.InputFocus
	} else if c := m.activeConv(); c != nil {
		// Keep the name short so that "is typing" always shows.
		name := common.Truncate(common.OneLine(m.sidebar.Name(c.Peer())), max(w/3, 8))
		switch c.Typing() {
		case session.StateComposing:
			text = name + " is typing…"
		case session.StatePaused:
			text = name + " stopped typing"
		}
	}
	if text == "" {
		return t.RuleStyle.Render(strings.Repeat("─", w))
	}
	label := common.Truncate(" "+common.OneLine(text)+" ", max(w-2, 1))
	rest := max(w-2-common.Width(label), 0)
	return t.RuleStyle.Render("──") + style.Render(label) + t.RuleStyle.Render(strings.Repeat("─", rest))
}

// welcome fills the conversation area when no chat is open.
func (m *Model) welcome(w, h int) []string {
	t := m.com.Theme
	lines := []string{
		"",
		t.TitleFocus.Render("  Candor"),
		t.Faint.Render("  a terminal XMPP client"),
		"",
	}
	if m.status.Connection().State != session.Online && m.com.Self == "" {
		lines = append(lines, "  • /connect logs in to your account")
	}
	lines = append(lines,
		"  • /msg user@example.org starts a chat",
		"  • tab moves to your contacts; ↑/↓ and enter open one",
		"  • /help lists the commands, f1 the keys",
	)
	return common.PadLines(lines, w, h)
}

func (m *Model) windowTitle() string {
	title := "Candor"
	if peer := m.sidebar.Active(); peer != "" {
		title += " · " + common.OneLine(m.sidebar.Name(peer))
	}
	if n := m.sidebar.TotalUnread(); n > 0 {
		title += " (" + strconv.Itoa(n) + ")"
	}
	return title
}
