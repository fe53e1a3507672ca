package conversation

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/ui/common"
)

// Older messages from the server's archive. When the user scrolls up to
// the first stored message, the conversation asks (once per arrival at
// the top) for the page before it; the root calls Backend.LoadOlder, which
// stores that page below the conversation's messages, and the window then
// loads it from the store like any older page, keeping the view where it
// was.

// OlderRequested asks the root to call Backend.LoadOlder(Peer) and to hand
// the result back as OlderLoaded.
type OlderRequested struct{ Peer string }

// OlderLoaded is the answer to an OlderRequested.
type OlderLoaded struct {
	Peer     string
	Added    int
	Complete bool // the archive has nothing older
	Err      error
}

// archiveState is how far the server's archive has been read back.
type archiveState int

const (
	archiveMore     archiveState = iota // it may hold older messages
	archiveLoading                      // a page is on its way
	archiveComplete                     // its beginning is reached
)

// RequestOlder asks the server's archive for the messages before the
// oldest stored one (the /history command). Nothing happens while a page
// is on its way.
func (m *Model) RequestOlder() tea.Cmd {
	if m.archive == archiveLoading {
		return nil
	}
	m.archive, m.archiveErr, m.olderAsked = archiveLoading, "", true
	m.com.Emit(OlderRequested{Peer: m.peer})
	return nil
}

// LoadingOlder reports whether older messages are on their way from the
// server.
func (m *Model) LoadingOlder() bool { return m.archive == archiveLoading }

// ArchiveComplete reports whether the server's archive was read back to
// its beginning.
func (m *Model) ArchiveComplete() bool { return m.archive == archiveComplete }

// askOlderAtTop asks for older messages when the screen shows the first
// message stored: once each time the user scrolls up to it.
func (m *Model) askOlderAtTop() tea.Cmd {
	if !m.loaded || m.req != 0 || len(m.msgs) == 0 {
		return nil
	}
	top, _ := m.span()
	if top > 0 || !m.reachedStart {
		m.olderAsked = false // away from the top: the next arrival asks again
		return nil
	}
	if m.olderAsked || m.archive != archiveMore {
		return nil
	}
	return m.RequestOlder()
}

// HandleOlder takes the outcome of a LoadOlder: the messages it stored
// come from the store as the page before the window.
func (m *Model) HandleOlder(r OlderLoaded) tea.Cmd {
	m.archive = archiveMore
	if r.Err != nil {
		// Not again at once: /history, or the next arrival at the top,
		// tries again.
		m.archiveErr = common.OneLine(r.Err.Error())
		return nil
	}
	m.archiveErr = ""
	if r.Complete {
		m.archive = archiveComplete
	}
	if r.Added > 0 {
		m.reachedStart, m.olderAsked = false, false
		if m.req == 0 && len(m.msgs) > 0 {
			return m.request(Older, m.msgs[0].msg.ID, PageSize)
		}
		if !m.loaded || len(m.msgs) == 0 {
			return m.Load()
		}
	}
	return nil
}

// archiveNote is the top line about the server's archive, "" for none.
func (m *Model) archiveNote() string {
	t := m.com.Theme
	switch {
	case m.archive == archiveLoading:
		return m.centred("loading older messages from the server…")
	case m.archiveErr != "":
		text := m.archiveErr
		if !strings.HasPrefix(text, "older messages") { // the backend's errors name what failed
			text = "could not load older messages: " + text
		}
		return common.Fit(t.Bad.Render(text+" (/history retries)"), m.width)
	case m.reachedStart && m.archive == archiveComplete:
		return m.centred("beginning of the archive")
	}
	return ""
}
