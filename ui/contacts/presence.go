package contacts

import (
	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/theme"
)

// Glyph is the one-cell presence mark; shape and colour both carry the
// meaning, so it reads without colour too.
func Glyph(t *theme.Theme, p session.Presence) string {
	if !p.Available {
		return t.Faint.Render("○")
	}
	switch p.Show {
	case session.ShowChat:
		return t.Good.Render("◉")
	case session.ShowAway:
		return t.Warn.Render("◐")
	case session.ShowXA:
		return t.Warn.Render("◌")
	case session.ShowDND:
		return t.Bad.Render("⊖")
	}
	return t.Good.Render("●")
}

// Label names a presence in words.
func Label(p session.Presence) string {
	if !p.Available {
		return "offline"
	}
	switch p.Show {
	case session.ShowChat:
		return "free to chat"
	case session.ShowAway:
		return "away"
	case session.ShowXA:
		return "extended away"
	case session.ShowDND:
		return "do not disturb"
	}
	return "online"
}

// rank orders presences from most to least available.
func rank(p session.Presence) int {
	if !p.Available {
		return 5
	}
	switch p.Show {
	case session.ShowChat:
		return 0
	case session.ShowAway:
		return 2
	case session.ShowXA:
		return 3
	case session.ShowDND:
		return 4
	}
	return 1
}
