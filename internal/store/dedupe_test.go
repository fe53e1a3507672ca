package store

import (
	"context"
	"testing"
	"time"
)

func TestFindDuplicate(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	store := func(m Message) int64 {
		t.Helper()
		if err := s.InsertMessage(ctx, &m, false); err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	const bob = "bob@example.org"
	archived := store(Message{Peer: bob, Body: "from archive", Time: t0, StanzaID: "S1"})
	ours := store(Message{Peer: bob, Direction: DirOutgoing, Body: "mine", Time: t0, OriginID: "O1"})
	liveNoIDs := store(Message{Peer: bob, Body: "plain", Time: t0})
	theirs := store(Message{Peer: bob, Body: "theirs", Time: t0, OriginID: "O2", StanzaID: "S2"})

	cases := []struct {
		name string
		key  DedupeKey
		want int64 // 0: not a duplicate
	}{
		{"same stanza-id", DedupeKey{Peer: bob, StanzaID: "S1", Body: "whatever"}, archived},
		{"own message echoed by the archive", DedupeKey{Peer: bob, Direction: DirOutgoing, OriginID: "O1", StanzaID: "S7", Body: "mine", Time: t0.Add(time.Hour)}, ours},
		{"carbon of own message", DedupeKey{Peer: bob, Direction: DirOutgoing, OriginID: "O1", Body: "mine"}, ours},
		{"same origin-id, other direction", DedupeKey{Peer: bob, Direction: DirIncoming, OriginID: "O1", Body: "mine"}, 0},
		{"same origin-id, other peer", DedupeKey{Peer: "carol@example.org", Direction: DirOutgoing, OriginID: "O1", Body: "mine"}, 0},
		{"same origin-id, a resend with a new stanza-id", DedupeKey{Peer: bob, OriginID: "O2", StanzaID: "S3", Body: "theirs"}, theirs},
		{"same origin-id, same stanza-id", DedupeKey{Peer: bob, OriginID: "O2", StanzaID: "S2", Body: "theirs"}, theirs},
		{"id-less live copy seen in the archive", DedupeKey{Peer: bob, Body: "plain", Time: t0.Add(time.Second), StanzaID: "S4"}, liveNoIDs},
		{"archive copy too far apart", DedupeKey{Peer: bob, Body: "plain", Time: t0.Add(5 * time.Second), StanzaID: "S4"}, 0},
		{"second id-less live message", DedupeKey{Peer: bob, Body: "plain", Time: t0}, 0},
		{"other body", DedupeKey{Peer: bob, Body: "plain!", Time: t0, StanzaID: "S4"}, 0},
		{"id-less copy of an archived message", DedupeKey{Peer: bob, Body: "from archive", Time: t0}, archived},
		{"new archived message", DedupeKey{Peer: bob, Body: "from archive", Time: t0, StanzaID: "S5"}, 0},
		{"no time, no ids", DedupeKey{Peer: bob, Body: "plain"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, ok, err := s.FindDuplicate(ctx, c.key)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case c.want == 0 && ok:
				t.Errorf("found duplicate %d (%q), want none", m.ID, m.Body)
			case c.want != 0 && !ok:
				t.Errorf("found none, want %d", c.want)
			case c.want != 0 && m.ID != c.want:
				t.Errorf("found %d, want %d", m.ID, c.want)
			}
		})
	}
}
