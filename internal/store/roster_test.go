package store

import (
	"context"
	"reflect"
	"testing"
)

func TestRosterReplaceAndPush(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if v, err := s.RosterVersion(ctx); err != nil || v != "" {
		t.Fatalf("fresh roster version = %q, %v", v, err)
	}
	items := []RosterItem{
		{JID: "carol@example.org", Subscription: "to", Groups: []string{"Work", "Friends"}},
		{JID: "bob@example.org", Name: "Bob", Subscription: "both"},
	}
	if err := s.ReplaceRoster(ctx, "v1", items); err != nil {
		t.Fatal(err)
	}
	got, err := s.Roster(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []RosterItem{items[1], items[0]}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("roster = %+v, want %+v", got, want)
	}
	if err := s.ApplyRosterPush(ctx, "v2", RosterItem{JID: "dave@example.org", Ask: true}); err != nil {
		t.Fatal(err)
	}
	if err := s.ApplyRosterPush(ctx, "v3", RosterItem{JID: "carol@example.org", Subscription: "remove"}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Roster(ctx)
	want = []RosterItem{items[1], {JID: "dave@example.org", Subscription: "none", Ask: true}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("roster after pushes = %+v, want %+v", got, want)
	}
	if v, _ := s.RosterVersion(ctx); v != "v3" {
		t.Fatalf("version = %q, want v3", v)
	}
	if err := s.ReplaceRoster(ctx, "v4", nil); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.Roster(ctx); len(got) != 0 {
		t.Fatalf("roster after empty replace = %+v", got)
	}
}

func TestArchivePosition(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if p, err := s.ArchivePosition(ctx); err != nil || p != "" {
		t.Fatalf("fresh position = %q, %v", p, err)
	}
	for _, id := range []string{"a", "b"} {
		if err := s.SetArchivePosition(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if p, _ := s.ArchivePosition(ctx); p != "b" {
		t.Fatalf("position = %q, want b", p)
	}
}
