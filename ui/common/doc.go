// Package common is what every UI component shares: the screen size, the
// theme, the key map, the clock and the timer, plus small text helpers that
// keep rendered lines inside their width and untrusted text harmless.
package common
