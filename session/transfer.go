package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// The transfers under way: their ids, their cancellation, and the progress
// events that a ticker sends while bytes move. Transfers belong to the
// Client, not to one connection: HTTP goes on while XMPP reconnects.

// fileManager is the Client's file sharing state.
type fileManager struct {
	c    *Client
	opts FileOptions

	mu      sync.Mutex
	nextID  int64
	active  map[int64]*transferRun
	byMsg   map[int64]int64 // downloads under way, by message
	svcLink *link           // the connection svc was discovered on
	svc     uploadService
	staging int // downloads using the staging folder (download.go)
	closed  bool
	wg      sync.WaitGroup
}

// transferRun is one transfer's live state.
type transferRun struct {
	t      Transfer // guarded by fileManager.mu
	cancel context.CancelCauseFunc
	moved  atomic.Int64 // bytes moved, written by the worker
}

// progressEvery is how often progress is reported.
const progressEvery = 200 * time.Millisecond

var (
	errCancelled = errors.New("cancelled")
	errShutdown  = errors.New("Candor is closing")
)

func newFileManager(c *Client, opts FileOptions) *fileManager {
	return &fileManager{c: c, opts: opts.withDefaults(), active: map[int64]*transferRun{}, byMsg: map[int64]int64{}}
}

// start registers a transfer and runs work in the background. work gets a
// context cancelled by CancelTransfer, Close or a stall, and the run to
// count bytes on; it returns the final transfer or an error.
func (fm *fileManager) start(t Transfer, work func(ctx context.Context, r *transferRun) (Transfer, error)) (Transfer, error) {
	fm.mu.Lock()
	if fm.closed {
		fm.mu.Unlock()
		return Transfer{}, errClosed
	}
	if t.MessageID != 0 && !t.Upload {
		if id, ok := fm.byMsg[t.MessageID]; ok {
			cur := fm.active[id].t
			fm.mu.Unlock()
			return cur, nil // already downloading
		}
	}
	fm.nextID++
	t.ID = fm.nextID
	t.Started = fm.c.clock.Now()
	ctx, cancel := context.WithCancelCause(context.Background())
	r := &transferRun{t: t, cancel: cancel}
	fm.active[t.ID] = r
	if t.MessageID != 0 && !t.Upload {
		fm.byMsg[t.MessageID] = t.ID
	}
	fm.wg.Add(2)
	fm.mu.Unlock()

	fm.c.events.emit(TransferUpdated{Transfer: t})
	done := make(chan struct{})
	go func() {
		defer fm.wg.Done()
		fm.ticker(ctx, r, done)
	}()
	go func() {
		defer fm.wg.Done()
		defer close(done)
		final, err := fm.runGuarded(ctx, r, work)
		fm.finish(r, final, err, context.Cause(ctx))
	}()
	return t, nil
}

func (fm *fileManager) runGuarded(ctx context.Context, r *transferRun, work func(context.Context, *transferRun) (Transfer, error)) (final Transfer, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: %v", p)
		}
	}()
	return work(ctx, r)
}

// finish records the end of a transfer and reports it.
func (fm *fileManager) finish(r *transferRun, final Transfer, err, cause error) {
	fm.mu.Lock()
	t := r.t
	delete(fm.active, t.ID)
	if fm.byMsg[t.MessageID] == t.ID {
		delete(fm.byMsg, t.MessageID)
	}
	fm.mu.Unlock()
	r.cancel(nil)
	t.Done, t.Rate = r.moved.Load(), 0
	switch {
	case err == nil:
		final.ID, final.Started, final.Rate = t.ID, t.Started, 0
		t = final
		t.State = TransferFinished
	case errors.As(err, new(*skipError)):
		t.State, t.Err = TransferCancelled, err.Error()
	case errors.Is(cause, errCancelled) || errors.Is(cause, errShutdown):
		t.State, t.Err = TransferCancelled, cause.Error()
	default:
		if cause != nil && !errors.Is(err, cause) {
			err = cause // a stall: the context's reason says more than "context canceled"
		}
		t.State, t.Err = TransferFailed, oneLine(err.Error())
	}
	fm.c.events.emit(TransferUpdated{Transfer: t})
}

// ticker reports progress while the transfer runs and ends it when no
// byte moved for the stall timeout.
func (fm *fileManager) ticker(ctx context.Context, r *transferRun, done <-chan struct{}) {
	last, lastAt, stillSince := int64(0), fm.c.clock.Now(), fm.c.clock.Now()
	rate := 0.0
	for {
		select {
		case <-done:
			return
		case <-ctx.Done():
			return
		case <-fm.c.clock.After(progressEvery):
		}
		now := fm.c.clock.Now()
		moved := r.moved.Load()
		if moved == last {
			if d := fm.opts.StallTimeout; now.Sub(stillSince) >= d {
				r.cancel(fmt.Errorf("connection lost: no data for %v", d))
				return
			}
			continue
		}
		if dt := now.Sub(lastAt).Seconds(); dt > 0 {
			inst := float64(moved-last) / dt
			if rate == 0 {
				rate = inst
			} else {
				rate = 0.7*rate + 0.3*inst
			}
		}
		last, lastAt, stillSince = moved, now, now
		fm.mu.Lock()
		r.t.Done, r.t.Rate = moved, rate
		if r.t.State == TransferPreparing {
			r.t.State = TransferRunning
		}
		t := r.t
		fm.mu.Unlock()
		fm.c.events.emit(TransferUpdated{Transfer: t})
	}
}

// update changes a running transfer's fields and reports it.
func (fm *fileManager) update(r *transferRun, f func(*Transfer)) {
	fm.mu.Lock()
	f(&r.t)
	t := r.t
	fm.mu.Unlock()
	fm.c.events.emit(TransferUpdated{Transfer: t})
}

// CancelTransfer implements Files.
func (c *Client) CancelTransfer(id int64) error {
	fm := c.files
	fm.mu.Lock()
	r, ok := fm.active[id]
	fm.mu.Unlock()
	if !ok {
		return fmt.Errorf("no transfer %d under way", id)
	}
	r.cancel(errCancelled)
	return nil
}

// Transfers implements Files.
func (c *Client) Transfers() []Transfer {
	fm := c.files
	fm.mu.Lock()
	defer fm.mu.Unlock()
	out := make([]Transfer, 0, len(fm.active))
	for _, r := range fm.active {
		t := r.t
		t.Done = r.moved.Load()
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// close cancels every transfer and waits for them to end.
func (fm *fileManager) close() {
	fm.mu.Lock()
	fm.closed = true
	for _, r := range fm.active {
		r.cancel(errShutdown)
	}
	fm.mu.Unlock()
	fm.wg.Wait()
}

// countingReader counts the bytes read through it into a run.
type countingReader struct {
	r   io.Reader
	run *transferRun
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.run.moved.Add(int64(n))
	return n, err
}
