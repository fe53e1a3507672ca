package session

import (
	"context"
	"time"
)

// Backend is the one interface through which the UI and the headless
// commands use the client core. JIDs cross it as strings (bare unless the
// field says otherwise), so that callers never need mellium.
//
// Methods may block on the network or the store; the UI calls them from
// tea.Cmds, never from Update.
type Backend interface {
	EndToEnd // OMEMO: chat security, devices, trust, the inspector (api_omemo.go)

	// Events delivers, in order, everything that changes what the user sees.
	// The channel is closed when the backend is closed.
	Events() <-chan Event

	// Login connects the account and, once the first connection succeeds,
	// keeps it connected (reconnecting with backoff) until Close or Logout.
	// It returns the first connection's error, such as a wrong password, as
	// a one-line error; nothing keeps running in that case. On a client that
	// is logged in or logging in it fails with "already logged in" and
	// changes nothing: Logout first to log in again or to another account.
	Login(ctx context.Context, acct Account) error
	// Account is the logged-in account ("" JID before Login succeeds).
	Account() AccountInfo
	// SaveAccount stores the account in the config file, with the password
	// only when savePassword is set.
	SaveAccount(acct Account, savePassword bool) error
	// Close disconnects and releases the store.
	Close() error

	// Contacts is the roster as last known (from the cache when offline).
	Contacts() []Contact
	// Conversations lists the conversations, most recent first, with their
	// unread counts.
	Conversations(ctx context.Context) ([]Conversation, error)
	// History returns up to limit messages with peer whose local ID is
	// below before (0 for the newest), oldest first. Pages go by local ID,
	// not by time: new messages get growing IDs in the order they are
	// stored, and older history (LoadOlder) gets IDs below every stored
	// one, negative ones, so the next older page is History(peer,
	// page[0].ID, limit) and a message never moves between pages.
	History(ctx context.Context, peer string, before int64, limit int) ([]Message, error)
	// LoadOlder fetches one page of messages with peer from before the
	// oldest one stored, from the server's archive (XEP-0313). They are
	// stored with their original times below the conversation's messages
	// (a message already stored is not stored again) and announced as
	// MessageAdded; then History returns them. Complete says the archive
	// has nothing older: from then on LoadOlder returns at once, without
	// asking the server. A call while one for the same peer runs waits for
	// it and returns its result. It never moves the position the login
	// catch-up resumes from. Errors are one line: not connected, no
	// archive on the server, no answer in time.
	LoadOlder(ctx context.Context, peer string) (LoadOlderResult, error)
	// MarkRead clears the unread count of a conversation (announced by
	// UnreadChanged, as every change of the stored count is).
	MarkRead(ctx context.Context, peer string) error

	// Send stores the message in the outbox and returns it at once, in state
	// Queued; it is sent as soon as the account is online, exactly once, in
	// order, after the scan stage (scanhook, when on). State changes arrive
	// as MessageUpdated events. The message stanza carries <active/>
	// (XEP-0085): sending says we are active in the chat, so no separate
	// SendChatState(StateActive) is needed.
	Send(ctx context.Context, req SendRequest) (Message, error)
	// SendChatState tells peer that we are composing, paused, active, ...
	SendChatState(ctx context.Context, peer string, state ChatState) error

	AddContact(ctx context.Context, jid, name string) error
	RemoveContact(ctx context.Context, jid string) error
	// AnswerSubscription approves or denies jid's request to see our presence.
	AnswerSubscription(ctx context.Context, jid string, approve bool) error
	// SetPresence sets our own availability and status text.
	SetPresence(ctx context.Context, p Presence) error

	Control  // Logout, CloseConversation, PendingSubscriptions (api_control.go)
	Scanning // scanhook, the scanning SIMULATION (api_scan.go)
	Files    // sharing files: api_files.go
}

// Account is what is needed to log in.
type Account struct {
	JID      string // bare JID, user@domain
	Password string
	// Server overrides SRV lookup: "host:port".
	Server string
	// TLS is "starttls" (default), "direct" (XEP-0368) or "plain" (only to
	// a loopback server, and only when the config asks for it).
	TLS TLSMode
	// CAFile names an extra PEM file of trusted CAs (self-signed servers).
	CAFile string
	// PasswordCommand, when set, is run to obtain the password.
	PasswordCommand string
}

// TLSMode says how the connection is secured.
type TLSMode string

