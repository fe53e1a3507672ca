package ui

import "github.com/candor-xmpp/candor/session"

// Options configure the UI. The zero value is a first run: no account, the
// login dialog opens, scanning is off, the theme follows the terminal.
type Options struct {
	// Account is the configured account, nil on a first run. When the
	// backend is not logged in yet and the account has a password (or a
	// password command), the UI logs in by itself; otherwise it opens the
	// login dialog, prefilled.
	Account *session.Account
	// ScanMode is the label of the scan mode for the status bar ("off").
	ScanMode string
	// Theme forces "dark" or "light"; "" follows the terminal's background.
	Theme string
	// Preview draws images "kitty", "blocks" or "off"; "" or "auto" picks
	// from the terminal's environment.
	Preview string
}
