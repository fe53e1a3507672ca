// Package ui is the Bubble Tea program: a root model that routes messages and
// small components that return intents. It talks to the rest of Candor only
// through session.Backend and the session Event types.
//
// Entry points for the cmd layer: New builds the model, Pump feeds the
// backend's events into a running program (one goroutine, nothing dropped),
// and Run does both and runs the program.
//
// The root (this package) owns focus, layout and the overlay. Its Update is a
// routing table: global keys first, then async results to their owner (a
// history page to its conversation, a login result to the login dialog),
// the rest to the focused component. Components never call the backend:
// they return intents (compose.SendRequested, conversation.LoadRequested,
// conversation.OlderRequested,
// dialog.LoginSubmitted, ...) that the root turns into tea.Cmds, whose
// results come back as messages. Backend calls run with a timeout and a
// recover, so an error or a panic in the backend becomes a one-line notice.
//
// Subpackages:
//
//	common        what components share: size, theme, keys, clock, text helpers
//	theme, keys   colours and styles for light and dark; key bindings
//	contacts      the sidebar: chats, requests, roster with presence
//	conversation  one chat, with a bounded window over lazily loaded history
//	compose       the input line, drafts, completion, chat states
//	commands      slash command parsing, completion and help texts
//	statusbar     the notice line and the status bar
//	console       the XML console
//	dialog        the overlay (with its grace period) and the dialogs
//	transfer      the file transfers bar and the send confirmation
//	preview       images in the terminal: kitty placeholders or half-blocks
//	consent       scanhook's consent dialog (opens with the grace period)
//	inspect       the message inspector: three views of one message (panels),
//	              side by side when the screen is wide enough, else tabs
//	scanview      scanhook's banner, badges, inspector tab, base-rate
//	              calculator and /scan and /consent texts (SIMULATION)
//	wireview      the inspector's "you" and "server" tabs: what the server sees
//	security      OMEMO: the status bar label, fingerprint (QR), devices and
//	              trust, the question before sending unencrypted
//	qrcode        QR codes drawn with half blocks (the verification URI)
//
// End-to-end encryption (omemo.go): the status bar shows the open chat's
// protection, each message its version, sending device and trust.
//
// While scanhook is on, the top row of the screen is its SIMULATION banner,
// drawn above everything, dialogs included (scan.go).
package ui
