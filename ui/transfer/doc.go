// Package transfer shows file transfers: a bar of one line per upload or
// download under way (bytes, rate, time left; esc or /cancel stops the
// newest), the outcome of each for a few seconds after, and the dialog that
// confirms a file before it is sent, with what the upload server will
// learn.
package transfer
