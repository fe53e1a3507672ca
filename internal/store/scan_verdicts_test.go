package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "acct", "candor.db")
	st, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, path
}

func queue(t *testing.T, st *Store, peer, body string) Message {
	t.Helper()
	m := Message{Peer: peer, Direction: DirOutgoing, Body: body, Time: time.UnixMilli(1_700_000_000_000), State: 1, OriginID: body, MsgID: body}
	if err := st.Enqueue(context.Background(), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// A verdict survives reopening the database, and a blocked message leaves
// the outbox as failed in the same step.
func TestScanVerdictsPersistAndBlockLeavesTheOutbox(t *testing.T) {
	ctx := context.Background()
	st, path := openTemp(t)
	allowed := queue(t, st, "bob@example.org", "hello")
	blocked := queue(t, st, "bob@example.org", "https://blocked.example/demo/1")
	at := time.UnixMilli(1_700_000_001_000)
	if err := st.SaveScanVerdict(ctx, ScanVerdict{MessageID: allowed.ID, Mode: "belgium-2024", Action: "allow",
		Summary: "sent unscanned", Result: []byte(`{"mode":"belgium-2024"}`), At: at}); err != nil {
		t.Fatal(err)
	}
	queued, err := st.BlockQueued(ctx, ScanVerdict{MessageID: blocked.ID, Mode: "belgium-2024", Action: "block",
		Summary: "blocked", Reason: "no consent", Result: []byte(`{"mode":"belgium-2024","x":1}`), At: at}, 4, "no consent")
	if err != nil || !queued {
		t.Fatalf("BlockQueued = %v, %v", queued, err)
	}
	if again, err := st.BlockQueued(ctx, ScanVerdict{MessageID: blocked.ID, Mode: "belgium-2024", Action: "block",
		Summary: "blocked", Result: []byte(`{}`), At: at}, 4, "no consent"); err != nil || again {
		t.Fatalf("second BlockQueued = %v, %v; want not queued", again, err)
	}
	st.Close()

	st, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out, err := st.Outbox(ctx)
	if err != nil || len(out) != 1 || out[0].ID != allowed.ID {
		t.Fatalf("outbox after the block: %+v, %v", out, err)
	}
	m, err := st.Message(ctx, blocked.ID)
	if err != nil || m.State != 4 || m.Err != "no consent" {
		t.Fatalf("blocked message %+v, %v", m, err)
	}
	v, found, err := st.ScanVerdict(ctx, blocked.ID)
	if err != nil || !found || v.Action != "block" || v.Reason != "no consent" || string(v.Result) != `{"mode":"belgium-2024","x":1}` || !v.At.Equal(at) {
		t.Fatalf("verdict %+v found %v err %v", v, found, err)
	}
	all, err := st.ScanVerdicts(ctx, []int64{allowed.ID, blocked.ID, 9999})
	if err != nil || len(all) != 2 || all[allowed.ID].Action != "allow" || all[blocked.ID].Result != nil {
		t.Fatalf("verdicts %+v, %v", all, err)
	}
	if _, found, err := st.ScanVerdict(ctx, 9999); found || err != nil {
		t.Fatalf("verdict of an unknown message: %v %v", found, err)
	}
}

func TestScanVerdictRejectsBadInput(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	m := queue(t, st, "bob@example.org", "x")
	for _, v := range []ScanVerdict{
		{MessageID: 0, Action: "allow", Result: []byte("{}")},
		{MessageID: m.ID, Action: "maybe", Result: []byte("{}")},
		{MessageID: m.ID, Action: "allow"},
	} {
		if err := st.SaveScanVerdict(ctx, v); err == nil {
			t.Fatalf("accepted %+v", v)
		}
	}
	// A verdict needs its message.
	if err := st.SaveScanVerdict(ctx, ScanVerdict{MessageID: 12345, Action: "allow", Result: []byte("{}")}); err == nil {
		t.Fatal("accepted a verdict on no message")
	}
}

func TestScanVerdictsInBatches(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	var ids []int64
	for i := range 1200 {
		m := queue(t, st, "bob@example.org", "m"+time.Duration(i).String())
		ids = append(ids, m.ID)
		if i%2 == 0 {
			if err := st.SaveScanVerdict(ctx, ScanVerdict{MessageID: m.ID, Action: "allow", Result: []byte("{}")}); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, err := st.ScanVerdicts(ctx, ids)
	if err != nil || len(got) != 600 {
		t.Fatalf("%d verdicts, %v", len(got), err)
	}
}

// A closed conversation stays closed until a newer message arrives.
func TestClosedConversationsReopenOnANewMessage(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	queue(t, st, "bob@example.org", "one")
	if err := st.CloseConversation(ctx, "bob@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := st.CloseConversation(ctx, "nobody@example.org"); err != nil {
		t.Fatal(err)
	}
	closed, err := st.ClosedConversations(ctx)
	if err != nil || !closed["bob@example.org"] || !closed["nobody@example.org"] {
		t.Fatalf("closed %v, %v", closed, err)
	}
	in := Message{Peer: "bob@example.org", Direction: DirIncoming, Body: "back", Time: time.Now(), StanzaID: "s1"}
	if err := st.InsertMessage(ctx, &in, true); err != nil {
		t.Fatal(err)
	}
	closed, err = st.ClosedConversations(ctx)
	if err != nil || closed["bob@example.org"] || !closed["nobody@example.org"] {
		t.Fatalf("after a new message: %v, %v", closed, err)
	}
	if n, err := st.Unread(ctx, "bob@example.org"); n != 1 || err != nil {
		t.Fatalf("unread %d, %v", n, err)
	}
	if n, err := st.Unread(ctx, "nobody@example.org"); n != 0 || err != nil {
		t.Fatalf("unread of nobody %d, %v", n, err)
	}
}
