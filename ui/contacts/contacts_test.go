package contacts

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
)

func view(m *Model) []string { return strings.Split(ansi.Strip(m.View()), "\n") }

func TestOrderAndSections(t *testing.T) {
	m := New(common.New(true))
	m.SetSize(30, 12)
	m.SetRoster([]session.Contact{
		{JID: "zed@x.org", Name: "Zed", Presence: session.Presence{Available: true}},
		{JID: "amy@x.org", Name: "Amy"},
		{JID: "bob@x.org", Name: "Bob", Presence: session.Presence{Available: true, Show: session.ShowAway}},
	})
	m.SetConversations([]session.Conversation{{Peer: "amy@x.org", Unread: 4}})
	got := view(m)
	want := []string{"Chats", "1 ○ Amy", "Contacts 2", "◐ Bob", "● Zed"}
	i := 0
	for _, l := range got {
		if i < len(want) && strings.Contains(l, want[i]) {
			i++
		}
	}
	if i != len(want) {
		t.Fatalf("order wrong, matched %d of %v:\n%s", i, want, strings.Join(got, "\n"))
	}
	if !strings.Contains(got[1], " 4 ") {
		t.Fatalf("unread badge missing: %q", got[1])
	}
	for _, l := range got {
		if ansi.StringWidth(l) != 30 {
			t.Fatalf("row not 30 wide: %q", l)
		}
	}
}

func TestCursorStaysVisibleInALongList(t *testing.T) {
	m := New(common.New(false))
	m.SetSize(24, 6)
	var roster []session.Contact
	for i := range 200 {
		roster = append(roster, session.Contact{JID: fmt.Sprintf("c%03d@x.org", i)})
	}
	m.SetRoster(roster)
	m.Focus()
	for range 150 {
		m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	if rows := view(m); !strings.Contains(strings.Join(rows, "\n"), "c150") {
		t.Fatalf("cursor row not shown:\n%s", strings.Join(rows, "\n"))
	}
	// Exactly one row carries the highlight, and it is the cursor's.
	highlighted := 0
	sel := m.com.Theme.Selected.Render("x")
	prefix := sel[:strings.Index(sel, "x")]
	for _, l := range strings.Split(m.View(), "\n") {
		if strings.HasPrefix(l, prefix) {
			highlighted++
			if !strings.Contains(ansi.Strip(l), "c150") {
				t.Fatalf("highlight on %q", ansi.Strip(l))
			}
		}
	}
	if highlighted != 1 {
		t.Fatalf("%d highlighted rows", highlighted)
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	intents := m.com.TakeIntents()
	if len(intents) != 1 {
		t.Fatalf("enter emitted %#v", intents)
	}
	if msg, ok := intents[0].(OpenRequested); !ok || msg.Peer != "c150@x.org" {
		t.Fatalf("enter opened %#v", intents[0])
	}
}

func TestHostileNamesAreSanitized(t *testing.T) {
	m := New(common.New(true))
	m.SetSize(30, 5)
	m.SetRoster([]session.Contact{{JID: "evil@x.org", Name: "Ev\x1b[31mil\u202e"}})
	if v := m.View(); strings.Contains(v, "\x1b[31mil") || strings.Contains(v, "\u202e") {
		t.Fatalf("control characters passed: %q", v)
	}
}
