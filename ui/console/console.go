package console

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
)

// Capacity is the number of stanzas kept; older ones are dropped.
const Capacity = 500

type entry struct {
	seq      int
	ev       session.StanzaLogged
	pretty   []string // width-independent, built on first view
	rows     []string // wrapped to width
	width    int
	themeGen int
}

// Model is the XML console.
type Model struct {
	com     *common.Common
	ring    []*entry // Capacity slots
	start   int      // index of the oldest entry in ring
	n       int      // entries held
	seq     int      // sequence number of the newest entry
	dropped int

	follow bool
	bottom int // seq of the entry at the bottom of the screen
	skip   int // its rows hidden below

	width, height int
	focused       bool
}

// New returns an empty console.
func New(com *common.Common) *Model {
	return &Model{com: com, ring: make([]*entry, Capacity), follow: true}
}

// SetSize sets the console's area, its title row included.
func (m *Model) SetSize(w, h int) { m.width, m.height = max(w, 1), max(h, 2) }

// Focus and Blur move the keyboard.
func (m *Model) Focus() { m.focused = true }
func (m *Model) Blur()  { m.focused = false }

// Len is the number of stanzas held.
func (m *Model) Len() int { return m.n }

// Add appends a stanza, dropping the oldest when full.
func (m *Model) Add(ev session.StanzaLogged) {
	m.seq++
	e := &entry{seq: m.seq, ev: ev}
	if m.n < Capacity {
		m.ring[(m.start+m.n)%Capacity] = e
		m.n++
		return
	}
	m.ring[m.start] = e
	m.start = (m.start + 1) % Capacity
	m.dropped++
}

func (m *Model) at(i int) *entry { return m.ring[(m.start+i)%Capacity] }

func (m *Model) rows(i int) []string {
	e := m.at(i)
	if e.rows != nil && e.width == m.width && e.themeGen == m.com.ThemeGen {
		return e.rows
	}
	t := m.com.Theme
	if e.pretty == nil || e.themeGen != m.com.ThemeGen {
		e.pretty = pretty(e.ev.XML, t)
	}
	stamp := e.ev.Time.Local().Format("15:04:05.000")
	head := t.Incoming.Render("← received ") + t.Faint.Render(stamp)
	if e.ev.Outgoing {
		head = t.Outgoing.Render("→ sent ") + t.Faint.Render(stamp)
	}
	rows := []string{common.Fit(head, m.width)}
	for _, l := range e.pretty {
		for _, w := range strings.Split(ansi.Hardwrap(l, m.width, true), "\n") {
			rows = append(rows, common.Fit(w, m.width))
		}
	}
	e.rows, e.width, e.themeGen = rows, m.width, m.com.ThemeGen
	return rows
}

// index finds the ring position of a sequence number, -1 when dropped.
func (m *Model) index(seq int) int {
	if m.n == 0 {
		return -1
	}
	i := seq - m.at(0).seq
	if i < 0 || i >= m.n {
		return -1
	}
	return i
}

func (m *Model) anchor() (int, int) {
	if m.n == 0 {
		return -1, 0
	}
	if m.follow {
		return m.n - 1, 0
	}
	i := m.index(m.bottom)
	if i < 0 {
		return 0, 0
	}
	return i, min(m.skip, len(m.rows(i))-1)
}

// Update scrolls while focused.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	keys := m.com.Keys
	page := max(m.height-2, 1)
	switch {
	case matches(k, keys.Up.Keys()):
		m.ScrollUp(1)
	case matches(k, keys.Down.Keys()):
		m.ScrollDown(1)
	case matches(k, keys.PageUp.Keys()):
		m.ScrollUp(page)
	case matches(k, keys.PageDown.Keys()):
		m.ScrollDown(page)
	case matches(k, keys.Bottom.Keys()):
		m.follow = true
	}
	return nil
}

func matches(k tea.KeyPressMsg, keys []string) bool {
	for _, s := range keys {
		if k.String() == s {
			return true
		}
	}
	return false
}

// ScrollUp moves back n rows.
func (m *Model) ScrollUp(n int) {
	b, skip := m.anchor()
	if b < 0 {
		return
	}
	skip += n
	for skip >= len(m.rows(b)) && b > 0 {
		skip -= len(m.rows(b))
		b--
	}
	m.follow = false
	m.bottom, m.skip = m.at(b).seq, min(skip, len(m.rows(b))-1)
}

// ScrollDown moves forward n rows.
func (m *Model) ScrollDown(n int) {
	b, skip := m.anchor()
	if b < 0 || m.follow {
		return
	}
	skip -= n
	for skip < 0 && b < m.n-1 {
		b++
		skip += len(m.rows(b))
	}
	if skip <= 0 && b == m.n-1 {
		m.follow = true
		return
	}
	m.bottom, m.skip = m.at(b).seq, skip
}

// View renders the title row and the stanzas at the scroll position.
func (m *Model) View() string {
	t := m.com.Theme
	style := t.Title
	if m.focused {
		style = t.TitleFocus
	}
	title := " XML console · " + strconv.Itoa(m.n) + " stanzas"
	if m.dropped > 0 {
		title += " (" + strconv.Itoa(m.dropped) + " older dropped)"
	}
	if !m.follow {
		title += " · scrolled (end: newest)"
	}
	h := m.height - 1
	var rows []string
	b, skip := m.anchor()
	for i := b; i >= 0 && len(rows) < h; i-- {
		r := m.rows(i)
		if i == b {
			r = r[:len(r)-skip]
		}
		for j := len(r) - 1; j >= 0 && len(rows) < h; j-- {
			rows = append(rows, r[j])
		}
	}
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	if m.n == 0 {
		rows = []string{t.Faint.Render(" Nothing yet: stanzas appear here as they cross the wire.")}
	}
	out := append([]string{style.Render(common.Fit(title, m.width))}, common.PadLines(rows, m.width, h)...)
	return strings.Join(out, "\n")
}
