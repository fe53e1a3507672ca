package session

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock answers every wait at once and moves its time forward by it, so
// the reconnect schedule runs without sleeping.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) After(d time.Duration) <-chan time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waits = append(f.waits, d)
	f.now = f.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- f.now
	return ch
}

func refusedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// The reconnect loop waits Backoff.Delay between attempts, announces each
// wait with its reason and the time of the next try, and stops when asked.
func TestReconnectSchedule(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)}
	backoff := Backoff{Base: time.Second, Max: 8 * time.Second}
	c, err := New(Options{DataDir: t.TempDir(), Clock: clock, Rand: func() float64 { return 0.5 }, Backoff: backoff})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := record(c)
	addr := refusedAddr(t)
	if err := c.Open(context.Background(), Account{JID: "alice@localhost", Password: "pw", Server: addr}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan bool)
	go func() {
		_, ok := c.reconnect(ctx, connErr(KindNetwork, nil, "the server closed the connection"))
		done <- ok
	}()
	const attempts = 6
	var evs []ConnectionChanged
	for i := 1; i <= attempts; i++ {
		ev := r.waitNth(t, i, func(ev Event) bool {
			cc, ok := ev.(ConnectionChanged)
			return ok && cc.State == Reconnecting
		}).(ConnectionChanged)
		evs = append(evs, ev)
	}
	cancel()
	select {
	case ok := <-done:
		if ok {
			t.Fatal("reconnect reported success")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reconnect did not stop")
	}
	clock.mu.Lock()
	waits := append([]time.Duration(nil), clock.waits...)
	clock.mu.Unlock()
	start := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	at := start
	for i, ev := range evs {
		want := backoff.Delay(i+1, 0.5)
		if waits[i] != want {
			t.Fatalf("wait %d = %v, want %v (all: %v)", i+1, waits[i], want, waits)
		}
		if ev.Attempt != i+1 || !ev.NextRetry.Equal(at.Add(want)) {
			t.Fatalf("event %d = %+v, want attempt %d at %v", i+1, ev, i+1, at.Add(want))
		}
		wantErr := "connection refused by " + addr
		if i == 0 {
			wantErr = "the server closed the connection"
		}
		if ev.Err != wantErr {
			t.Fatalf("event %d reason %q, want %q", i+1, ev.Err, wantErr)
		}
		at = at.Add(want)
	}
	if waits[4] != 6*time.Second || waits[5] != 6*time.Second {
		t.Fatalf("the cap did not hold: %v", waits)
	}
}

// A failure retrying cannot fix ends the loop with GaveUp.
func TestReconnectGivesUp(t *testing.T) {
	c, err := New(Options{DataDir: t.TempDir(), Clock: &fakeClock{}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := record(c)
	if err := c.Open(context.Background(), Account{JID: "alice@localhost", Server: refusedAddr(t), CAFile: "/nonexistent/ca.pem"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.reconnect(context.Background(), connErr(KindNetwork, nil, "lost")); ok {
		t.Fatal("reconnected")
	}
	ev := r.wait(t, "gave up", func(ev Event) bool { cc, ok := ev.(ConnectionChanged); return ok && cc.State == GaveUp }).(ConnectionChanged)
	if !strings.HasPrefix(ev.Err, "ca_file: open /nonexistent/ca.pem") {
		t.Fatalf("gave up with %q", ev.Err)
	}
}
