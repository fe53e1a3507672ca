package session

import (
	"context"
	"errors"
	"fmt"

	"mellium.im/xmpp/jid"
)

// errLoginUnderWay refuses a Logout while Login is connecting.
var errLoginUnderWay = errors.New("a login is under way: wait for it to finish or cancel it")

// Logout implements Control: like Close, but the client stays usable and
// its events keep flowing.
func (c *Client) Logout(ctx context.Context) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return errClosed
	}
	if c.running && c.stop == nil {
		c.mu.Unlock()
		return errLoginUnderWay
	}
	stop, loopDone, l := c.stop, c.loopDone, c.link
	c.mu.Unlock()
	if stop != nil {
		stop()
	}
	if l != nil {
		l.shutdown()
	}
	if loopDone != nil {
		select {
		case <-loopDone:
		case <-ctx.Done():
			return fmt.Errorf("logout: %w", ctx.Err())
		}
	}
	c.mu.Lock()
	st := c.st
	c.st, c.addr, c.acct, c.pass, c.link = nil, jid.JID{}, Account{}, "", nil
	c.state, c.running, c.stop, c.loopDone = Offline, false, nil, nil
	c.mu.Unlock()
	for _, bare := range c.roster.clearPresence() {
		c.events.emit(PresenceChanged{JID: bare})
	}
	c.roster.load(nil)
	c.roster.clearRequests()
	c.events.emit(ConnectionChanged{State: Offline})
	c.events.emit(RosterChanged{Contacts: c.roster.list()})
	if st != nil {
		if err := st.Close(); err != nil {
			return fmt.Errorf("logout: closing the store: %w", err)
		}
	}
	return nil
}

// CloseConversation implements Control.
func (c *Client) CloseConversation(ctx context.Context, peer string) error {
	j, err := parseBare(peer)
	if err != nil {
		return err
	}
	st, err := c.store()
	if err != nil {
		return err
	}
	return st.CloseConversation(ctx, j.String())
}

// PendingSubscriptions implements Control.
func (c *Client) PendingSubscriptions() []SubscriptionRequested { return c.roster.pendingRequests() }

// clearRequests forgets every subscription request (the account changed).
func (cs *contacts) clearRequests() {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.requests = map[string]string{}
}

// resolve forgets a request and reports whether there was one.
func (cs *contacts) resolve(bare string) bool {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	_, ok := cs.requests[bare]
	delete(cs.requests, bare)
	return ok
}

// requestWithdrawn: the requester sent "unsubscribe", which withdraws a
// pending request (RFC 6121 §3.3).
func (l *link) requestWithdrawn(bare string) {
	if l.c.roster.resolve(bare) {
		l.c.events.emit(SubscriptionResolved{JID: bare})
	}
}

// requestAnsweredElsewhere: a roster push that lets the requester see our
// presence (or removes them) means another client of ours answered.
func (l *link) requestAnsweredElsewhere(subscription, bare string) {
	switch subscription {
	case "from", "both", "remove":
	default:
		return
	}
	if l.c.roster.resolve(bare) {
		l.c.events.emit(SubscriptionResolved{JID: bare, Approved: subscription != "remove"})
	}
}
