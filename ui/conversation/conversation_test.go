package conversation

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
	"github.com/candor-xmpp/candor/ui/internal/backendtest"
)

const peer = "alice@example.org"

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.Local)

type harness struct {
	tb    testing.TB
	be    *backendtest.Backend
	m     *Model
	loads int
	older int // OlderRequested intents, left for the test to answer
}

func newHarness(tb testing.TB, n, w, h int) *harness {
	tb.Helper()
	be := backendtest.New()
	if n > 0 {
		be.Generate(peer, n, t0)
	}
	com := common.New(true)
	com.Now = func() time.Time { return t0.Add(1000 * 24 * time.Hour) }
	x := &harness{tb: tb, be: be, m: New(com, peer, "Alice")}
	x.do(x.m.SetSize(w, h))
	return x
}

// do runs the component's intents: history requests are answered at once.
func (x *harness) do(cmd tea.Cmd) {
	for {
		if cmd != nil {
			cmd()
		}
		var req LoadRequested
		found := false
		for _, in := range x.m.com.TakeIntents() {
			switch r := in.(type) {
			case LoadRequested:
				req, found = r, true
			case OlderRequested:
				x.older++
			}
		}
		if !found {
			return
		}
		x.loads++
		page, err := x.be.History(context.Background(), req.Peer, req.Before, req.Limit)
		cmd = x.m.HandleLoaded(HistoryLoaded{Peer: req.Peer, Req: req.Req, Msgs: page, Err: err})
	}
}

func (x *harness) screen() []string {
	return strings.Split(ansi.Strip(x.m.View()), "\n")
}

func (x *harness) contains(s string) bool {
	return strings.Contains(strings.Join(x.screen(), "\n"), s)
}

func TestLoadsNewestPageAndRendersBottom(t *testing.T) {
	x := newHarness(t, 1000, 60, 10)
	if x.m.Len() != PageSize {
		t.Fatalf("window holds %d, want one page", x.m.Len())
	}
	lines := x.screen()
	if len(lines) != 10 {
		t.Fatalf("%d lines, want 10", len(lines))
	}
	if !strings.Contains(strings.Join(lines, "\n"), "message 999:") {
		t.Fatalf("newest message not on screen:\n%s", strings.Join(lines, "\n"))
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > 60 {
			t.Fatalf("line wider than 60: %d %q", w, l)
		}
	}
}

func TestScrollingPagesTheWholeHistoryWithBoundedMemory(t *testing.T) {
	x := newHarness(t, 3000, 60, 20)
	for i := 0; i < 5000 && !x.contains("start of the conversation"); i++ {
		x.do(x.m.PageUp())
		if x.m.Len() > MaxWindow {
			t.Fatalf("window grew to %d messages", x.m.Len())
		}
	}
	if !x.contains("message 0:") {
		t.Fatalf("never reached the first message:\n%s", strings.Join(x.screen(), "\n"))
	}
	// And all the way back down, through the dropped chunks.
	for i := 0; i < 5000 && !x.m.Following(); i++ {
		x.do(x.m.PageDown())
		if x.m.Len() > MaxWindow {
			t.Fatalf("window grew to %d messages", x.m.Len())
		}
	}
	if !x.m.Following() || !x.contains("message 2999:") {
		t.Fatalf("did not come back to the newest:\n%s", strings.Join(x.screen(), "\n"))
	}
}

func TestEveryMessageIsSeenOnceWhileScrolling(t *testing.T) {
	// Short messages, one row each plus day separators: every ID must show
	// up on some screen when paging up, none skipped.
	be := backendtest.New()
	for i := range 700 {
		be.Store(session.Message{Peer: peer, Body: "m" + strconv.Itoa(i), Time: t0})
	}
	com := common.New(false)
	com.Now = func() time.Time { return t0 }
	x := &harness{tb: t, be: be, m: New(com, peer, "A")}
	x.do(x.m.SetSize(50, 7))
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		for _, l := range x.screen() {
			for _, f := range strings.Fields(l) {
				if strings.HasPrefix(f, "m") && len(f) > 1 && f[1] >= '0' && f[1] <= '9' {
					seen[f] = true
				}
			}
		}
		if x.contains("start of the conversation") {
			break
		}
		x.do(x.m.PageUp())
	}
	for i := range 700 {
		if !seen["m"+strconv.Itoa(i)] {
			t.Fatalf("message m%d never shown", i)
		}
	}
}

func TestLiveMessageFollowsOrCountsUnseen(t *testing.T) {
	x := newHarness(t, 50, 60, 10)
	m := x.be.Store(session.Message{Peer: peer, Body: "fresh one", Time: t0, Direction: session.Incoming})
	x.m.Add(m)
	if !x.contains("fresh one") {
		t.Fatal("live message not shown while following")
	}
	x.do(x.m.PageUp())
	m2 := x.be.Store(session.Message{Peer: peer, Body: "while away", Time: t0})
	x.m.Add(m2)
	if x.m.Unseen() != 1 || !x.contains("1 new message") {
		t.Fatalf("unseen = %d; screen:\n%s", x.m.Unseen(), strings.Join(x.screen(), "\n"))
	}
	x.do(x.m.End())
	if !x.m.Following() || x.m.Unseen() != 0 || !x.contains("while away") {
		t.Fatal("end did not return to the newest")
	}
}

