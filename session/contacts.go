package session

import (
	"sort"
	"strings"
	"sync"

	"github.com/candor-xmpp/candor/internal/store"
)

// contacts is the roster in memory with the presence of every resource of
// every contact, and the subscription requests waiting for an answer.
type contacts struct {
	mu       sync.Mutex
	items    map[string]store.RosterItem       // by bare JID
	presence map[string]map[string]resPresence // bare JID -> resource -> presence
	requests map[string]string                 // bare JID -> the request's text
}

// resPresence is one resource's presence.
type resPresence struct {
	Presence
	priority int
}

func newContacts() *contacts {
	return &contacts{
		items:    map[string]store.RosterItem{},
		presence: map[string]map[string]resPresence{},
		requests: map[string]string{},
	}
}

func (cs *contacts) load(items []store.RosterItem) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.items = make(map[string]store.RosterItem, len(items))
	for _, it := range items {
		cs.items[it.JID] = it
	}
}

// apply changes one item (a push); subscription "remove" deletes it.
func (cs *contacts) apply(it store.RosterItem) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if it.Subscription == "remove" {
		delete(cs.items, it.JID)
		return
	}
	cs.items[it.JID] = it
}

// has reports whether bare is in the roster.
func (cs *contacts) has(bare string) bool {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	_, ok := cs.items[bare]
	return ok
}

// list is the roster with presences, ordered by name (JID when unnamed).
func (cs *contacts) list() []Contact {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	out := make([]Contact, 0, len(cs.items))
	for _, it := range cs.items {
		out = append(out, Contact{
			JID:          it.JID,
			Name:         it.Name,
			Groups:       append([]string(nil), it.Groups...),
			Subscription: it.Subscription,
			Pending:      it.Ask,
			Presence:     cs.aggregateLocked(it.JID),
		})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := sortKey(out[i]), sortKey(out[j])
		if a != b {
			return a < b
		}
		return out[i].JID < out[j].JID
	})
	return out
}

func sortKey(c Contact) string {
	if c.Name != "" {
		return strings.ToLower(c.Name)
	}
	return strings.ToLower(c.JID)
}

// setPresence records one resource's presence (unavailable removes it) and
// returns the contact's presence as shown: its most available resource's.
func (cs *contacts) setPresence(bare, resource string, p Presence, priority int) Presence {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	res := cs.presence[bare]
	if !p.Available {
		delete(res, resource)
		if len(res) == 0 {
			delete(cs.presence, bare)
		}
	} else {
		if res == nil {
			res = map[string]resPresence{}
			cs.presence[bare] = res
		}
		res[resource] = resPresence{Presence: p, priority: priority}
	}
	return cs.aggregateLocked(bare)
}

// forgetPresence forgets every resource of one contact (we may no longer
// see its presence).
func (cs *contacts) forgetPresence(bare string) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	delete(cs.presence, bare)
}

// clearPresence forgets every presence (the connection is gone) and returns
// the contacts that were available.
func (cs *contacts) clearPresence() []string {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	var was []string
	for bare := range cs.presence {
		was = append(was, bare)
	}
	sort.Strings(was)
	cs.presence = map[string]map[string]resPresence{}
	return was
}

func (cs *contacts) aggregateLocked(bare string) Presence {
	var best resPresence
	found := false
	for _, rp := range cs.presence[bare] {
		if !found || moreAvailable(rp, best) {
			best, found = rp, true
		}
	}
	if !found {
		return Presence{}
	}
	return best.Presence
}

// showRank orders the shows by availability.
var showRank = map[Show]int{ShowChat: 5, ShowOnline: 4, ShowAway: 3, ShowXA: 2, ShowDND: 1}

// moreAvailable: a better show wins, then a higher priority, then the status
// text (only so that the choice does not depend on map order).
func moreAvailable(a, b resPresence) bool {
	if ra, rb := showRank[a.Show], showRank[b.Show]; ra != rb {
		return ra > rb
	}
	if a.priority != b.priority {
		return a.priority > b.priority
	}
	return a.Status < b.Status
}

// request records a subscription request; requests answers or forgets one.
func (cs *contacts) request(bare, text string) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.requests[bare] = text
}

func (cs *contacts) answered(bare string) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	delete(cs.requests, bare)
}

// pendingRequests lists the unanswered subscription requests.
func (cs *contacts) pendingRequests() []SubscriptionRequested {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	out := make([]SubscriptionRequested, 0, len(cs.requests))
	for j, text := range cs.requests {
		out = append(out, SubscriptionRequested{JID: j, Message: text})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].JID < out[j].JID })
	return out
}
