package scanhook

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ConsentRequest asks the user to decide on scanning. It is published to
// the UI, which shows it as a dialog and answers with Asker.Resolve. The UI
// should ignore keys typed before CreatedAt plus a short grace period, so
// that a keystroke meant for the compose line cannot answer it.
type ConsentRequest struct {
	ID        string    `json:"id"`
	Account   string    `json:"account"`
	Mode      ModeName  `json:"mode"`
	ModeTitle string    `json:"mode_title"`
	CreatedAt time.Time `json:"created_at"`
	// Question states the choice plainly.
	Question string `json:"question"`
	// Covers names what consent is about ("images", "videos", "links").
	Covers []string `json:"covers"`
	// Trigger says which part of which message needs the decision.
	Trigger   string `json:"trigger"`
	MessageID string `json:"message_id,omitempty"`
	// Basis cites the text that makes consent a condition.
	Basis string `json:"basis"`
	// AcceptLabel and DeclineLabel spell out what each answer does.
	AcceptLabel  string `json:"accept_label"`
	DeclineLabel string `json:"decline_label"`
}

// Errors of the Asker.
var (
	// ErrNobodyToAsk means no UI listens for consent requests.
	ErrNobodyToAsk = errors.New("scanhook: no consent dialog is listening")
	// ErrUnknownRequest means the request was answered, withdrawn or never
	// existed.
	ErrUnknownRequest = errors.New("scanhook: consent request is no longer pending")
)

// Asker brokers consent requests between the pipeline and the UI, in the
// shape of crush's permission service (architecture.md section 1.3): Ask
// publishes a request and blocks until it is resolved or ctx ends; the
// first Resolve wins and is recorded in the store's audit log.
type Asker struct {
	store ConsentStore
	clock func() time.Time

	mu      sync.Mutex
	nextSub int
	subs    map[int]chan ConsentRequest
	pending map[string]*pendingAsk // by request ID
	byKey   map[string]string      // account+mode -> request ID
}

type pendingAsk struct {
	req      ConsentRequest
	key      string
	waiters  int
	done     chan struct{}
	decision ConsentState
}

// NewAsker returns a broker that records decisions in store. clock may be
// nil for time.Now.
func NewAsker(store ConsentStore, clock func() time.Time) *Asker {
	if clock == nil {
		clock = time.Now
	}
	return &Asker{store: store, clock: clock, subs: map[int]chan ConsentRequest{},
		pending: map[string]*pendingAsk{}, byKey: map[string]string{}}
}

// Subscribe returns a channel of new consent requests until ctx ends. A
// subscriber that falls 16 requests behind misses some: Pending lists them all.
func (a *Asker) Subscribe(ctx context.Context) <-chan ConsentRequest {
	ch := make(chan ConsentRequest, 16)
	a.mu.Lock()
	id := a.nextSub
	a.nextSub++
	a.subs[id] = ch
	a.mu.Unlock()
	go func() {
		<-ctx.Done()
		a.mu.Lock()
		delete(a.subs, id)
		a.mu.Unlock()
		close(ch)
	}()
	return ch
}

// Pending lists the requests awaiting an answer, oldest first.
func (a *Asker) Pending() []ConsentRequest {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]ConsentRequest, 0, len(a.pending))
	for _, p := range a.pending {
		out = append(out, p.req)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].CreatedAt.Before(out[j-1].CreatedAt); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// Ask publishes req (ID and CreatedAt are filled in) and waits for the
// answer. A second Ask for the same account and mode while one is pending
// waits for the same answer. It returns ErrNobodyToAsk when no UI listens.
func (a *Asker) Ask(ctx context.Context, req ConsentRequest) (ConsentState, ConsentRequest, error) {
	key := consentKey(req.Account, req.Mode)
	a.mu.Lock()
	p, joined := a.pending[a.byKey[key]]
	if !joined {
		if len(a.subs) == 0 {
			a.mu.Unlock()
			return ConsentUndecided, req, ErrNobodyToAsk
		}
		req.ID = newRequestID()
		req.CreatedAt = a.clock()
		p = &pendingAsk{req: req, key: key, done: make(chan struct{})}
		a.pending[req.ID] = p
		a.byKey[key] = req.ID
		for _, ch := range a.subs {
			select {
			case ch <- req:
			default: // the subscriber is behind; Pending still has it
			}
		}
	}
	p.waiters++
	a.mu.Unlock()

	select {
	case <-p.done:
		return p.decision, p.req, nil
	case <-ctx.Done():
		a.mu.Lock()
		p.waiters--
		if p.waiters == 0 && a.pending[p.req.ID] == p {
			delete(a.pending, p.req.ID)
			delete(a.byKey, p.key)
		}
		a.mu.Unlock()
		return ConsentUndecided, p.req, ctx.Err()
	}
}

// Resolve answers a pending request: the first answer wins, is recorded
// in the audit log, and wakes every waiting message. Later answers get
// ErrUnknownRequest.
func (a *Asker) Resolve(ctx context.Context, id string, accept bool) error {
	a.mu.Lock()
	p, ok := a.pending[id]
	if ok {
		// Taken out at once so that a concurrent Resolve cannot also win.
		delete(a.pending, id)
		delete(a.byKey, p.key)
	}
	a.mu.Unlock()
	if !ok {
		return fmt.Errorf("consent request %q: %w", id, ErrUnknownRequest)
	}
	decision := ConsentDeclined
	if accept {
		decision = ConsentAccepted
	}
	err := a.store.RecordConsent(ctx, ConsentEvent{
		At: a.clock(), Account: p.req.Account, Mode: p.req.Mode, Decision: decision,
		Covers: p.req.Covers, Via: ViaDialog, RequestID: p.req.ID, MessageID: p.req.MessageID,
		Question: p.req.Question,
	})
	if err != nil {
		// Not recorded, so not decided: put the request back for another try.
		a.mu.Lock()
		a.pending[id] = p
		a.byKey[p.key] = id
		a.mu.Unlock()
		return fmt.Errorf("consent request %q: recording the decision: %w", id, err)
	}
	p.decision = decision
	close(p.done)
	return nil
}

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return "consent-" + hex.EncodeToString(b[:])
}
