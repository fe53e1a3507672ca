package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestOutboxOrderAndDone(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	var ids []int64
	for i := range 5 {
		// Peers alternate: the outbox is one queue across conversations.
		peer := []string{"bob@example.org", "carol@example.org"}[i%2]
		m := msg(peer, DirOutgoing, fmt.Sprint("q", i), t0.Add(time.Duration(i)*time.Second))
		m.State, m.OriginID, m.MsgID = 1, fmt.Sprint("O", i), fmt.Sprint("O", i)
		if err := s.Enqueue(ctx, m); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	if err := s.Enqueue(ctx, msg("bob@example.org", DirIncoming, "x", t0)); err == nil {
		t.Fatal("enqueued an incoming message")
	}
	q, err := s.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != 5 {
		t.Fatalf("outbox has %d entries", len(q))
	}
	for i, e := range q {
		if e.ID != ids[i] || e.Body != fmt.Sprint("q", i) || e.Written || e.Attempts != 0 {
			t.Fatalf("entry %d = %+v", i, e)
		}
	}
	if err := s.MarkWritten(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	next, ok, err := s.OutboxNext(ctx)
	if err != nil || !ok || next.ID != ids[0] || !next.Written || next.Attempts != 1 {
		t.Fatalf("next = %+v, %v, %v", next, ok, err)
	}
	done, err := s.OutboxDone(ctx, ids[0], 2, "")
	if err != nil || !done {
		t.Fatalf("OutboxDone = %v, %v", done, err)
	}
	if done, _ := s.OutboxDone(ctx, ids[0], 4, "late"); done {
		t.Fatal("second OutboxDone found the entry again")
	}
	m, _ := s.Message(ctx, ids[0])
	if m.State != 2 || m.Err != "" {
		t.Fatalf("done message = %+v", m)
	}
	if in, _ := s.InOutbox(ctx, ids[0]); in {
		t.Fatal("done message still in the outbox")
	}
	next, _, _ = s.OutboxNext(ctx)
	if next.ID != ids[1] {
		t.Fatalf("next after done = %d, want %d", next.ID, ids[1])
	}

	// The queue survives reopening the file.
	path := s.Path()
	s.Close()
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	q, _ = s2.Outbox(ctx)
	if len(q) != 4 || q[0].ID != ids[1] {
		t.Fatalf("outbox after reopen = %d entries, first %d", len(q), q[0].ID)
	}
}
