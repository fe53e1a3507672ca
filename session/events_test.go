package session

import (
	"fmt"
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
	// Every flood line is either delivered or counted in a note; the pump
	// may take a batch in the middle of the flood, so a note can come
	// before "kept" as well as before the next console line.
	delivered, reported, notes := 0, 0, 0
	count := func(ev Event) {
		t.Helper()
		switch ev := ev.(type) {
		case StanzaLogged:
			delivered++
		case Notice:
			var n int
			if _, err := fmt.Sscanf(ev.Text, "XML console: %d stanzas not shown", &n); err != nil || ev.Level != Warning {
				t.Fatalf("unexpected notice %+v", ev)
			}
			reported += n
			notes++
		default:
			t.Fatalf("unexpected event %T", ev)
		}
	}
	for {
		ev := next()
		if n, ok := ev.(Notice); ok && n.Text == "kept" {
			break
		}
		count(ev)
	}
	if delivered >= flood || delivered < maxConsoleBacklog {
		t.Fatalf("%d of %d console lines delivered", delivered, flood)
	}
	// The next console line comes after a note of what was still dropped.
	q.emitConsole(StanzaLogged{XML: "<after/>"})
	for {
		ev := next()
		if s, ok := ev.(StanzaLogged); ok && s.XML == "<after/>" {
			break
		}
		count(ev)
	}
	if notes == 0 || delivered+reported != flood {
		t.Fatalf("%d lines delivered and %d reported dropped in %d notes; %d were sent", delivered, reported, notes, flood)
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
