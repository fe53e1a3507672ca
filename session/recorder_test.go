package session

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder keeps every event a Client emits, for tests to wait on.
type recorder struct {
	mu     sync.Mutex
	events []Event
	more   chan struct{}
	closed bool
}

func record(c *Client) *recorder {
	r := &recorder{more: make(chan struct{})}
	go func() {
		for ev := range c.Events() {
			r.mu.Lock()
			r.events = append(r.events, ev)
			close(r.more)
			r.more = make(chan struct{})
			r.mu.Unlock()
		}
		r.mu.Lock()
		r.closed = true
		close(r.more)
		r.more = make(chan struct{})
		r.mu.Unlock()
	}()
	return r
}

// waitTimeout is generous: events come from a real server on a shared
// machine.
const waitTimeout = 20 * time.Second

// wait returns the first event (since the start) that matches.
func (r *recorder) wait(t testing.TB, what string, match func(Event) bool) Event {
	t.Helper()
	return r.waitFrom(t, 0, what, match)
}

// mark is the number of events so far, for waitFrom.
func (r *recorder) mark() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

// waitFrom returns the first event after the first from events that
// matches.
func (r *recorder) waitFrom(t testing.TB, from int, what string, match func(Event) bool) Event {
	t.Helper()
	deadline := time.After(waitTimeout)
	seen := from
	for {
		r.mu.Lock()
		evs, more, closed := r.events, r.more, r.closed
		r.mu.Unlock()
		for ; seen < len(evs); seen++ {
			if match(evs[seen]) {
				return evs[seen]
			}
		}
		if closed {
			t.Fatalf("events closed while waiting for %s", what)
		}
		select {
		case <-more:
		case <-deadline:
			t.Fatalf("no %s within %v; events:\n%s", what, waitTimeout, r.dump())
		}
	}
}

// all returns the events so far that match.
func (r *recorder) all(match func(Event) bool) []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Event
	for _, ev := range r.events {
		if match(ev) {
			out = append(out, ev)
		}
	}
	return out
}

// dump lists the non-console events, for failure messages.
func (r *recorder) dump() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for _, ev := range r.events {
		if _, ok := ev.(StanzaLogged); ok {
			continue
		}
		fmt.Fprintf(&b, "  %T %+v\n", ev, ev)
	}
	return b.String()
}

// console returns the console lines so far, one string.
func (r *recorder) console() string {
	var b strings.Builder
	for _, ev := range r.all(func(ev Event) bool { _, ok := ev.(StanzaLogged); return ok }) {
		s := ev.(StanzaLogged)
		dir := "<-"
		if s.Outgoing {
			dir = "->"
		}
		b.WriteString(dir + " " + s.XML + "\n")
	}
	return b.String()
}

// waitNth returns the n-th event (1 for the first) that matches.
func (r *recorder) waitNth(t testing.TB, n int, match func(Event) bool) Event {
	t.Helper()
	seen := 0
	return r.wait(t, fmt.Sprintf("match number %d", n), func(ev Event) bool {
		if match(ev) {
			seen++
		}
		return seen == n
	})
}
