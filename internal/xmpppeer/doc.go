// Package xmpppeer runs an XMPP test peer that is not Candor: a slixmpp
// client (Debian's python3-slixmpp) in a Python process, driven over stdin
// and stdout with JSON lines (see peer.py). Tests use it to check that
// Candor interoperates with another implementation: messages both ways,
// receipts, chat states, presence and subscriptions.
package xmpppeer