const (
	TLSStartTLS TLSMode = "starttls"
	TLSDirect   TLSMode = "direct"
	TLSPlain    TLSMode = "plain"
)

// AccountInfo describes the logged-in account.
type AccountInfo struct {
	JID      string // bare
	Resource string // the bound resource, once online
	State    ConnState
}

// ConnState is the state of the connection.
type ConnState int

const (
	Offline      ConnState = iota // never connected, or closed
	Connecting                    // a connection attempt is under way
	Online                        // bound, roster fetched, presence sent
	Reconnecting                  // lost; waiting for the next try
	GaveUp                        // gave up (e.g. wrong password); no retry
)

func (s ConnState) String() string {
	switch s {
	case Offline:
		return "offline"
	case Connecting:
		return "connecting"
	case Online:
		return "online"
	case Reconnecting:
		return "reconnecting"
	case GaveUp:
		return "gave up"
	}
	return "unknown"
}

// Direction says who wrote a message.
type Direction int

const (
	Incoming Direction = iota
	Outgoing
)

// DeliveryState is where a message is on its way.
type DeliveryState int

const (
	Received  DeliveryState = iota // incoming
	Queued                         // outgoing, in the outbox
	Sent                           // handed to the server
	Delivered                      // the recipient's client confirmed it (XEP-0184)
	Failed                         // not sent; Message.Err says why
)

func (s DeliveryState) String() string {
	switch s {
	case Received:
		return "received"
	case Queued:
		return "queued"
	case Sent:
		return "sent"
	case Delivered:
		return "delivered"
	case Failed:
		return "failed"
	}
	return "unknown"
}

// Message is one chat message as stored.
type Message struct {
	ID        int64  // local id, increasing in arrival order
	Peer      string // bare JID of the other side
	Resource  string // the full JID's resource of the sending client, if known
	Direction Direction
	Body      string
	Time      time.Time // sent time (from the delay stamp when there is one)
	State     DeliveryState
	Err       string // one-line reason when State is Failed
	OriginID  string // XEP-0359 origin-id
	StanzaID  string // XEP-0359 stanza-id assigned by our server
	// Source says how the message reached us: live, carbon or archive.
	Source Source
	// Encryption says how the message was protected on the wire.
	Encryption Encryption
	// File is set when the message shares a file (api_files.go); the
	// body is then the link, which the UI must not show.
	File *FileInfo
}

// Source is how a message reached this client.
type Source int

const (
	Live    Source = iota // sent or received directly
	Carbon                // a copy of a message another client of ours sent or received
	Archive               // fetched from the server's archive (MAM)
)

// Encryption is the protection of one message on the wire.
type Encryption struct {
	Scheme Scheme
	// DeviceID is the sender's OMEMO device, for incoming encrypted messages.
	DeviceID uint32
	// Trusted is false when the sending device is not (yet) trusted.
	Trusted bool
}

// Scheme names an end-to-end encryption scheme.
type Scheme string

const (
	Plaintext Scheme = ""
	OMEMO03   Scheme = "omemo:0.3" // eu.siacs.conversations.axolotl
	OMEMO2    Scheme = "omemo:2"   // urn:xmpp:omemo:2
)

// SendRequest is a message the user wants to send.
type SendRequest struct {
	To   string // bare JID
	Body string
	// Plaintext: the user confirmed sending this message unencrypted.
	Plaintext bool
}

// Contact is one roster entry with its presence.
type Contact struct {
	JID          string
	Name         string
	Groups       []string
	Subscription string // none, to, from, both
	// Pending is set while our subscription request awaits an answer.
	Pending  bool
	Presence Presence // the most available resource's
}

// Presence is an availability and a status text.
type Presence struct {
	Available bool
	Show      Show
	Status    string
}

// Show refines an available presence (RFC 6121 section 4.7.2.1).
type Show string

const (
	ShowOnline Show = ""
	ShowChat   Show = "chat"
	ShowAway   Show = "away"
	ShowXA     Show = "xa"
	ShowDND    Show = "dnd"
)

// Conversation is a one-to-one chat as listed.
type Conversation struct {
	Peer     string
	Last     time.Time
	Unread   int
	LastBody string
}

// ChatState is a XEP-0085 chat state.
type ChatState string

const (
	StateActive    ChatState = "active"
	StateComposing ChatState = "composing"
	StatePaused    ChatState = "paused"
	StateInactive  ChatState = "inactive"
	StateGone      ChatState = "gone"
)
