package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

func openTest(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "candor.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var t0 = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func msg(peer string, dir int, body string, at time.Time) *Message {
	return &Message{Peer: peer, Direction: dir, Body: body, Time: at}
}

func TestHistoryPagesOldestFirst(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	var ids []int64
	for i := range 25 {
		m := msg("bob@example.org", i%2, fmt.Sprint("m", i), t0.Add(time.Duration(i)*time.Second))
		if err := s.InsertMessage(ctx, m, false); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
		// Another conversation interleaved must not show up.
		if err := s.InsertMessage(ctx, msg("carol@example.org", 0, "other", t0), false); err != nil {
			t.Fatal(err)
		}
	}
	page, err := s.History(ctx, "bob@example.org", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 10 || page[0].Body != "m15" || page[9].Body != "m24" {
		t.Fatalf("newest page = %v", bodies(page))
	}
	var all []Message
	before := int64(0)
	for {
		page, err := s.History(ctx, "bob@example.org", before, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		all = append(page, all...)
		before = page[0].ID
	}
	if len(all) != 25 {
		t.Fatalf("paged %d messages, want 25", len(all))
	}
	for i, m := range all {
		if m.ID != ids[i] || m.Body != fmt.Sprint("m", i) || !m.Time.Equal(t0.Add(time.Duration(i)*time.Second)) {
			t.Fatalf("message %d = %+v", i, m)
		}
	}
}

func TestInsertRefusesSecondStanzaID(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := msg("bob@example.org", 0, "hi", t0)
	a.StanzaID = "S1"
	if err := s.InsertMessage(ctx, a, true); err != nil {
		t.Fatal(err)
	}
	b := msg("bob@example.org", 0, "hi", t0)
	b.StanzaID = "S1"
	if err := s.InsertMessage(ctx, b, true); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("second insert: %v, want ErrDuplicate", err)
	}
	convs, err := s.Conversations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(convs) != 1 || convs[0].Unread != 1 {
		t.Fatalf("conversations after a refused duplicate = %+v", convs)
	}
}

func TestConversationsAndUnread(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	for _, m := range []*Message{
		msg("bob@example.org", 0, "b1", t0),
		msg("carol@example.org", 0, "c1", t0.Add(time.Second)),
		msg("bob@example.org", 0, "b2", t0.Add(2*time.Second)),
	} {
		if err := s.InsertMessage(ctx, m, true); err != nil {
			t.Fatal(err)
		}
	}
	out := msg("carol@example.org", 1, "c2", t0.Add(3*time.Second))
	if err := s.InsertMessage(ctx, out, false); err != nil {
		t.Fatal(err)
	}
	convs, err := s.Conversations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []Conversation{
		{Peer: "carol@example.org", LastBody: "c2", Unread: 1, Last: t0.Add(3 * time.Second)},
		{Peer: "bob@example.org", LastBody: "b2", Unread: 2, Last: t0.Add(2 * time.Second)},
	}
	if len(convs) != 2 {
		t.Fatalf("conversations = %+v", convs)
	}
	for i := range want {
		if convs[i].Peer != want[i].Peer || convs[i].LastBody != want[i].LastBody || convs[i].Unread != want[i].Unread || !convs[i].Last.Equal(want[i].Last) {
			t.Errorf("conversation %d = %+v, want %+v", i, convs[i], want[i])
		}
	}
	if err := s.MarkRead(ctx, "bob@example.org"); err != nil {
		t.Fatal(err)
	}
	convs, _ = s.Conversations(ctx)
	if convs[1].Unread != 0 {
		t.Fatalf("unread after MarkRead = %d", convs[1].Unread)
	}
}

func TestReceiptLookupAndStanzaIDFill(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	m := msg("bob@example.org", DirOutgoing, "hi", t0)
	m.OriginID, m.MsgID = "O1", "O1"
	if err := s.InsertMessage(ctx, m, false); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.OutgoingByMsgID(ctx, "bob@example.org", "O1")
	if err != nil || !ok || got.ID != m.ID {
		t.Fatalf("OutgoingByMsgID = %+v, %v, %v", got, ok, err)
	}
	if _, ok, _ := s.OutgoingByMsgID(ctx, "mallory@example.org", "O1"); ok {
		t.Fatal("a receipt from another peer matched")
	}
	if ok, err := s.HasOutgoing(ctx, "bob@example.org"); !ok || err != nil {
		t.Fatalf("HasOutgoing(bob) = %v, %v", ok, err)
	}
	s.InsertMessage(ctx, msg("carol@example.org", DirIncoming, "hi", t0), true)
	if ok, err := s.HasOutgoing(ctx, "carol@example.org"); ok || err != nil {
		t.Fatalf("HasOutgoing(carol) = %v, %v", ok, err)
	}
	if err := s.SetStanzaID(ctx, m.ID, "S9"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStanzaID(ctx, m.ID, "S10"); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Message(ctx, m.ID)
	if got.StanzaID != "S9" {
		t.Fatalf("stanza id = %q, want the first one kept", got.StanzaID)
	}
	if err := s.SetState(ctx, m.ID, 3, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.Message(ctx, m.ID); got.State != 3 {
		t.Fatalf("state = %d", got.State)
	}
}

func bodies(ms []Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Body)
	}
	return out
}
