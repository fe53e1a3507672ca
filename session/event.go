package session

import "time"

// Event is something the UI should show. The set is closed: only this
// package defines events.
type Event interface{ isEvent() }

// ConnectionChanged reports a new connection state. Err is a one-line reason
// when the state is Reconnecting or GaveUp; NextRetry is when the next
// attempt is due while Reconnecting.
type ConnectionChanged struct {
	State     ConnState
	Err       string
	NextRetry time.Time
	Attempt   int
}

// MessageAdded is a message new to the store: received, or queued by us.
type MessageAdded struct{ Message Message }

// MessageUpdated is a changed delivery state of a stored message.
type MessageUpdated struct {
	ID    int64
	Peer  string
	State DeliveryState
	Err   string
}

// RosterChanged carries the whole roster after any change.
type RosterChanged struct{ Contacts []Contact }

// PresenceChanged is a contact's new presence. Presence is the contact's
// as shown (its most available resource's), Resource the resource that
// changed. When the last resource goes offline, Presence is the zero value
// (Available false) and Resource names that last resource. When our
// connection goes down, and after a contact's "unsubscribed", one event
// with only JID set comes for every contact concerned: we no longer know
// their presence.
type PresenceChanged struct {
	JID      string // bare
	Resource string
	Presence Presence
}

// SubscriptionRequested is someone asking to see our presence.
type SubscriptionRequested struct {
	JID     string
	Message string
}

// ChatStateChanged is a contact typing, pausing, leaving, ...
type ChatStateChanged struct {
	Peer  string
	State ChatState
}

// StanzaLogged is one top-level element as it crossed the wire, for the XML
// console.
type StanzaLogged struct {
	Time     time.Time
	Outgoing bool
	XML      string
}

// ArchiveSynced reports the end of the archive catch-up that follows each
// login: Fetched messages were new to the store. Err is a one-line reason
// when the catch-up failed or stopped early (what it fetched is kept).
type ArchiveSynced struct {
	Fetched int
	Err     string
}

// Notice is a one-line message for the status area (errors included).
type Notice struct {
	Level NoticeLevel
	Text  string
}

// NoticeLevel grades a Notice.
type NoticeLevel int

const (
	Info NoticeLevel = iota
	Warning
	Error
)

func (ConnectionChanged) isEvent()     {}
func (MessageAdded) isEvent()          {}
func (MessageUpdated) isEvent()        {}
func (RosterChanged) isEvent()         {}
func (PresenceChanged) isEvent()       {}
func (SubscriptionRequested) isEvent() {}
func (ChatStateChanged) isEvent()      {}
func (StanzaLogged) isEvent()          {}
func (Notice) isEvent()                {}
func (ArchiveSynced) isEvent()         {}
