package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/candor-xmpp/candor/session"
)

// checkBox checks that the open dialog is drawn whole on a w×h screen:
// both borders on every row, and a blank cell outside each, so that the
// screen behind never shows at the box's edge.
func checkBox(t *testing.T, x *harness, w, h int) {
	t.Helper()
	lines := x.screen()
	if len(lines) != h {
		t.Fatalf("%dx%d: %d rows", w, h, len(lines))
	}
	top, left, right := -1, -1, -1
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Fatalf("%dx%d: row %d is %d wide", w, h, i, lw)
		}
		if top < 0 && strings.Contains(l, "╭") {
			top, left, right = i, cellOf(l, "╭"), cellOf(l, "╮")
		}
	}
	if top < 0 || right < 0 {
		t.Fatalf("%dx%d: no whole box:\n%s", w, h, x.text())
	}
	bottom := -1
	for i := top; i < len(lines) && bottom < 0; i++ {
		l := lines[i]
		if ansi.Cut(l, left, left+1) == "╰" {
			bottom = i
		}
		want := map[int]bool{top: true, bottom: true}
		edge := [2]string{ansi.Cut(l, left, left+1), ansi.Cut(l, right, right+1)}
		if !want[i] && edge != [2]string{"│", "│"} {
			t.Fatalf("%dx%d: row %d has edges %q, not the borders:\n%s", w, h, i, edge, x.text())
		}
		for _, c := range []int{left - 1, right + 1} {
			if c >= 0 && c < w && strings.TrimSpace(ansi.Cut(l, c, c+1)) != "" {
				t.Fatalf("%dx%d: row %d shows the screen behind at column %d:\n%s", w, h, i, c, x.text())
			}
		}
	}
	if bottom < 0 {
		t.Fatalf("%dx%d: the box has no bottom:\n%s", w, h, x.text())
	}
}

// cellOf is the screen column where s starts in the plain line l, -1 if
// it is not there.
func cellOf(l, s string) int {
	i := strings.Index(l, s)
	if i < 0 {
		return -1
	}
	return ansi.StringWidth(l[:i])
}

// Every dialog covers its rows to the edge, over a busy screen, at 80x24,
// at 120x40 and after resizes; long lines are cut, not pushed past the
// screen's edge.
func TestDialogsCoverTheirRows(t *testing.T) {
	open := map[string]func(x *harness){
		"keys":     func(x *harness) { x.press("f1") },
		"help":     func(x *harness) { x.typeText("/help"); x.press("enter") },
		"help one": func(x *harness) { x.typeText("/help scan"); x.press("enter") },
		"baserate": func(x *harness) { x.typeText("/baserate"); x.press("enter") },
		"logout":   func(x *harness) { x.typeText("/connect"); x.press("enter") },
		"consent": func(x *harness) {
			x.send(session.ScanChanged{Status: belgium})
			x.send(session.ConsentRequested{Request: consentRequest("r1")})
		},
	}
	for name, opener := range open {
		t.Run(name, func(t *testing.T) {
			x := busy(t, 80, 24, "dark")
			x.m.compose.Reset()
			opener(x)
			if !x.m.overlay.Active() {
				t.Fatal("no dialog opened")
			}
			checkBox(t, x, 80, 24)
			for _, s := range [][2]int{{120, 40}, {61, 20}, {100, 30}, {80, 24}} {
				x.send(tea.WindowSizeMsg{Width: s[0], Height: s[1]})
				checkBox(t, x, s[0], s[1])
			}
		})
	}
}

// The key overlay scrolls at 80x24 and says when there is more; a resize
// keeps what it shows inside the box and the screen.
func TestKeyOverlayScrolls(t *testing.T) {
	x := withAlice(t, 80, 24)
	x.press("f1")
	x.mustShow("Global")
	x.mustShow("↓ more 1–")
	x.mustNotShow("↑ more")
	x.press("down")
	x.mustShow("↑↓ more 2–")
	x.press("end")
	x.mustShow("↑ more")
	x.mustShow("/xml — show or hide the XML console") // the last command
	x.mustNotShow("Global")
	x.press("home")
	x.mustShow("Global")
	x.press("pgdown")
	x.mustNotShow("Global")
	x.press("pgup")
	x.mustShow("Global")
	x.press("end")
	for _, s := range [][2]int{{120, 40}, {80, 24}, {61, 20}} {
		x.send(tea.WindowSizeMsg{Width: s[0], Height: s[1]})
		checkBox(t, x, s[0], s[1])
		x.mustShow("/xml — show or") // still at the end, wrapped or not
		x.mustShow("↑ more")
	}
	x.press("esc")
	x.mustNotShow("↑ more")
}
