package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// Older history goes below every stored message, page after page, each
// page oldest first, and History pages through all of it in order.
func TestOlderHistorySortsBeforeStoredMessages(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	const peer = "bob@example.org"
	insert := func(m *Message) {
		t.Helper()
		if err := s.InsertMessage(ctx, m, false); err != nil {
			t.Fatal(err)
		}
	}
	for i := 20; i < 30; i++ {
		insert(msg(peer, 0, fmt.Sprint("m", i), t0.Add(time.Duration(i)*time.Second)))
		insert(msg("carol@example.org", 0, "other", t0))
	}
	oldest, ok, err := s.OldestMessage(ctx, peer)
	if err != nil || !ok || oldest.Body != "m20" {
		t.Fatalf("oldest = %+v, %v, %v", oldest, ok, err)
	}
	// Three pages back in time, each in a block of 10 reserved ids, not
	// all of them used.
	var floor int64
	for _, page := range [][2]int{{11, 20}, {1, 11}, {0, 1}} {
		first, err := s.ReserveOlderIDs(ctx, 10, floor)
		if err != nil {
			t.Fatal(err)
		}
		if first >= 0 || first+10 > 0 {
			t.Fatalf("reserved block [%d, %d) is not below 0", first, first+10)
		}
		floor = first
		for i := page[0]; i < page[1]; i++ {
			m := msg(peer, 0, fmt.Sprint("m", i), t0.Add(time.Duration(i)*time.Second))
			m.ID = first + int64(i-page[0])
			insert(m)
		}
	}
	// New messages still go to the end.
	live := msg(peer, 0, "m30", t0.Add(30*time.Second))
	insert(live)
	if live.ID <= 0 {
		t.Fatalf("a new message got id %d after older history", live.ID)
	}
	var got []string
	for before := int64(0); ; {
		page, err := s.History(ctx, peer, before, 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		got = append(bodies(page), got...)
		before = page[0].ID
	}
	var want []string
	for i := range 31 {
		want = append(want, fmt.Sprint("m", i))
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("history %q\nwant %q", got, want)
	}
	// Older history never becomes the conversation's newest message.
	cs, err := s.Conversations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Peer == peer && c.LastBody != "m30" {
			t.Fatalf("newest message of %s is %q", peer, c.LastBody)
		}
	}
}

// A store that holds only older history still gives new messages positive
// ids above it.
func TestNewIDsAfterOnlyOlderHistory(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	first, err := s.ReserveOlderIDs(ctx, 5, 0)
	if err != nil || first != -5 {
		t.Fatalf("first block starts at %d (%v), want -5", first, err)
	}
	for i := range 5 {
		m := msg("bob@example.org", 0, fmt.Sprint("old", i), t0)
		m.ID = first + int64(i)
		if err := s.InsertMessage(ctx, m, false); err != nil {
			t.Fatal(err)
		}
	}
	m := msg("bob@example.org", 0, "new", t0)
	if err := s.InsertMessage(ctx, m, false); err != nil {
		t.Fatal(err)
	}
	if m.ID != 1 {
		t.Fatalf("new message id %d, want 1", m.ID)
	}
	if next, _ := s.ReserveOlderIDs(ctx, 5, first); next != -10 {
		t.Fatalf("next block starts at %d, want -10", next)
	}
}

func TestArchiveStartReached(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if ok, err := s.ArchiveStartReached(ctx, "bob@example.org"); ok || err != nil {
		t.Fatalf("reached before recording: %v, %v", ok, err)
	}
	for range 2 { // recording twice is harmless
		if err := s.SetArchiveStartReached(ctx, "bob@example.org", t0); err != nil {
			t.Fatal(err)
		}
	}
	if ok, err := s.ArchiveStartReached(ctx, "bob@example.org"); !ok || err != nil {
		t.Fatalf("not reached after recording: %v, %v", ok, err)
	}
	if ok, _ := s.ArchiveStartReached(ctx, "carol@example.org"); ok {
		t.Fatal("another conversation is marked too")
	}
	if _, ok, err := s.OldestMessage(ctx, "carol@example.org"); ok || err != nil {
		t.Fatalf("oldest message of an empty conversation: %v, %v", ok, err)
	}
}
