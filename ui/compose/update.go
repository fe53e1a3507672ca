package compose

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/commands"
	"github.com/candor-xmpp/candor/ui/common"
)

// Update handles keys and pastes while focused, and its own timers.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case pauseCheck:
		return m.pauseDue(msg)
	case tea.PasteMsg:
		// A paste only ever inserts text, newlines included; it never sends.
		return m.edit(tea.PasteMsg{Content: normalizeNewlines(msg.Content)})
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return nil
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	k := m.com.Keys
	switch {
	case key.Matches(msg, k.Send):
		return m.submit()
	case key.Matches(msg, k.Newline):
		return m.edit(tea.PasteMsg{Content: "\n"})
	case key.Matches(msg, k.Complete):
		return m.complete()
	case key.Matches(msg, k.RecallPrev) && m.ta.Line() == 0 && m.browsing():
		m.recallStep(-1)
		return nil
	case key.Matches(msg, k.RecallNext) && m.ta.Line() == m.ta.LineCount()-1 && m.recall < len(m.history):
		m.recallStep(+1)
		return nil
	}
	return m.edit(msg)
}

// browsing reports whether up should recall history: the line is empty or
// shows a recalled entry unchanged.
func (m *Model) browsing() bool {
	v := m.ta.Value()
	if v == "" {
		return len(m.history) > 0
	}
	return m.recall < len(m.history) && m.history[m.recall] == v && m.recall > 0
}

func (m *Model) recallStep(delta int) {
	m.recall = min(max(m.recall+delta, 0), len(m.history))
	if m.recall == len(m.history) {
		m.ta.Reset()
	} else {
		m.ta.SetValue(m.history[m.recall])
	}
	m.updateHint()
}

// edit lets the textarea handle msg and reacts to a changed text.
func (m *Model) edit(msg tea.Msg) tea.Cmd {
	before := m.ta.Value()
	var cmd tea.Cmd
	m.ta, cmd = m.ta.Update(msg)
	after := m.ta.Value()
	if after == before {
		return cmd
	}
	m.completer.Reset()
	m.updateHint()
	return tea.Batch(cmd, m.typed(after))
}

// typed decides which chat state the edit implies: composing once per
// burst, a timer for paused, active when the text was erased.
func (m *Model) typed(text string) tea.Cmd {
	if m.peer == "" {
		return nil
	}
	m.gen++
	if text == "" || commands.IsCommand(text) {
		return m.tell(m.peer, session.StateActive, session.StateComposing, session.StatePaused)
	}
	return tea.Batch(
		m.tell(m.peer, session.StateComposing),
		m.com.After(PauseAfter, pauseCheck{gen: m.gen, peer: m.peer}),
	)
}

func (m *Model) pauseDue(p pauseCheck) tea.Cmd {
	if p.gen != m.gen || p.peer != m.peer {
		return nil
	}
	return m.tell(p.peer, session.StatePaused, session.StateComposing)
}

// tell asks for state to be sent to peer unless the peer already has it.
// With from given, it is sent only when the peer's last state is one of them.
func (m *Model) tell(peer string, state session.ChatState, from ...session.ChatState) tea.Cmd {
	last, ok := m.told[peer]
	if !ok {
		last = session.StateActive
	}
	if last == state {
		return nil
	}
	if len(from) > 0 && state != session.StateComposing {
		match := false
		for _, f := range from {
			match = match || f == last
		}
		if !match {
			return nil
		}
	}
	m.told[peer] = state
	m.com.Emit(ChatStateRequested{Peer: peer, State: state})
	return nil
}

func (m *Model) submit() tea.Cmd {
	line := m.ta.Value()
	if strings.TrimSpace(line) == "" {
		return nil
	}
	if commands.IsCommand(line) {
		m.com.Emit(CommandEntered{Line: line})
		return nil
	}
	if m.peer == "" {
		return common.Notice(session.Warning, "no chat open: pick a contact (tab) or type /msg JID")
	}
	body := strings.TrimRight(commands.MessageText(line), " \n")
	m.remember(line)
	m.ta.Reset()
	m.updateHint()
	m.gen++
	// The message itself tells the peer we are active again (XEP-0085).
	m.told[m.peer] = session.StateActive
	m.com.Emit(SendRequested{To: m.peer, Body: body})
	return nil
}

func (m *Model) complete() tea.Cmd {
	line, cands, ok := m.completer.Next(m.ta.Value(), m.source)
	if !ok {
		m.hint = "no completion"
		return nil
	}
	m.ta.SetValue(line)
	if len(cands) > 1 {
		m.hint = strings.Join(cands, "  ")
	} else {
		m.updateHint()
	}
	return nil
}

// normalizeNewlines turns CRLF and lone CR (as some terminals paste) into LF.
func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}
