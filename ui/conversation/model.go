package conversation

import (
	"sort"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
)

// Window sizes, in messages.
const (
	PageSize  = 100          // one History call
	MaxWindow = 4 * PageSize // kept in memory
	prefetch  = PageSize / 2 // load more when the screen is this close to an edge
)

// Direction says which part of the history a request loads.
type Direction int

const (
	Latest Direction = iota // the newest page, replacing the window
	Older                   // the page before the window
	Newer                   // a dropped chunk after the window
)

// LoadRequested asks the root to call Backend.History(Peer, Before, Limit)
// and to hand the result back as HistoryLoaded with the same Req.
type LoadRequested struct {
	Peer   string
	Req    int
	Dir    Direction
	Before int64
	Limit  int
}

// HistoryLoaded is the answer to a LoadRequested.
type HistoryLoaded struct {
	Peer string
	Req  int
	Msgs []session.Message
	Err  error
	// Scans are the scan verdicts on the page's messages that have one.
	Scans map[int64]session.ScanVerdict
}

// entry is one message with its rendered rows, cached per width and theme.
type entry struct {
	msg      session.Message
	rows     []string
	width    int
	themeGen int
}

// chunk is a run of messages dropped from the newer end of the window:
// History(peer, before, count) returns it again. before is the ID of the
// message just after it, or 0 when it reaches the newest message.
type chunk struct {
	before int64
	count  int
	first  int64 // its oldest message's ID
}

// Model is one conversation.
type Model struct {
	com  *common.Common
	peer string
	name string // the peer's display name

	msgs         []*entry // the window, by ID, oldest first
	ids          map[int64]*entry
	reachedStart bool    // the window starts at the first message ever
	newer        []chunk // dropped newer chunks; the last is next to the window

	// The scroll position: the row at the bottom of the screen is row
	// len(rows)-1-skip of message bottom. follow keeps it at the newest.
	follow bool
	bottom int64
	skip   int

	width, height int

	req     int // the request in flight, 0 when none
	reqDir  Direction
	nextReq int
	loaded  bool
	loadErr string
	unseen  int // messages that arrived below the screen
	typing  session.ChatState

	// The first unread message gets a "new" line above it: unreadWanted
	// is the count asked for before the page arrived, unreadFrom its ID.
	unreadWanted int
	unreadFrom   int64

	scans       map[int64]session.ScanVerdict // scan.go
	downloading map[int64]bool                // files being fetched, by message (files.go)

	// The server's archive (older.go).
	archive    archiveState
	archiveErr string // why the last LoadOlder failed
	olderAsked bool   // asked since the user last arrived at the top
}

// New returns an empty conversation with peer; call Load to fill it.
func New(com *common.Common, peer, name string) *Model {
	return &Model{com: com, peer: peer, name: name, ids: map[int64]*entry{}, follow: true}
}

// Peer is the bare JID of the other side.
func (m *Model) Peer() string { return m.peer }

// Name is the peer's display name.
func (m *Model) Name() string { return m.name }

// SetName changes the peer's display name.
func (m *Model) SetName(name string) {
	if name != m.name {
		m.name = name
		m.invalidate()
	}
}

// SetSize sets the area the messages are drawn in.
func (m *Model) SetSize(w, h int) tea.Cmd {
	w, h = max(w, 1), max(h, 1)
	if w == m.width && h == m.height && m.loaded {
		return nil
	}
	m.width, m.height = w, h
	return m.ensureLoaded()
}

// Len is the number of messages in memory.
func (m *Model) Len() int { return len(m.msgs) }

// Following reports whether the view sticks to the newest message.
func (m *Model) Following() bool { return m.follow }

// Unseen is the number of messages that arrived below the screen.
func (m *Model) Unseen() int { return m.unseen }

// Typing is the peer's last chat state.
func (m *Model) Typing() session.ChatState { return m.typing }

// SetTyping records the peer's chat state.
func (m *Model) SetTyping(s session.ChatState) { m.typing = s }

// Message returns the message with a local ID, when it is in memory.
func (m *Model) Message(id int64) (session.Message, bool) {
	e, ok := m.ids[id]
	if !ok {
		return session.Message{}, false
	}
	return e.msg, true
}

// MarkUnread asks for a "new messages" line above the last n messages,
// placed when the newest page arrives (or now, if it is here).
func (m *Model) MarkUnread(n int) {
	m.unreadWanted = n
	m.placeUnread()
}

func (m *Model) placeUnread() {
	n := m.unreadWanted
	if n <= 0 || !m.loaded {
		return
	}
	m.unreadWanted = 0
	if old := m.index(m.unreadFrom); old >= 0 {
		m.msgs[old].rows = nil
	}
	if n > len(m.msgs) {
		n = len(m.msgs)
	}
	if n > 0 {
		e := m.msgs[len(m.msgs)-n]
		m.unreadFrom = e.msg.ID
		e.rows = nil
	}
}

// Load asks for the newest page (on open, and to jump to the end).
func (m *Model) Load() tea.Cmd { return m.request(Latest, 0, PageSize) }

// Add puts a new message (from MessageAdded or a Send result) in place. A
// message already shown is updated instead.
func (m *Model) Add(msg session.Message) {
	if e, ok := m.ids[msg.ID]; ok {
		e.msg = msg
		e.rows = nil
		return
	}
	if len(m.msgs) > 0 && msg.ID < m.msgs[0].msg.ID {
		// Older history (from the server's archive): above the window.
		if m.reachedStart {
			m.insert(msg)
			m.bound()
		}
		return // else it will come with the page it belongs to
	}
	if msg.Direction == session.Incoming {
		m.typing = ""
	}
	if len(m.newer) > 0 {
		m.addToNewestChunk(msg)
		m.unseen++
		return
	}
	m.insert(msg)
	if !m.follow {
		m.unseen++
	}
	m.bound()
}

// SetState records a new delivery state of a message in memory.
func (m *Model) SetState(id int64, state session.DeliveryState, reason string) {
	if e, ok := m.ids[id]; ok {
		e.msg.State, e.msg.Err = state, reason
		e.rows = nil
	}
}

// SetEncryption changes how a shown message is protected (it was
// encrypted when sent, or requeued to go unencrypted).
func (m *Model) SetEncryption(id int64, enc session.Encryption) {
	if e, ok := m.ids[id]; ok {
		e.msg.Encryption = enc
		e.rows = nil
	}
}

func (m *Model) insert(msg session.Message) {
	e := &entry{msg: msg}
	i := sort.Search(len(m.msgs), func(i int) bool { return m.msgs[i].msg.ID > msg.ID })
	m.msgs = append(m.msgs, nil)
	copy(m.msgs[i+1:], m.msgs[i:])
	m.msgs[i] = e
	m.ids[msg.ID] = e
	if i+1 < len(m.msgs) {
		m.msgs[i+1].rows = nil // its day separator may change
	}
}

func (m *Model) addToNewestChunk(msg session.Message) {
	newest := &m.newer[0]
	if newest.count < PageSize {
		newest.count++
		return
	}
	newest.before = msg.ID
	m.newer = append([]chunk{{before: 0, count: 1, first: msg.ID}}, m.newer...)
}

func (m *Model) invalidate() {
	for _, e := range m.msgs {
		e.rows = nil
	}
}

func (m *Model) index(id int64) int {
	i := sort.Search(len(m.msgs), func(i int) bool { return m.msgs[i].msg.ID >= id })
	if i < len(m.msgs) && m.msgs[i].msg.ID == id {
		return i
	}
	return -1
}
