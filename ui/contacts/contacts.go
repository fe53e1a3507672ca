package contacts

import (
	"slices"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
)

// OpenRequested asks the root to open (and focus) the chat with Peer.
type OpenRequested struct{ Peer string }

// Model is the sidebar.
type Model struct {
	com       *common.Common
	roster    map[string]session.Contact
	resources map[string]map[string]session.Presence
	chats     []string // open chats in a stable order
	unread    map[string]int
	typing    map[string]bool
	requests  []string
	active    string

	order []string // rosterOrder's result until something changes it

	focused bool
	cursor  int // index into the selectable entries
	offset  int // first row shown
	width   int
	height  int
}

// New returns an empty sidebar.
func New(com *common.Common) *Model {
	return &Model{
		com:       com,
		roster:    map[string]session.Contact{},
		resources: map[string]map[string]session.Presence{},
		unread:    map[string]int{},
		typing:    map[string]bool{},
	}
}

// SetSize sets the sidebar's area.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Focus and Blur move the keyboard to and from the list.
func (m *Model) Focus() {
	m.focused = true
	if i := slices.Index(m.entries(), m.active); i >= 0 {
		m.cursor = i
	}
}
func (m *Model) Blur() { m.focused = false }

// SetRoster replaces the roster.
func (m *Model) SetRoster(cs []session.Contact) {
	m.order = nil
	m.roster = make(map[string]session.Contact, len(cs))
	for _, c := range cs {
		m.roster[c.JID] = c
	}
	m.clampCursor()
}

// SetPresence records one resource's presence.
func (m *Model) SetPresence(jid, resource string, p session.Presence) {
	m.order = nil
	rs := m.resources[jid]
	if rs == nil {
		rs = map[string]session.Presence{}
		m.resources[jid] = rs
	}
	if p.Available {
		rs[resource] = p
	} else {
		delete(rs, resource)
		if len(rs) == 0 {
			// Keep an explicit "offline" so that a stale roster presence
			// does not show the contact online.
			rs[""] = p
		}
	}
}

// Presence is a contact's most available presence.
func (m *Model) Presence(jid string) session.Presence {
	rs := m.resources[jid]
	if len(rs) == 0 {
		return m.roster[jid].Presence
	}
	var best session.Presence
	first := true
	for _, p := range rs {
		if first || rank(p) < rank(best) {
			best, first = p, false
		}
	}
	return best
}

// Contact returns the roster entry of jid.
func (m *Model) Contact(jid string) (session.Contact, bool) {
	c, ok := m.roster[jid]
	return c, ok
}

// Name is what to call jid: the roster name, else the JID.
func (m *Model) Name(jid string) string {
	if c, ok := m.roster[jid]; ok && strings.TrimSpace(c.Name) != "" {
		return common.OneLine(c.Name)
	}
	return jid
}

// SetConversations adds the stored conversations (most recent first) to
// the open chats, with their unread counts.
func (m *Model) SetConversations(cs []session.Conversation) {
	m.order = nil
	for _, c := range cs {
		if !slices.Contains(m.chats, c.Peer) {
			m.chats = append(m.chats, c.Peer)
		}
		m.unread[c.Peer] = c.Unread
	}
}

// OpenChat adds peer to the open chats (at the end, so that numbers stay
// put) and marks it active.
func (m *Model) OpenChat(peer string) {
	m.order = nil
	if !slices.Contains(m.chats, peer) {
		m.chats = append(m.chats, peer)
	}
	m.active = peer
}

// AddChat lists peer among the open chats without making it active.
func (m *Model) AddChat(peer string) {
	m.order = nil
	if !slices.Contains(m.chats, peer) {
		m.chats = append(m.chats, peer)
	}
}

// CloseChat removes peer from the open chats.
func (m *Model) CloseChat(peer string) {
	m.order = nil
	m.chats = slices.DeleteFunc(m.chats, func(s string) bool { return s == peer })
	if m.active == peer {
		m.active = ""
	}
	m.clampCursor()
}

// Chats returns the open chats in order.
func (m *Model) Chats() []string { return m.chats }

// Active is the chat on screen.
func (m *Model) Active() string { return m.active }

// AddUnread counts a message nobody has seen yet.
func (m *Model) AddUnread(peer string) { m.unread[peer]++ }

// ClearUnread resets peer's count.
func (m *Model) ClearUnread(peer string) { delete(m.unread, peer) }

// Unread is peer's count.
func (m *Model) Unread(peer string) int { return m.unread[peer] }

// TotalUnread adds up all counts.
func (m *Model) TotalUnread() int {
	n := 0
	for _, u := range m.unread {
		n += u
	}
	return n
}

// SetTyping marks peer as typing or not.
func (m *Model) SetTyping(peer string, on bool) {
	if on {
		m.typing[peer] = true
	} else {
		delete(m.typing, peer)
	}
}

// AddRequest lists a presence subscription request.
func (m *Model) AddRequest(jid string) {
	if !slices.Contains(m.requests, jid) {
		m.requests = append(m.requests, jid)
	}
}

// RemoveRequest drops an answered request.
func (m *Model) RemoveRequest(jid string) {
	m.requests = slices.DeleteFunc(m.requests, func(s string) bool { return s == jid })
	m.clampCursor()
}

// Requests lists the unanswered presence requests.
func (m *Model) Requests() []string { return m.requests }

// JIDs lists every JID the sidebar knows, for completion.
func (m *Model) JIDs() []string {
	seen := map[string]bool{}
	var out []string
	for _, j := range append(append([]string(nil), m.chats...), m.rosterOrder()...) {
		if !seen[j] {
			seen[j] = true
			out = append(out, j)
		}
	}
	return out
}

// rosterOrder lists roster JIDs that are not open chats: available first,
// then by name.
func (m *Model) rosterOrder() []string {
	if m.order != nil {
		return m.order
	}
	out := []string{}
	for j := range m.roster {
		if !slices.Contains(m.chats, j) {
			out = append(out, j)
		}
	}
	sort.Slice(out, func(a, b int) bool {
		pa, pb := m.Presence(out[a]), m.Presence(out[b])
		if pa.Available != pb.Available {
			return pa.Available
		}
		return strings.ToLower(m.Name(out[a])) < strings.ToLower(m.Name(out[b]))
	})
	m.order = out
	return out
}

// entries are the selectable JIDs in display order.
func (m *Model) entries() []string {
	out := append([]string(nil), m.chats...)
	out = append(out, m.requests...)
	return append(out, m.rosterOrder()...)
}

func (m *Model) clampCursor() {
	m.cursor = min(max(m.cursor, 0), max(len(m.entries())-1, 0))
}

// Update handles keys while the list has focus.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	keys := m.com.Keys
	entries := m.entries()
	switch {
	case keyIs(k, keys.Up.Keys()):
		m.cursor--
	case keyIs(k, keys.Down.Keys()):
		m.cursor++
	case keyIs(k, keys.Top.Keys()):
		m.cursor = 0
	case keyIs(k, keys.Bottom.Keys()):
		m.cursor = len(entries) - 1
	case keyIs(k, keys.Open.Keys()):
		if m.cursor >= 0 && m.cursor < len(entries) {
			m.com.Emit(OpenRequested{Peer: entries[m.cursor]})
			return nil
		}
	}
	m.clampCursor()
	return nil
}

func keyIs(k tea.KeyPressMsg, keys []string) bool { return slices.Contains(keys, k.String()) }
