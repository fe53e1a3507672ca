package session

import (
	"fmt"
	"sync"
)

// eventQueue delivers events in order on a channel without ever blocking the
// producer (the stream's goroutines, the pipelines): events wait in a slice
// until the consumer takes them. Only console lines may be dropped, when the
// consumer falls far behind; everything else is kept.
type eventQueue struct {
	out chan Event

	mu      sync.Mutex
	items   []Event
	wake    chan struct{} // a token when items were added
	closed  bool
	dropped int // console lines dropped since the last report
	done    chan struct{}
}

// maxConsoleBacklog is how many undelivered events may wait before console
// lines are dropped.
const maxConsoleBacklog = 5000

func newEventQueue() *eventQueue {
	q := &eventQueue{out: make(chan Event), wake: make(chan struct{}, 1), done: make(chan struct{})}
	go q.pump()
	return q
}

func (q *eventQueue) emit(ev Event) {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return
	}
	q.items = append(q.items, ev)
	q.mu.Unlock()
	q.signal()
}

// emitConsole queues a console line unless the backlog is too long.
func (q *eventQueue) emitConsole(ev StanzaLogged) {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return
	}
	if len(q.items) >= maxConsoleBacklog {
		q.dropped++
		q.mu.Unlock()
		return
	}
	if q.dropped > 0 {
		q.items = append(q.items, Notice{Level: Warning, Text: fmt.Sprintf("XML console: %d stanzas not shown (the display fell behind)", q.dropped)})
		q.dropped = 0
	}
	q.items = append(q.items, ev)
	q.mu.Unlock()
	q.signal()
}

func (q *eventQueue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *eventQueue) pump() {
	defer close(q.out)
	for {
		q.mu.Lock()
		if q.closed {
			q.mu.Unlock()
			return
		}
		batch := q.items
		q.items = nil
		q.mu.Unlock()
		for _, ev := range batch {
			select {
			case q.out <- ev:
			case <-q.done:
				return
			}
		}
		if len(batch) == 0 {
			select {
			case <-q.wake:
			case <-q.done:
				return
			}
		}
	}
}

// close stops delivery and closes the channel; undelivered events are
// dropped.
func (q *eventQueue) close() {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return
	}
	q.closed = true
	q.items = nil
	q.mu.Unlock()
	close(q.done)
}
