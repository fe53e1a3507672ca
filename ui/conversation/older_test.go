package conversation

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/session"
)

// answerOlder runs the LoadOlder the conversation asked for and hands the
// result back, as the root does.
func (x *harness) answerOlder() OlderLoaded {
	x.tb.Helper()
	res, err := x.be.LoadOlder(context.Background(), peer)
	r := OlderLoaded{Peer: peer, Added: res.Added, Complete: res.Complete, Err: err}
	x.do(x.m.HandleOlder(r))
	return r
}

// toTop scrolls up until the first message's top row is on screen.
func (x *harness) toTop() {
	x.tb.Helper()
	for i := 0; i < 1000; i++ {
		if top, _ := x.m.span(); top == 0 && x.m.reachedStart && x.m.req == 0 {
			break
		}
		x.do(x.m.PageUp())
	}
	x.do(x.m.ScrollUp(x.m.height))
}

// Scrolling up to the first stored message asks the server's archive once;
// the older messages appear above without moving the view; at the
// archive's beginning the conversation says so and asks no more.
func TestOlderMessagesFromTheArchiveAtTheTop(t *testing.T) {
	x := newHarness(t, 30, 60, 10)
	var archive []session.Message
	for i := range 70 {
		archive = append(archive, session.Message{Body: fmt.Sprintf("old %02d", i), Time: t0.Add(time.Duration(i-70) * time.Minute)})
	}
	x.be.SetArchive(peer, archive)

	// Arriving at the first stored message asks, once, however often the
	// user scrolls on.
	x.toTop()
	for range 3 {
		x.do(x.m.ScrollUp(1))
	}
	if x.older != 1 || !x.m.LoadingOlder() {
		t.Fatalf("%d requests after scrolling to the top, want 1", x.older)
	}
	if first := x.screen()[0]; !strings.Contains(first, "loading older messages from the server…") {
		t.Fatalf("top row %q", first)
	}
	before := x.screen()
	if r := x.answerOlder(); r.Added != 50 || r.Complete {
		t.Fatalf("first page %+v", r)
	}
	// The rows the user was reading stay where they were (above them, the
	// note and the day's separator make room for older messages).
	after := x.screen()
	if !reflect.DeepEqual(after[2:], before[2:]) {
		t.Fatalf("the view moved:\nbefore\n%s\nafter\n%s", strings.Join(before, "\n"), strings.Join(after, "\n"))
	}
	if strings.Contains(after[0], "loading") || !strings.Contains(after[1], "old 69") {
		t.Fatalf("top row after the load %q, want the newest older message", after[0])
	}

	// The next arrival at the top asks again; the archive is then complete.
	x.toTop()
	if x.older != 2 {
		t.Fatalf("%d requests after the second arrival at the top, want 2", x.older)
	}
	if r := x.answerOlder(); r.Added != 20 || !r.Complete {
		t.Fatalf("second page %+v", r)
	}
	x.toTop()
	for range 3 {
		x.do(x.m.ScrollUp(1))
	}
	if x.older != 2 || !x.contains("beginning of the archive") || !x.contains("old 00") {
		t.Fatalf("%d requests at the archive's beginning; screen:\n%s", x.older, strings.Join(x.screen(), "\n"))
	}
	// The window holds the whole conversation in order.
	var got []string
	for _, e := range x.m.msgs {
		got = append(got, e.msg.Body)
	}
	if len(got) != 100 || got[0] != "old 00" || got[69] != "old 69" || !strings.HasPrefix(got[70], "message 0:") {
		t.Fatalf("window %d messages: %q … %q", len(got), got[:2], got[len(got)-2:])
	}
}

// A failed load says why at the top; scrolling on does not ask again at
// once, /history does.
func TestOlderMessagesErrorAndRetry(t *testing.T) {
	x := newHarness(t, 5, 80, 10)
	x.be.Errs["LoadOlder"] = errors.New("older messages with alice@example.org: not connected")
	x.toTop()
	if x.older != 1 {
		t.Fatalf("%d requests in a short conversation, want 1", x.older)
	}
	x.answerOlder()
	if !x.contains("older messages with alice@example.org: not connected (/history retries)") {
		t.Fatalf("no error shown:\n%s", strings.Join(x.screen(), "\n"))
	}
	delete(x.be.Errs, "LoadOlder")
	x.do(x.m.ScrollUp(1))
	if x.older != 1 {
		t.Fatalf("%d requests after scrolling on at the top, want 1", x.older)
	}
	x.do(x.m.RequestOlder())
	if x.older != 2 {
		t.Fatalf("%d requests after the retry, want 2", x.older)
	}
	if r := x.answerOlder(); r.Added != 0 || !r.Complete || !x.contains("beginning of the archive") {
		t.Fatalf("retry %+v; screen:\n%s", r, strings.Join(x.screen(), "\n"))
	}
	// An older message announced while at the start goes above the window,
	// and is not counted as unseen below.
	x.m.Add(session.Message{ID: -100, Peer: peer, Body: "announced old", Time: t0.Add(-time.Hour)})
	if x.m.msgs[0].msg.Body != "announced old" || x.m.Unseen() != 0 {
		t.Fatalf("first %q, unseen %d", x.m.msgs[0].msg.Body, x.m.Unseen())
	}
}
