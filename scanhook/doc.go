// Package scanhook simulates the client-side scanning proposed under the EU
// Child Sexual Abuse Regulation ("Chat Control"): legal modes, consent, the
// scan pipeline on plaintext before encryption, scanners, decisions and
// simulated reports written to a local sink.
//
// It is a simulation. It is off by default, it loads demo lists only, it
// never opens a network connection, and it never sees keys.
package scanhook
