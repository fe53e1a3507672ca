package ui

import (
	"image/color"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/candor-xmpp/candor/session"
)

// busy builds a screen with everything on it: contacts with presence,
// a chat with history, unread counts, a request, a notice, typing.
func busy(t *testing.T, w, h int, themeName string) *harness {
	be := newBackend()
	be.SetAccount(session.AccountInfo{JID: "me@example.org", State: session.Online})
	be.Generate(alice, 500, t0)
	acct := session.Account{JID: "me@example.org", Password: "pw"}
	x := newHarnessWith(t, be, Options{Account: &acct, Theme: themeName}, w, h)
	x.send(session.RosterChanged{Contacts: []session.Contact{
		{JID: alice, Name: "Alice Liddell-Hargreaves of Wonderland", Subscription: "both", Presence: session.Presence{Available: true, Status: "down the rabbit hole, back soon"}},
		{JID: "bob@example.org", Name: "Bob", Subscription: "both", Presence: session.Presence{Available: true, Show: session.ShowDND}},
		{JID: "carol@example.net", Subscription: "to"},
	}})
	x.send(session.ConnectionChanged{State: session.Online})
	x.typeText("/msg " + alice)
	x.press("enter")
	x.send(session.MessageAdded{Message: x.be.Store(session.Message{Peer: "bob@example.org", Direction: session.Incoming, Body: "are you there?", Time: t0})})
	x.send(session.SubscriptionRequested{JID: "dave@example.com"})
	x.send(session.MessageAdded{Message: x.be.Store(session.Message{Peer: alice, Direction: session.Incoming,
		Body: "a long line with wide characters 漢字かな and an emoji-free tail that must wrap neatly at any width", Time: t0})})
	x.send(session.ChatStateChanged{Peer: alice, State: session.StateComposing})
	x.typeText("draft in progress")
	return x
}

func checkFrame(t *testing.T, x *harness, w, h int) {
	t.Helper()
	lines := x.screen()
	if len(lines) != h {
		t.Fatalf("%dx%d: %d rows", w, h, len(lines))
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Fatalf("%dx%d: row %d is %d wide: %q", w, h, i, lw, l)
		}
	}
	for _, want := range []string{"me@example.org", "● online", "scan: off", "is typing…", "draft in progress", "wrap neatly"} {
		x.mustShow(want)
	}
	if w >= 60 {
		x.mustShow("Bob")
	}
	c := x.m.View().Cursor
	if c == nil || c.Position.X >= w || c.Position.Y >= h || c.Position.Y < 0 {
		t.Fatalf("%dx%d: cursor %+v", w, h, c)
	}
	if !strings.Contains(lines[c.Position.Y], "draft in progress") {
		t.Fatalf("%dx%d: cursor row %d is not compose: %q", w, h, c.Position.Y, lines[c.Position.Y])
	}
}

func TestRenderSizesAndThemes(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {100, 30}, {120, 40}, {59, 20}} {
		for _, th := range []string{"dark", "light"} {
			t.Run(strconv.Itoa(size[0])+"x"+strconv.Itoa(size[1])+"-"+th, func(t *testing.T) {
				x := busy(t, size[0], size[1], th)
				checkFrame(t, x, size[0], size[1])
				x.typeText("/xml")
				x.m.compose.Reset()
				x.send(tea.KeyPressMsg{Code: tea.KeyF12})
				x.send(session.StanzaLogged{Time: t0, XML: "<iq type='result' id='" + strings.Repeat("x", 300) + "'/>"})
				x.mustShow("XML console")
				lines := x.screen()
				for i, l := range lines {
					if lw := ansi.StringWidth(l); lw > size[0] || len(lines) != size[1] {
						t.Fatalf("with the console: row %d is %d wide (%d rows)", i, lw, len(lines))
					}
				}
			})
		}
	}
}

func TestResizeKeepsTheFrameInside(t *testing.T) {
	x := busy(t, 120, 40, "")
	for _, s := range [][2]int{{80, 24}, {100, 30}, {45, 12}, {200, 60}, {80, 24}} {
		x.send(tea.WindowSizeMsg{Width: s[0], Height: s[1]})
		checkFrame(t, x, s[0], s[1])
	}
	x.send(tea.WindowSizeMsg{Width: 30, Height: 8})
	x.mustShow("Candor needs at least 40×10")
	if lines := x.screen(); len(lines) != 8 {
		t.Fatalf("%d rows at 30x8", len(lines))
	}
}

func TestThemeFollowsTheTerminal(t *testing.T) {
	x := busy(t, 80, 24, "")
	dark := x.m.View().Content
	x.send(tea.BackgroundColorMsg{Color: color.White})
	light := x.m.View().Content
	if x.m.com.Theme.Dark || dark == light {
		t.Fatal("a light background did not switch the theme")
	}
	if ansi.Strip(dark) != ansi.Strip(light) {
		t.Fatal("the theme changed the text, not only the colours")
	}
	// A forced theme ignores the terminal.
	y := busy(t, 80, 24, "dark")
	y.send(tea.BackgroundColorMsg{Color: color.White})
	if !y.m.com.Theme.Dark {
		t.Fatal("forced dark theme switched to light")
	}
}

func TestOverlayFitsSmallScreens(t *testing.T) {
	for _, s := range [][2]int{{80, 24}, {40, 10}} {
		x := busy(t, s[0], s[1], "")
		x.m.compose.Reset()
		x.press("f1")
		lines := x.screen()
		if len(lines) != s[1] {
			t.Fatalf("%v: %d rows", s, len(lines))
		}
		for i, l := range lines {
			if lw := ansi.StringWidth(l); lw > s[0] {
				t.Fatalf("%v: row %d is %d wide: %q", s, i, lw, l)
			}
		}
		x.mustShow("esc closes")
		x.mustShow("↓ more") // the list is longer than these screens
	}
}

func TestKeyboardEnhancementsChangeTheHelp(t *testing.T) {
	x := loggedIn(t, 120, 40)
	x.send(tea.KeyboardEnhancementsMsg{Flags: 1})
	x.press("f1")
	x.mustShow("shift+enter")
}
