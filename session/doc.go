// Package session is the client core: connection and reconnect, roster,
// presence, messages, carbons, archive catch-up, the outbox, and the send and
// receive pipelines. It turns everything the UI shows into Events and offers
// the UI and the headless commands one interface, Backend.
//
// It is the only package that speaks XMPP (through mellium.im/xmpp).
package session
