package session

import (
	"context"
	"encoding/xml"
	"fmt"
	"strings"
)

// wirePresenceOut is a presence we send.
type wirePresenceOut struct {
	XMLName  xml.Name  `xml:"presence"`
	To       string    `xml:"to,attr,omitempty"`
	Type     string    `xml:"type,attr,omitempty"`
	Show     string    `xml:"show,omitempty"`
	Status   string    `xml:"status,omitempty"`
	Priority int       `xml:"priority,omitempty"`
	Caps     *wireCaps `xml:",omitempty"`
}

// maxStatus bounds the status text we send.
const maxStatus = 1024

// ownPresence is our broadcast presence for p, with our capabilities.
func ownPresence(p Presence) wirePresenceOut {
	if !p.Available {
		return wirePresenceOut{Type: "unavailable", Status: p.Status}
	}
	return wirePresenceOut{Show: string(p.Show), Status: p.Status, Caps: ourCaps()}
}

// SetPresence implements Backend. Offline, it is remembered and sent on the
// next connection.
func (c *Client) SetPresence(ctx context.Context, p Presence) error {
	if _, ok := showRank[p.Show]; !ok {
		return fmt.Errorf("unknown presence show %q: want chat, away, xa, dnd or none", p.Show)
	}
	if len(p.Status) > maxStatus {
		return fmt.Errorf("status text too long (%d bytes, at most %d)", len(p.Status), maxStatus)
	}
	p.Status = strings.Join(strings.Fields(p.Status), " ")
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return errClosed
	}
	c.own = p
	c.mu.Unlock()
	l, err := c.online()
	if err != nil {
		return nil
	}
	return l.send(ownPresence(p))
}

// AnswerSubscription implements Backend.
func (c *Client) AnswerSubscription(ctx context.Context, addr string, approve bool) error {
	j, err := parseBare(addr)
	if err != nil {
		return err
	}
	l, err := c.online()
	if err != nil {
		return err
	}
	typ := "unsubscribed"
	if approve {
		typ = "subscribed"
	}
	if err := l.send(wirePresenceOut{To: j.String(), Type: typ}); err != nil {
		return fmt.Errorf("answer to %s not sent: %v", j, err)
	}
	c.roster.answered(j.String())
	return nil
}

// receivePresence is the receive pipeline for presences: availability of
// contacts, and subscription requests and answers.
func (l *link) receivePresence(p presIn) {
	bare := p.from.Bare()
	if bare.Equal(l.own) {
		return // our own other clients
	}
	who := bare.String()
	switch p.typ {
	case "", "unavailable", "error":
		agg := l.c.roster.setPresence(who, p.from.Resourcepart(), p.presence, p.priority)
		l.c.events.emit(PresenceChanged{JID: who, Resource: p.from.Resourcepart(), Presence: agg})
	case "subscribe":
		l.c.roster.request(who, p.status)
		l.c.events.emit(SubscriptionRequested{JID: who, Message: p.status})
	case "unsubscribe":
		l.requestWithdrawn(who)
	case "subscribed":
		l.c.notice(Info, who+" accepted your request to see their presence")
	case "unsubscribed":
		l.c.notice(Info, who+" did not allow you to see their presence (or withdrew it)")
		l.c.roster.forgetPresence(who)
		l.c.events.emit(PresenceChanged{JID: who})
	}
}
