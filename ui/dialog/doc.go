// Package dialog is the overlay: modal boxes drawn over the screen on a
// lipgloss canvas, one on top of another, each taking the keyboard while it
// is on top. Dialogs that appear on their own (not at the user's request)
// open with a grace period during which keys are swallowed, so that keys
// typed just before the dialog appeared cannot answer it. The consent
// dialog of scanhook relies on that.
//
// The dialogs here: the key bindings (f1), a text box (/help), and login.
package dialog
