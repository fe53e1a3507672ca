package keys

import (
	"charm.land/bubbles/v2/key"
)

// KeyMap is every binding of the program. Every field is listed in Groups,
// which the key overlay shows; a test holds the two together.
type KeyMap struct {
	// Global
	Quit          key.Binding
	Help          key.Binding
	NextFocus     key.Binding
	PrevFocus     key.Binding
	NextChat      key.Binding
	PrevChat      key.Binding
	GotoChat      key.Binding // alt+1…9; the digit picks the chat
	ToggleConsole key.Binding
	Inspect       key.Binding
	Redraw        key.Binding
	Back          key.Binding
	Cancel        key.Binding // esc in an empty compose line while a transfer runs

	// Compose
	Send       key.Binding
	Newline    key.Binding
	Complete   key.Binding
	RecallPrev key.Binding
	RecallNext key.Binding

	// Scrolling (conversation, console) and lists
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
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
	b := func(keys []string, helpKey, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc))
	}
	k := &KeyMap{
		Quit: b([]string{"ctrl+c"}, "ctrl+c", "quit"),
		// ? is a character like any other in the compose line (a message
		// may be just "?"); it opens this list only where nothing is typed.
		Help:          b([]string{"f1", "?"}, "f1", "this list (? too, outside compose)"),
		NextFocus:     b([]string{"tab"}, "tab", "next pane"),
		PrevFocus:     b([]string{"shift+tab"}, "shift+tab", "previous pane"),
		NextChat:      b([]string{"ctrl+n"}, "ctrl+n", "next chat"),
		PrevChat:      b([]string{"ctrl+p"}, "ctrl+p", "previous chat"),
		GotoChat:      b([]string{"alt+1", "alt+2", "alt+3", "alt+4", "alt+5", "alt+6", "alt+7", "alt+8", "alt+9"}, "alt+1…9", "chat 1…9"),
		ToggleConsole: b([]string{"f12"}, "f12", "XML console (/xml)"),
		Inspect:       b([]string{"f8"}, "f8", "scan inspector (/inspect)"),
		Redraw:        b([]string{"ctrl+l"}, "ctrl+l", "redraw the screen"),
		Back:          b([]string{"esc"}, "esc", "back to compose"),
		Cancel:        b([]string{"esc"}, "esc", "stop a transfer (compose empty)"),

		Send:       b([]string{"enter"}, "enter", "send, run /command"),
		Newline:    b([]string{"shift+enter", "alt+enter", "ctrl+j"}, "alt+enter/ctrl+j", "new line"),
		Complete:   b([]string{"tab"}, "tab", "complete /command, JID"),
		RecallPrev: b([]string{"up"}, "↑", "earlier sent line (compose empty)"),
		RecallNext: b([]string{"down"}, "↓", "later sent line"),

		Up:       b([]string{"up", "k"}, "↑/k", "up"),
		Down:     b([]string{"down", "j"}, "↓/j", "down"),
		PageUp:   b([]string{"pgup"}, "pgup", "scroll back"),
		PageDown: b([]string{"pgdown"}, "pgdn", "scroll forward"),
		Top:      b([]string{"home"}, "home", "first contact"),
		Bottom:   b([]string{"end", "G"}, "end/G", "newest, last contact"),
		Open:     b([]string{"enter"}, "enter", "open chat; in a chat, reply"),
		Type:     b([]string{"i", "/"}, "i or /", "type"),

		Download: b([]string{"d"}, "d", "download the newest file (conversation)"),
		OpenFile: b([]string{"o"}, "o", "open the newest file (conversation)"),
	}
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

// Groups lists the bindings as the help overlay shows them: all of them.
func (k *KeyMap) Groups() []Group {
	return []Group{
		{"Global", []key.Binding{k.Help, k.Quit, k.NextFocus, k.PrevFocus, k.NextChat, k.PrevChat, k.GotoChat,
			k.PageUp, k.PageDown, k.ToggleConsole, k.Inspect, k.Redraw, k.Back, k.Cancel}},
		{"Compose", []key.Binding{k.Send, k.Newline, k.Complete, k.RecallPrev, k.RecallNext}},
		{"Lists and scrollback", []key.Binding{k.Up, k.Down, k.Top, k.Bottom, k.Open, k.Type, k.Download, k.OpenFile}},
	}
}

// Hints are the few bindings worth a reminder where the focus is
// ("compose", "contacts", "conversation" or "console"), with short words.
func (k *KeyMap) Hints(area string) []key.Binding {
	hint := func(b key.Binding, keys, desc string) key.Binding {
		b.SetHelp(keys, desc)
		return b
	}
	help := hint(k.Help, k.Help.Help().Key, "keys")
	page := hint(k.PageUp, "pgup", "history")
	switch area {
	case "contacts":
		return []key.Binding{hint(k.Up, "↑↓", "move"), hint(k.Open, "enter", "open"), hint(k.Type, "/", "command"), hint(k.NextFocus, "tab", "next pane"), help}
	case "conversation":
		return []key.Binding{hint(k.Up, "↑↓", "scroll"), page, hint(k.Bottom, "end", "newest"), hint(k.Back, "esc", "compose"), help}
	case "console":
		return []key.Binding{hint(k.Up, "↑↓", "scroll"), page, hint(k.ToggleConsole, "f12", "close"), hint(k.Back, "esc", "compose"), help}
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
