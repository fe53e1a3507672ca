package conversation

import (
	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
)

func (m *Model) request(dir Direction, before int64, limit int) tea.Cmd {
	m.nextReq++
	m.req, m.reqDir = m.nextReq, dir
	m.com.Emit(LoadRequested{Peer: m.peer, Req: m.req, Dir: dir, Before: before, Limit: limit})
	return nil
}

// Loading reports whether a page is on its way.
func (m *Model) Loading() bool { return m.req != 0 }

// LoadError is the last failure to load history, "" when the last load
// worked.
func (m *Model) LoadError() string { return m.loadErr }

// HandleLoaded takes a page of history. Answers to requests that were
// superseded are dropped.
func (m *Model) HandleLoaded(r HistoryLoaded) tea.Cmd {
	if r.Req == 0 || r.Req != m.req {
		return nil
	}
	m.req = 0
	if r.Err != nil {
		m.loadErr = common.OneLine(r.Err.Error())
		return nil
	}
	m.loadErr = ""
	m.addScans(r.Scans)
	switch m.reqDir {
	case Latest:
		m.replace(r.Msgs)
		m.placeUnread()
	case Older:
		m.prepend(r.Msgs)
	case Newer:
		m.appendChunk(r.Msgs)
	}
	m.bound()
	return m.ensureLoaded()
}

// replace makes the page the whole window, keeping messages that arrived
// live while it was loading.
func (m *Model) replace(page []session.Message) {
	var newest int64
	if n := len(page); n > 0 {
		newest = page[n-1].ID
	}
	keep := m.msgs
	m.msgs, m.ids = nil, map[int64]*entry{}
	for _, msg := range page {
		m.insert(msg)
	}
	for _, e := range keep {
		if e.msg.ID > newest || len(page) == 0 {
			if _, dup := m.ids[e.msg.ID]; !dup {
				m.insert(e.msg)
			}
		}
	}
	m.reachedStart = len(page) < PageSize
	m.newer, m.follow, m.unseen, m.skip = nil, true, 0, 0
	m.loaded = true
}

func (m *Model) prepend(page []session.Message) {
	if len(page) < PageSize {
		m.reachedStart = true
	}
	if len(m.msgs) == 0 {
		return
	}
	first := m.msgs[0].msg.ID
	var add []*entry
	for _, msg := range page {
		if _, dup := m.ids[msg.ID]; !dup && msg.ID < first {
			e := &entry{msg: msg}
			m.ids[msg.ID] = e
			add = append(add, e)
		}
	}
	if len(add) == 0 {
		return
	}
	m.msgs[0].rows = nil // it may lose its day separator
	m.msgs = append(add, m.msgs...)
}

func (m *Model) appendChunk(page []session.Message) {
	if n := len(m.newer); n > 0 {
		m.newer = m.newer[:n-1]
	}
	var last int64
	if n := len(m.msgs); n > 0 {
		last = m.msgs[n-1].msg.ID
	}
	for _, msg := range page {
		if _, dup := m.ids[msg.ID]; !dup && msg.ID > last {
			e := &entry{msg: msg}
			m.ids[msg.ID] = e
			m.msgs = append(m.msgs, e)
		}
	}
}

// bound keeps the window under MaxWindow by dropping messages from the end
// farther from the screen, leaving a margin so that scrolling a little does
// not reload them.
func (m *Model) bound() {
	if len(m.msgs) <= MaxWindow {
		return
	}
	excess := len(m.msgs) - (MaxWindow - PageSize)
	top, bottom := m.span()
	above, below := top, len(m.msgs)-1-bottom
	if above >= below {
		cut := min(excess, max(0, top-prefetch))
		if cut == 0 {
			return
		}
		for _, e := range m.msgs[:cut] {
			delete(m.ids, e.msg.ID)
		}
		m.msgs = append([]*entry(nil), m.msgs[cut:]...)
		m.msgs[0].rows = nil
		m.reachedStart = false
		return
	}
	cut := min(excess, max(0, below-prefetch))
	if cut == 0 {
		return
	}
	keep := len(m.msgs) - cut
	dropped := m.msgs[keep:]
	var before int64
	if n := len(m.newer); n > 0 {
		before = m.newer[n-1].first
	}
	m.newer = append(m.newer, chunk{before: before, count: len(dropped), first: dropped[0].msg.ID})
	for _, e := range dropped {
		delete(m.ids, e.msg.ID)
	}
	m.msgs = append([]*entry(nil), m.msgs[:keep]...)
	m.follow = false
}

// ensureLoaded asks for the page the screen is about to need: the first
// page, the one before the window, or the chunk after it.
func (m *Model) ensureLoaded() tea.Cmd {
	if m.req != 0 {
		return nil
	}
	if !m.loaded {
		if m.loadErr != "" {
			return nil // retried when the user scrolls
		}
		return m.Load()
	}
	if len(m.msgs) == 0 || m.loadErr != "" {
		return nil
	}
	top, bottom := m.span()
	if top < prefetch && !m.reachedStart {
		return m.request(Older, m.msgs[0].msg.ID, PageSize)
	}
	if n := len(m.newer); n > 0 && bottom >= len(m.msgs)-prefetch {
		c := m.newer[n-1]
		return m.request(Newer, c.before, c.count)
	}
	return nil
}
