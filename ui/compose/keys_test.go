package compose

import (
	"testing"

	"charm.land/bubbles/v2/key"

	"github.com/candor-xmpp/candor/ui/keys"
)

// The root handles its global keys before compose sees them; none of them
// may be one compose needs for editing.
func TestGlobalKeysLeaveEditingAlone(t *testing.T) {
	k := keys.Default()
	global := []key.Binding{k.Quit, k.NextChat, k.PrevChat, k.PrevFocus, k.ToggleConsole, k.Redraw, k.PageUp, k.PageDown,
		k.GotoChat, k.Inspect, k.Help}
	e := editKeys()
	editing := []key.Binding{e.CharacterBackward, e.CharacterForward, e.DeleteAfterCursor, e.DeleteBeforeCursor,
		e.DeleteCharacterBackward, e.DeleteCharacterForward, e.DeleteWordBackward, e.DeleteWordForward,
		e.LineEnd, e.LineNext, e.LinePrevious, e.LineStart, e.WordBackward, e.WordForward, e.InputBegin, e.InputEnd}
	for _, g := range global {
		for _, gk := range g.Keys() {
			for _, ed := range editing {
				for _, ek := range ed.Keys() {
					if gk == ek && ed.Enabled() {
						t.Errorf("%q is global (%s) and an editing key (%s)", gk, g.Help().Desc, ed.Help().Desc)
					}
				}
			}
		}
	}
	for _, s := range []string{"enter", "alt+enter", "ctrl+j", "shift+enter"} {
		for _, ed := range editing {
			for _, ek := range ed.Keys() {
				if ek == s {
					t.Errorf("%q is taken by %s", s, ed.Help().Desc)
				}
			}
		}
	}
}