func TestLiveMessagesWhileDetachedAreNotLost(t *testing.T) {
	x := newHarness(t, 2000, 60, 10)
	for i := 0; i < 200; i++ {
		x.do(x.m.PageUp())
	}
	if len(x.m.newer) == 0 {
		t.Fatal("window never dropped its newer end; the test needs it detached")
	}
	var last session.Message
	for i := range 150 {
		last = x.be.Store(session.Message{Peer: peer, Body: "late " + strconv.Itoa(i), Time: t0})
		x.m.Add(last)
	}
	for i := 0; i < 1000 && !x.m.Following(); i++ {
		x.do(x.m.PageDown())
	}
	if !x.contains("late 149") {
		t.Fatalf("newest live message missing:\n%s", strings.Join(x.screen(), "\n"))
	}
	if _, ok := x.m.Message(last.ID - 149); !ok {
		t.Fatal("first live message missing from the window")
	}
}

func TestDeliveryMarks(t *testing.T) {
	x := newHarness(t, 0, 70, 8)
	out := session.Message{Peer: peer, Direction: session.Outgoing, Body: "hi", Time: t0, State: session.Queued}
	out = x.be.Store(out)
	x.m.Add(out)
	if !x.contains("queued") {
		t.Fatal("queued mark missing")
	}
	x.m.SetState(out.ID, session.Sent, "")
	if !x.contains("hi ◌ not scanned ✓") || x.contains("✓✓") {
		t.Fatalf("sent mark wrong:\n%s", strings.Join(x.screen(), "\n"))
	}
	x.m.SetState(out.ID, session.Delivered, "")
	if !x.contains("✓✓") {
		t.Fatal("delivered mark missing")
	}
	x.m.SetState(out.ID, session.Failed, "recipient-unavailable")
	if !x.contains("✗ failed: recipient-unavailable") {
		t.Fatal("failure reason missing")
	}
	carbon := x.be.Store(session.Message{Peer: peer, Direction: session.Outgoing, Body: "from phone", Time: t0, Source: session.Carbon, State: session.Sent})
	x.m.Add(carbon)
	arch := x.be.Store(session.Message{Peer: peer, Body: "old news", Time: t0, Source: session.Archive})
	x.m.Add(arch)
	if !x.contains("[carbon]") || !x.contains("[archive]") {
		t.Fatalf("source tags missing:\n%s", strings.Join(x.screen(), "\n"))
	}
}

func TestHostileBodyCannotEscapeTheTerminal(t *testing.T) {
	x := newHarness(t, 0, 60, 5)
	m := x.be.Store(session.Message{Peer: peer, Body: "evil\x1b[2J\x1b]0;pwned\x07\u202etxt.exe", Time: t0})
	x.m.Add(m)
	v := x.m.View()
	if strings.Contains(v, "\x1b[2J") || strings.Contains(v, "\x1b]0;") || strings.Contains(v, "\u202e") {
		t.Fatalf("control sequence passed through: %q", v)
	}
}

func TestStaleHistoryAnswerIsDropped(t *testing.T) {
	com := common.New(true)
	com.Now = time.Now
	m := New(com, peer, "")
	m.SetSize(40, 5)
	first := com.TakeIntents()[0].(LoadRequested)
	m.Load()
	second := com.TakeIntents()[0].(LoadRequested)
	m.HandleLoaded(HistoryLoaded{Peer: peer, Req: first.Req, Msgs: []session.Message{{ID: 1, Peer: peer, Body: "stale"}}})
	if m.Len() != 0 {
		t.Fatal("superseded answer was used")
	}
	m.HandleLoaded(HistoryLoaded{Peer: peer, Req: second.Req, Msgs: []session.Message{{ID: 2, Peer: peer, Body: "fresh"}}})
	if m.Len() != 1 {
		t.Fatal("current answer ignored")
	}
}

func TestUnreadLine(t *testing.T) {
	x := newHarness(t, 0, 60, 12)
	for i := range 10 {
		x.m.Add(x.be.Store(session.Message{Peer: peer, Body: "old " + strconv.Itoa(i), Time: t0}))
	}
	x.m.MarkUnread(3)
	lines := x.screen()
	at := -1
	for i, l := range lines {
		if strings.Contains(l, "── new ─") {
			at = i
		}
	}
	if at < 0 || at+1 >= len(lines) || !strings.Contains(lines[at+1], "old 7") {
		t.Fatalf("the new line is not above the third-last message:\n%s", strings.Join(lines, "\n"))
	}
}
