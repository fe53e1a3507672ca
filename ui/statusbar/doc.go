// Package statusbar draws the bottom two rows: the notice line (one-line
// messages and errors, which fade after a while) and the status bar (the
// account, the connection state with the reconnect countdown, and the
// places for the encryption state and the scan mode).
package statusbar
