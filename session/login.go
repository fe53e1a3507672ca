package session

import (
	"context"
	"errors"
	"fmt"

	"mellium.im/xmpp/jid"
)

// Login implements Backend: it opens the account, makes one connection
// attempt and returns its error; once that succeeds it keeps the account
// connected, reconnecting with backoff, until Close.
func (c *Client) Login(ctx context.Context, acct Account) error {
	if err := checkMode(acct.TLS); err != nil {
		return err
	}
	if err := c.loggedIn(); err != nil {
		return err
	}
	if err := c.Open(ctx, acct); err != nil {
		return err
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return errClosed
	}
	if c.running {
		c.mu.Unlock()
		return errAlreadyLoggedIn
	}
	c.running = true // claimed; released below on failure
	c.mu.Unlock()

	release := func() {
		c.mu.Lock()
		c.running = false
		c.mu.Unlock()
	}
	pass, err := password(ctx, acct)
	if err != nil {
		release()
		c.setState(ConnectionChanged{State: GaveUp, Err: err.Error()})
		return err
	}
	c.mu.Lock()
	c.pass = pass
	c.mu.Unlock()

	c.setState(ConnectionChanged{State: Connecting, Attempt: 1})
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(c.closing, cancel)()
	l, err := c.connect(ctx)
	if err != nil {
		release()
		c.setState(ConnectionChanged{State: GaveUp, Err: err.Error()})
		return err
	}
	loopCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		stop()
		l.shutdown()
		release()
		return errClosed
	}
	c.stop, c.loopDone = stop, done
	c.mu.Unlock()
	c.goOnline(l)
	go c.stayConnected(loopCtx, l, done)
	return nil
}

// errAlreadyLoggedIn refuses a second Login: Logout first.
var errAlreadyLoggedIn = errors.New("already logged in: log out first (Logout) to log in again or to another account")

// loggedIn refuses a Login while one runs or the account is connected,
// before Open could touch the open account.
func (c *Client) loggedIn() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		return fmt.Errorf("%w (now %s)", errAlreadyLoggedIn, c.addr)
	}
	return nil
}

// stayConnected waits for the link to go down and reconnects, waiting
// Backoff.Delay between attempts, until ctx is cancelled or an attempt fails
// in a way retrying cannot fix.
func (c *Client) stayConnected(ctx context.Context, l *link, done chan struct{}) {
	defer close(done)
	defer func() {
		// Given up: a new Login may start over.
		c.mu.Lock()
		if c.loopDone == done {
			c.running, c.stop, c.loopDone = false, nil, nil
		}
		c.mu.Unlock()
	}()
	defer func() {
		if r := recover(); r != nil {
			c.setState(ConnectionChanged{State: GaveUp, Err: fmt.Sprintf("internal error: %v", r)})
		}
	}()
	for {
		select {
		case <-l.serveDone:
		case <-ctx.Done():
			l.shutdown()
			c.linkGone(l)
			return
		}
		l.wg.Wait() // the receive worker has stored everything that arrived
		c.linkGone(l)
		if ctx.Err() != nil {
			return
		}
		reason := classifyDown(l.reason(), l.own)
		if !reason.Retry() {
			c.setState(ConnectionChanged{State: GaveUp, Err: reason.Error()})
			return
		}
		var ok bool
		if l, ok = c.reconnect(ctx, reason); !ok {
			return
		}
		c.goOnline(l)
	}
}

// reconnect retries until an attempt succeeds (true), ctx ends or an
// attempt fails for good (false).
func (c *Client) reconnect(ctx context.Context, reason *ConnError) (*link, bool) {
	for attempt := 1; ; attempt++ {
		wait := c.opts.Backoff.Delay(attempt, c.rand())
		c.setState(ConnectionChanged{State: Reconnecting, Err: reason.Error(), NextRetry: c.clock.Now().Add(wait), Attempt: attempt})
		select {
		case <-ctx.Done():
			return nil, false
		case <-c.clock.After(wait):
		}
		c.setState(ConnectionChanged{State: Connecting, Attempt: attempt + 1})
		l, err := c.connect(ctx)
		if err == nil {
			return l, true
		}
		if ctx.Err() != nil {
			return nil, false
		}
		reason = classify(err, c.Account().JID, "")
		if !reason.Retry() {
			c.setState(ConnectionChanged{State: GaveUp, Err: reason.Error()})
			return nil, false
		}
	}
}

// linkGone forgets a link that went down: contacts go offline.
func (c *Client) linkGone(l *link) {
	c.mu.Lock()
	if c.link == l {
		c.link = nil
	}
	c.mu.Unlock()
	for _, bare := range c.roster.clearPresence() {
		c.events.emit(PresenceChanged{JID: bare})
	}
}

// classifyDown explains why an established link went down.
func classifyDown(err error, own jid.JID) *ConnError {
	if errors.Is(err, errServerClosed) {
		return connErr(KindNetwork, err, "the server closed the connection")
	}
	if errors.Is(err, errClosedByUser) {
		return connErr(KindConfig, err, "disconnected")
	}
	return classify(err, own.String(), own.Domainpart())
}
