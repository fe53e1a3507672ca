package session

import (
	"testing"
	"time"
)

func TestEventQueueKeepsOrderAndNeverBlocks(t *testing.T) {
	q := newEventQueue()
	defer q.close()
	// Nobody reads yet: emitting must not block.
	for i := range 20000 {
		q.emit(MessageUpdated{ID: int64(i)})
	}
	for i := range 20000 {
		select {
		case ev := <-q.out:
			if ev.(MessageUpdated).ID != int64(i) {
				t.Fatalf("event %d out of order: %+v", i, ev)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("event %d never came", i)
		}
	}
}

func TestEventQueueDropsOnlyConsoleLines(t *testing.T) {
	q := newEventQueue()
	defer q.close()
	// Nobody reads: console lines beyond the backlog are dropped, other
	// events are kept. (The pump may hold one batch in hand, so the exact
	// cut is not fixed.)
	const flood = maxConsoleBacklog * 3
	for range flood {
		q.emitConsole(StanzaLogged{XML: "<x/>"})
	}
	q.emit(Notice{Text: "kept"})
	next := func() Event {
		t.Helper()
		select {
		case ev := <-q.out:
			return ev
		case <-time.After(5 * time.Second):
			t.Fatal("stalled")
		}
		return nil
	}
	consoles := 0
	for {
		ev := next()
		if n, ok := ev.(Notice); ok && n.Text == "kept" {
			break
		}
		consoles++
	}
	if consoles >= flood || consoles < maxConsoleBacklog {
		t.Fatalf("%d of %d console lines delivered", consoles, flood)
	}
	// The next console line comes after a note of what was dropped.
	q.emitConsole(StanzaLogged{XML: "<after/>"})
	if n, ok := next().(Notice); !ok || n.Level != Warning {
		t.Fatalf("no note of the dropped lines: %+v", n)
	}
	if s, ok := next().(StanzaLogged); !ok || s.XML != "<after/>" {
		t.Fatalf("got %+v", s)
	}
}

func TestEventQueueCloseClosesChannel(t *testing.T) {
	q := newEventQueue()
	q.emit(Notice{})
	q.close()
	q.close()
	q.emit(Notice{}) // after close: ignored, no panic
	deadline := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-q.out:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("channel not closed")
		}
	}
}
