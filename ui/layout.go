package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/ui/theme"
)

// Minimum usable screen.
const minWidth, minHeight = 40, 10

// layout is where everything goes, recomputed after every update.
type layout struct {
	w, h         int
	sideW        int // 0: sidebar hidden (narrow screen)
	mainX, mainW int
	bodyH        int // rows above the notice line and the status bar
	bannerH      int
	convW, convH int
	consoleSide  bool
	consoleW     int
	consoleH     int
	composeH     int
	transferH    int // the transfers bar (files.go)
	tooSmall     bool
}

func (m *Model) resize(w, h int) tea.Cmd {
	m.com.Width, m.com.Height = w, h
	return nil // relayout follows every update
}

// relayout sizes the components for the current screen and state.
func (m *Model) relayout() tea.Cmd {
	l := layout{w: m.com.Width, h: m.com.Height}
	if l.w <= 0 || l.h <= 0 {
		// No size yet: lay out for a default terminal so that a chat opened
		// before the first WindowSizeMsg still loads its history.
		l.w, l.h = 80, 24
	}
	l.tooSmall = l.w < minWidth || l.h < minHeight
	if l.w >= 60 {
		l.sideW = min(max(l.w/4, 18), 30)
		l.mainX = l.sideW + 1
	}
	l.mainW = l.w - l.mainX
	l.bodyH = max(l.h-2-m.scanBannerH(), 1) // notice, status bar, the scan banner
	if len(m.sidebar.Requests()) > 0 {
		l.bannerH = 1
	}
	m.compose.SetWidth(l.mainW)
	l.composeH = min(m.compose.Height(), max(l.bodyH/3, 1))
	l.transferH = min(m.transfers.Height(), max(l.bodyH-l.composeH-6, 0))
	avail := max(l.bodyH-1-l.bannerH-1-l.composeH-l.transferH, 1) // header, banner, separator, compose, transfers
	l.convW, l.convH = l.mainW, avail
	if m.consoleOpen {
		if l.mainW >= 100 {
			l.consoleSide = true
			l.consoleW = l.mainW * 2 / 5
			l.convW = l.mainW - l.consoleW - 1
			l.consoleH = avail
		} else {
			l.consoleH = max(min(avail/2, avail-3), 2)
			l.consoleW = l.mainW
			l.convH = max(avail-l.consoleH, 1)
		}
	}
	m.lay = l
	m.sidebar.SetSize(l.sideW, l.bodyH)
	m.console.SetSize(l.consoleW, l.consoleH)
	if c := m.activeConv(); c != nil {
		return c.SetSize(l.convW, l.convH)
	}
	return nil
}

func (m *Model) setBackground(dark bool) tea.Cmd {
	dark = theme.Resolve(m.themeMode, dark)
	if dark != m.com.Theme.Dark {
		m.com.SetTheme(theme.New(dark))
		m.compose.ThemeChanged()
	}
	return nil
}

func (m *Model) setEnhanced(ok bool) tea.Cmd {
	m.com.Enhanced = ok
	m.com.Keys.SetEnhanced(ok)
	return nil
}
