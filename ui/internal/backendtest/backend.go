// Package backendtest is a recording session.Backend for the UI's tests and
// benchmarks: it remembers every call, answers from in-memory data, and
// serves history pages like the real store (by local ID, oldest first).
package backendtest

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/candor-xmpp/candor/session"
)

// Call is one recorded method call.
type Call struct {
	Method string
	Args   []any
}

// Backend implements session.Backend in memory.
type Backend struct {
	mu      sync.Mutex
	calls   []Call
	events  chan session.Event
	account session.AccountInfo
	history map[string][]session.Message
	nextID  int64
	plan    *session.FilePlan // files.go

	// Errors to return, by method name ("Login", "Send", ...).
	Errs map[string]error
	// Panics names methods that panic, as a buggy backend might.
	Panics map[string]bool
	// Now stamps sent messages; a fixed time when nil.
	Now    func() time.Time
	Roster []session.Contact
	Chats  []session.Conversation
	// OMEMO answers the EndToEnd methods (omemo.go).
	OMEMO OMEMOData
	// Requests are the pending subscription requests.
	Requests []session.SubscriptionRequested

	scan    ScanData                     // scan.go
	archive map[string][]session.Message // older.go
	unread  map[string]int               // by peer, for Receive
}

var _ session.Backend = (*Backend)(nil)

// New returns an empty backend.
func New() *Backend {
	return &Backend{
		events:  make(chan session.Event, 64),
		history: map[string][]session.Message{},
		Errs:    map[string]error{},
	}
}

func (b *Backend) record(method string, args ...any) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.calls = append(b.calls, Call{Method: method, Args: args})
	if b.Panics[method] {
		panic(method + " exploded")
	}
	return b.Errs[method]
}

// Calls returns the recorded calls of one method, or all with "".
func (b *Backend) Calls(method string) []Call {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []Call
	for _, c := range b.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Reset forgets the recorded calls.
func (b *Backend) Reset() {
	b.mu.Lock()
	b.calls = nil
	b.mu.Unlock()
}

// SetAccount sets what Account returns.
func (b *Backend) SetAccount(a session.AccountInfo) {
	b.mu.Lock()
	b.account = a
	b.mu.Unlock()
}

// Generate stores n messages with peer, alternating direction, one minute
// apart, and returns the last.
func (b *Backend) Generate(peer string, n int, start time.Time) session.Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	var last session.Message
	for i := range n {
		b.nextID++
		dir := session.Incoming
		state := session.Received
		if i%3 == 2 {
			dir, state = session.Outgoing, session.Delivered
		}
		last = session.Message{
			ID: b.nextID, Peer: peer, Direction: dir, State: state,
			Body: fmt.Sprintf("message %d: the quick brown fox jumps over the lazy dog %d times", i, i%17),
			Time: start.Add(time.Duration(i) * time.Minute),
		}
		b.history[peer] = append(b.history[peer], last)
	}
	return last
}

// Store adds a message as the store would (for MessageAdded tests) and
// returns it with its ID.
func (b *Backend) Store(msg session.Message) session.Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.nextID++
	msg.ID = b.nextID
	b.history[msg.Peer] = append(b.history[msg.Peer], msg)
	return msg
}

// SetState changes a stored message's delivery state.
func (b *Backend) SetState(peer string, id int64, state session.DeliveryState) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i := range b.history[peer] {
		if b.history[peer][i].ID == id {
			b.history[peer][i].State = state
		}
	}
}

func (b *Backend) Events() <-chan session.Event { return b.events }

// Emit puts an event on the Events channel.
func (b *Backend) Emit(ev session.Event) { b.events <- ev }

// CloseEvents closes the Events channel.
func (b *Backend) CloseEvents() { close(b.events) }

func (b *Backend) Login(ctx context.Context, acct session.Account) error {
	if err := b.record("Login", acct); err != nil {
		return err
	}
	b.SetAccount(session.AccountInfo{JID: acct.JID, Resource: "test", State: session.Online})
	return nil
}

func (b *Backend) Account() session.AccountInfo {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.account
}

func (b *Backend) SaveAccount(acct session.Account, savePassword bool) error {
	return b.record("SaveAccount", acct, savePassword)
}

func (b *Backend) Close() error { return b.record("Close") }

func (b *Backend) Contacts() []session.Contact {
	b.record("Contacts")
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]session.Contact(nil), b.Roster...)
}

func (b *Backend) Conversations(ctx context.Context) ([]session.Conversation, error) {
	if err := b.record("Conversations"); err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]session.Conversation(nil), b.Chats...), nil
}

// History serves pages by local ID, like the store: up to limit messages
// older than before (0: the newest), oldest first.
func (b *Backend) History(ctx context.Context, peer string, before int64, limit int) ([]session.Message, error) {
	if err := b.record("History", peer, before, limit); err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	all := b.history[peer]
	end := len(all)
	if before != 0 {
		end = sort.Search(len(all), func(i int) bool { return all[i].ID >= before })
	}
	start := max(0, end-limit)
	return append([]session.Message(nil), all[start:end]...), nil
}

func (b *Backend) MarkRead(ctx context.Context, peer string) error {
	if err := b.record("MarkRead", peer); err != nil {
		return err
	}
	b.mu.Lock()
	delete(b.unread, peer)
	b.mu.Unlock()
	return nil
}

func (b *Backend) Send(ctx context.Context, req session.SendRequest) (session.Message, error) {
	if err := b.record("Send", req); err != nil {
		return session.Message{}, err
	}
	now := time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)
	if b.Now != nil {
		now = b.Now()
	}
	return b.Store(session.Message{
		Peer: req.To, Direction: session.Outgoing, Body: req.Body, Time: now, State: session.Queued,
	}), nil
}

func (b *Backend) SendChatState(ctx context.Context, peer string, state session.ChatState) error {
	return b.record("SendChatState", peer, state)
}

func (b *Backend) AddContact(ctx context.Context, jid, name string) error {
	return b.record("AddContact", jid, name)
}

func (b *Backend) RemoveContact(ctx context.Context, jid string) error {
	return b.record("RemoveContact", jid)
}

func (b *Backend) AnswerSubscription(ctx context.Context, jid string, approve bool) error {
	return b.record("AnswerSubscription", jid, approve)
}

func (b *Backend) SetPresence(ctx context.Context, p session.Presence) error {
	return b.record("SetPresence", p)
}
