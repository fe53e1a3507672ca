package conversation

import tea "charm.land/bubbletea/v2"

// anchor returns the index of the message at the bottom of the screen and
// how many of its rows are hidden below.
func (m *Model) anchor() (int, int) {
	n := len(m.msgs)
	if n == 0 {
		return -1, 0
	}
	if m.follow {
		return n - 1, 0
	}
	i := m.index(m.bottom)
	if i < 0 {
		return n - 1, 0
	}
	return i, min(m.skip, len(m.rows(i))-1)
}

func (m *Model) setAnchor(i, skip int) {
	m.bottom, m.skip = m.msgs[i].msg.ID, skip
}

// span returns the indexes of the topmost and bottommost messages on
// screen. It renders only what is on screen.
func (m *Model) span() (top, bottom int) {
	b, skip := m.anchor()
	if b < 0 {
		return 0, 0
	}
	need := m.height + skip
	i := b
	for ; i >= 0; i-- {
		need -= len(m.rows(i))
		if need <= 0 {
			break
		}
	}
	return max(i, 0), b
}

// ScrollUp moves the view n rows back in time.
func (m *Model) ScrollUp(n int) tea.Cmd {
	b, skip := m.anchor()
	if b < 0 {
		return nil
	}
	skip += n
	for skip >= len(m.rows(b)) && b > 0 {
		skip -= len(m.rows(b))
		b--
	}
	skip = min(skip, len(m.rows(b))-1)
	m.follow = false
	m.setAnchor(b, skip)
	m.clampTop()
	m.loadErr = "" // a scroll is the user's retry
	return tea.Batch(m.ensureLoaded(), m.askOlderAtTop())
}

// ScrollDown moves the view n rows forward in time.
func (m *Model) ScrollDown(n int) tea.Cmd {
	b, skip := m.anchor()
	if b < 0 || m.follow {
		return nil
	}
	skip -= n
	for skip < 0 {
		if b == len(m.msgs)-1 {
			skip = 0
			break
		}
		b++
		skip += len(m.rows(b))
	}
	m.setAnchor(b, skip)
	if b == len(m.msgs)-1 && skip == 0 && len(m.newer) == 0 {
		m.follow, m.unseen = true, 0
	}
	m.loadErr = ""
	if top, _ := m.span(); top > 0 {
		m.olderAsked = false
	}
	return m.ensureLoaded()
}

// PageUp scrolls back a screen, keeping a row of context.
func (m *Model) PageUp() tea.Cmd { return m.ScrollUp(max(m.height-1, 1)) }

// PageDown scrolls forward a screen.
func (m *Model) PageDown() tea.Cmd { return m.ScrollDown(max(m.height-1, 1)) }

// End jumps to the newest message, reloading when the window was moved
// away from it.
func (m *Model) End() tea.Cmd {
	if len(m.newer) > 0 {
		return m.Load()
	}
	m.follow, m.unseen, m.skip = true, 0, 0
	return nil
}

// clampTop keeps the screen from scrolling past the first message of the
// conversation: the window's top row stays at the top of the screen.
func (m *Model) clampTop() {
	b, skip := m.anchor()
	rows := -skip
	if m.reachedStart {
		rows++ // the note above the first message (topNote)
	}
	for i := b; i >= 0; i-- {
		rows += len(m.rows(i))
		if rows >= m.height {
			return
		}
	}
	// Fewer rows than the screen holds: move the bottom down by the
	// difference, or stick to the newest when everything fits.
	deficit := m.height - rows
	for deficit > 0 {
		if skip >= deficit {
			skip -= deficit
			break
		}
		deficit -= skip
		if b == len(m.msgs)-1 {
			skip = 0
			break
		}
		b++
		skip = len(m.rows(b))
	}
	m.setAnchor(b, skip)
	if b == len(m.msgs)-1 && skip == 0 && len(m.newer) == 0 {
		m.follow, m.unseen = true, 0
	}
}
