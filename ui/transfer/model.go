package transfer

import (
	"sort"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
)

// MaxLines bounds the bar: the newest transfers win.
const MaxLines = 3

// endedFor is how long the outcome of a transfer stays in the bar.
const endedFor = 10 * time.Second

// Expired removes an ended transfer's line (a timer of the bar).
type Expired struct {
	ID  int64
	Gen int
}

// Model is the transfers bar.
type Model struct {
	com     *common.Common
	items   map[int64]item
	gen     int
	running map[int64]int64 // message id -> running download's transfer id
	ended   map[int64]bool  // transfers that ended: late news of them is stale
}

type item struct {
	t   session.Transfer
	gen int // the timer that removes it, once ended
}

// New returns an empty bar.
func New(com *common.Common) *Model {
	return &Model{com: com, items: map[int64]item{}, running: map[int64]int64{}, ended: map[int64]bool{}}
}

// Set records a transfer's new state; an ended one leaves after a while.
// News of a transfer that already ended, or older than what is shown, is
// ignored (a start result may arrive after the first progress).
func (m *Model) Set(t session.Transfer) tea.Cmd {
	if cur, ok := m.items[t.ID]; m.ended[t.ID] || ok && t.State < cur.t.State {
		return nil
	}
	if t.MessageID != 0 && !t.Upload {
		if t.State.Ended() {
			delete(m.running, t.MessageID)
		} else {
			m.running[t.MessageID] = t.ID
		}
	}
	if !t.State.Ended() {
		m.items[t.ID] = item{t: t}
		return nil
	}
	m.gen++
	m.items[t.ID] = item{t: t, gen: m.gen}
	m.ended[t.ID] = true
	if len(m.ended) > 1024 {
		for id := range m.ended {
			if id < t.ID-512 {
				delete(m.ended, id)
			}
		}
	}
	return m.com.After(endedFor, Expired{ID: t.ID, Gen: m.gen})
}

// Expire handles the bar's timer.
func (m *Model) Expire(e Expired) {
	if it, ok := m.items[e.ID]; ok && it.t.State.Ended() && it.gen == e.Gen {
		delete(m.items, e.ID)
	}
}

// Get returns what the bar knows of transfer id.
func (m *Model) Get(id int64) (session.Transfer, bool) {
	it, ok := m.items[id]
	return it.t, ok
}

// Downloading reports whether the file of message id is being fetched.
func (m *Model) Downloading(messageID int64) bool {
	_, ok := m.running[messageID]
	return ok
}

// Newest is the newest transfer under way.
func (m *Model) Newest() (session.Transfer, bool) {
	var best session.Transfer
	for _, it := range m.items {
		if !it.t.State.Ended() && it.t.ID > best.ID {
			best = it.t
		}
	}
	return best, best.ID != 0
}

// Active reports whether a transfer is under way.
func (m *Model) Active() bool {
	_, ok := m.Newest()
	return ok
}

// Height is the number of lines View draws.
func (m *Model) Height() int { return min(len(m.items), MaxLines) }

// View draws Height lines of width cells: transfers under way first, the
// newest of each kind first.
func (m *Model) View(width int) string {
	list := make([]session.Transfer, 0, len(m.items))
	for _, it := range m.items {
		list = append(list, it.t)
	}
	sort.Slice(list, func(i, j int) bool {
		ai, aj := !list[i].State.Ended(), !list[j].State.Ended()
		if ai != aj {
			return ai
		}
		return list[i].ID > list[j].ID
	})
	list = list[:min(len(list), MaxLines)]
	lines := make([]string, len(list))
	for i, t := range list {
		lines[i] = common.Fit(m.line(t, width), width)
	}
	return strings.Join(lines, "\n")
}
