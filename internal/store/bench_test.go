package store

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"
)

// BenchmarkInsertMessage stores one message per operation (each its own
// transaction, as the receive pipeline does).
func BenchmarkInsertMessage(b *testing.B) {
	ctx := context.Background()
	s := openTest(b)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m := msg("bob@example.org", i%2, "hello there, this is a message of ordinary length", t0)
		m.StanzaID = fmt.Sprint("S", i)
		if err := s.InsertMessage(ctx, m, true); err != nil {
			b.Fatal(err)
		}
	}
}

const bigConversation = 100_000

// fill stores n messages with one peer (plus some noise with another) in one
// transaction.
func fill(b *testing.B, s *Store, n int) {
	ctx := context.Background()
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		for i := range n {
			m := msg("bob@example.org", i%2, fmt.Sprint("message number ", i), t0.Add(time.Duration(i)*time.Second))
			m.StanzaID = fmt.Sprint("S", i)
			m.OriginID = fmt.Sprint("O", i)
			if err := insertMessage(ctx, tx, m, false); err != nil {
				return err
			}
			if i%10 == 0 {
				if err := insertMessage(ctx, tx, msg("carol@example.org", 0, "noise", t0), false); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkHistoryPages pages backwards through a 100k-message
// conversation, 50 messages a page; one operation is one page.
func BenchmarkHistoryPages(b *testing.B) {
	ctx := context.Background()
	s := openTest(b)
	fill(b, s, bigConversation)
	b.ResetTimer()
	before := int64(0)
	for b.Loop() {
		page, err := s.History(ctx, "bob@example.org", before, 50)
		if err != nil {
			b.Fatal(err)
		}
		if len(page) == 0 {
			before = 0 // wrap around to the newest page
			continue
		}
		before = page[0].ID
	}
}

// BenchmarkFindDuplicate is the dedupe lookup of every incoming message,
// against a 100k-message conversation.
func BenchmarkFindDuplicate(b *testing.B) {
	ctx := context.Background()
	s := openTest(b)
	fill(b, s, bigConversation)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_, ok, err := s.FindDuplicate(ctx, DedupeKey{Peer: "bob@example.org", Direction: i % 2, OriginID: fmt.Sprint("O", i%bigConversation)})
		if err != nil || !ok {
			b.Fatalf("lookup %d: %v, %v", i, ok, err)
		}
	}
}
