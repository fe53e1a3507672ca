package keys

import (
	"strconv"

	"charm.land/bubbles/v2/key"
)

// KeyMap is every binding of the program.
type KeyMap struct {
	// Global
	Quit          key.Binding
	Help          key.Binding
	NextFocus     key.Binding
	PrevFocus     key.Binding
	NextChat      key.Binding
	PrevChat      key.Binding
	GotoChat      [9]key.Binding
	ToggleConsole key.Binding
	Redraw        key.Binding
	Back          key.Binding

	// Compose
	Send     key.Binding
	Newline  key.Binding
	Complete key.Binding

	// Scrolling (conversation, console) and lists
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Bottom   key.Binding
	Open     key.Binding
	Type     key.Binding

	// Files, in the conversation pane
	Download key.Binding
	OpenFile key.Binding
}

// Default returns the bindings. newlineHelp names the newline key the
// terminal supports best; it changes when keyboard enhancements arrive.
func Default() *KeyMap {
	k := &KeyMap{
		Quit:          key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Help:          key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("?/f1", "keys (? with compose empty)")),
		NextFocus:     key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		PrevFocus:     key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
		NextChat:      key.NewBinding(key.WithKeys("ctrl+n"), key.WithHelp("ctrl+n", "next chat")),
		PrevChat:      key.NewBinding(key.WithKeys("ctrl+p"), key.WithHelp("ctrl+p", "previous chat")),
		ToggleConsole: key.NewBinding(key.WithKeys("f12"), key.WithHelp("f12", "XML console (/xml)")),
		Redraw:        key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", "redraw the screen")),
		Back:          key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to compose")),

		Send:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send, run /command")),
		Newline:  key.NewBinding(key.WithKeys("shift+enter", "alt+enter", "ctrl+j"), key.WithHelp("alt+enter/ctrl+j", "new line")),
		Complete: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete /command, JID")),

		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll back")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "scroll forward")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "jump to newest")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open chat")),
		Type:     key.NewBinding(key.WithKeys("i", "/"), key.WithHelp("i or /", "type")),

		Download: key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "download the newest file (conversation)")),
		OpenFile: key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open the newest file (conversation)")),
	}
	for i := range k.GotoChat {
		n := strconv.Itoa(i + 1)
		k.GotoChat[i] = key.NewBinding(key.WithKeys("alt+"+n), key.WithHelp("alt+"+n, "chat "+n))
	}
	k.GotoChat[0].SetHelp("alt+1…9", "chat 1…9")
	return k
}

// SetEnhanced updates the help of the newline key once the terminal has
// told us it reports shift+enter.
func (k *KeyMap) SetEnhanced(enhanced bool) {
	if enhanced {
		k.Newline.SetHelp("shift+enter", "new line (or alt+enter)")
	} else {
		k.Newline.SetHelp("alt+enter/ctrl+j", "new line")
	}
}

// Group is a titled set of bindings for the help overlay.
type Group struct {
	Title    string
	Bindings []key.Binding
}

// Groups lists the bindings as the help overlay shows them.
func (k *KeyMap) Groups() []Group {
	return []Group{
		{"Global", []key.Binding{k.Help, k.Quit, k.NextFocus, k.PrevFocus, k.NextChat, k.PrevChat, k.GotoChat[0], k.PageUp, k.PageDown, k.ToggleConsole, k.Redraw, k.Back}},
		{"Compose", []key.Binding{k.Send, k.Newline, k.Complete}},
		{"Lists and scrollback", []key.Binding{k.Up, k.Down, k.Bottom, k.Open, k.Type, k.Download, k.OpenFile}},
	}
}

// Hints are the few bindings worth a reminder where the focus is
// ("compose", "contacts", "conversation" or "console"), with short words.
func (k *KeyMap) Hints(area string) []key.Binding {
	hint := func(b key.Binding, keys, desc string) key.Binding {
		b.SetHelp(keys, desc)
		return b
	}
	help := hint(k.Help, "?", "keys")
	page := hint(k.PageUp, "pgup", "history")
	switch area {
	case "contacts":
		return []key.Binding{hint(k.Up, "↑↓", "move"), hint(k.Open, "enter", "open"), hint(k.Type, "/", "command"), hint(k.NextFocus, "tab", "next pane"), help}
	case "conversation":
		return []key.Binding{hint(k.Up, "↑↓", "scroll"), page, hint(k.Bottom, "end", "newest"), hint(k.Back, "esc", "compose"), help}
	case "console":
		return []key.Binding{hint(k.Up, "↑↓", "scroll"), page, hint(k.ToggleConsole, "f12", "close"), hint(k.Back, "esc", "compose")}
	}
	newline := "alt+enter"
	if k.Newline.Help().Key == "shift+enter" {
		newline = "shift+enter"
	}
	return []key.Binding{hint(k.Send, "enter", "send"), hint(k.Newline, newline, "new line"), hint(k.Complete, "tab", "complete/next"),
		page, hint(k.NextChat, "ctrl+n/p", "chats"), help}
}

// ShortHelp is the status bar's reminder (bubbles/help KeyMap).
func (k *KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Help} }

// FullHelp returns the groups' bindings (bubbles/help KeyMap).
func (k *KeyMap) FullHelp() [][]key.Binding {
	var out [][]key.Binding
	for _, g := range k.Groups() {
		out = append(out, g.Bindings)
	}
	return out
}
