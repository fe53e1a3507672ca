package session

import (
	"testing"

	"github.com/candor-xmpp/candor/internal/store"
)

func TestMostAvailableResource(t *testing.T) {
	cs := newContacts()
	cs.load([]store.RosterItem{{JID: "bob@example.org", Name: "Bob", Subscription: "both"}, {JID: "amy@example.org", Subscription: "to", Ask: true}})
	steps := []struct {
		res      string
		p        Presence
		priority int
		want     Presence
	}{
		{"phone", Presence{Available: true, Show: ShowAway, Status: "on the go"}, 0, Presence{Available: true, Show: ShowAway, Status: "on the go"}},
		{"pc", Presence{Available: true, Show: ShowDND, Status: "busy"}, 10, Presence{Available: true, Show: ShowAway, Status: "on the go"}},
		{"laptop", Presence{Available: true, Status: "here"}, -1, Presence{Available: true, Status: "here"}},
		{"tablet", Presence{Available: true, Status: "also here"}, 5, Presence{Available: true, Status: "also here"}},
		{"tablet", Presence{}, 0, Presence{Available: true, Status: "here"}},
		{"laptop", Presence{}, 0, Presence{Available: true, Show: ShowAway, Status: "on the go"}},
		{"phone", Presence{}, 0, Presence{Available: true, Show: ShowDND, Status: "busy"}},
		{"pc", Presence{Status: "bye"}, 0, Presence{}},
	}
	for i, s := range steps {
		if got := cs.setPresence("bob@example.org", s.res, s.p, s.priority); got != s.want {
			t.Fatalf("step %d: %+v, want %+v", i, got, s.want)
		}
	}
	cs.setPresence("bob@example.org", "pc", Presence{Available: true, Show: ShowChat}, 0)
	list := cs.list()
	if len(list) != 2 || list[0].JID != "amy@example.org" || !list[0].Pending || list[1].Name != "Bob" || list[1].Presence.Show != ShowChat {
		t.Fatalf("list = %+v", list)
	}
	if gone := cs.clearPresence(); len(gone) != 1 || gone[0] != "bob@example.org" {
		t.Fatalf("cleared %v", gone)
	}
	if cs.list()[1].Presence.Available {
		t.Fatal("still available after clearing")
	}
	cs.apply(store.RosterItem{JID: "amy@example.org", Subscription: "remove"})
	if l := cs.list(); len(l) != 1 {
		t.Fatalf("after remove: %+v", l)
	}
}

func TestSubscriptionRequests(t *testing.T) {
	cs := newContacts()
	cs.request("b@x", "hi")
	cs.request("a@x", "")
	cs.request("b@x", "hi again")
	reqs := cs.pendingRequests()
	if len(reqs) != 2 || reqs[0].JID != "a@x" || reqs[1].Message != "hi again" {
		t.Fatalf("requests %+v", reqs)
	}
	cs.answered("a@x")
	if reqs := cs.pendingRequests(); len(reqs) != 1 || reqs[0].JID != "b@x" {
		t.Fatalf("after answer %+v", reqs)
	}
}
