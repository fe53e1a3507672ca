package session

import (
	"context"
	"encoding/xml"
	"fmt"
	"strings"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
	"mellium.im/xmpp/stanza"

	"github.com/candor-xmpp/candor/internal/store"
)

// nsRosterVer is the stream feature of roster versioning (RFC 6121 §2.6).
const nsRosterVer = "urn:xmpp:features:rosterver"

// fetchRoster gets the roster, sending the cached version when the server
// supports versioning: an empty answer then means the cache is current.
func (c *Client) fetchRoster(ctx context.Context, l *link) error {
	_, versioned := l.s.Feature(nsRosterVer)
	var attrs []xml.Attr
	if versioned {
		ver, err := l.st.RosterVersion(ctx)
		if err != nil {
			return err
		}
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "ver"}, Value: ver})
	}
	query := xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsRoster, Local: "query"}, Attr: attrs})
	var res wireRosterQuery
	if err := l.s.UnmarshalIQ(ctx, stanza.IQ{Type: stanza.GetIQ}.Wrap(query), &res); err != nil {
		return fmt.Errorf("roster request failed: %w", err)
	}
	if res.XMLName.Local != "" || !versioned {
		items := make([]store.RosterItem, 0, len(res.Items))
		for _, w := range res.Items {
			if it, ok := rosterItem(w); ok {
				items = append(items, it)
			}
		}
		ver := ""
		if res.Ver != nil {
			ver = *res.Ver
		}
		if err := l.st.ReplaceRoster(ctx, ver, items); err != nil {
			return err
		}
	}
	items, err := l.st.Roster(ctx)
	if err != nil {
		return err
	}
	c.roster.load(items)
	c.events.emit(RosterChanged{Contacts: c.roster.list()})
	return nil
}

// rosterItem validates a roster item from the wire.
func rosterItem(w wireRosterItem) (store.RosterItem, bool) {
	j, err := jid.Parse(w.JID)
	if err != nil || w.JID == "" {
		return store.RosterItem{}, false
	}
	sub := w.Subscription
	switch sub {
	case "none", "to", "from", "both", "remove":
	case "":
		sub = "none"
	default:
		return store.RosterItem{}, false
	}
	var groups []string
	for _, g := range w.Groups {
		if g = strings.TrimSpace(g); g != "" {
			groups = append(groups, g)
		}
	}
	return store.RosterItem{JID: j.Bare().String(), Name: strings.TrimSpace(w.Name), Subscription: sub,
		Ask: w.Ask == "subscribe", Groups: groups}, true
}

// applyRosterPush is the receive pipeline for roster pushes.
func (l *link) applyRosterPush(p rosterPush) {
	it, ok := rosterItem(p.item)
	if !ok {
		return
	}
	if err := l.st.ApplyRosterPush(context.Background(), p.ver, it); err != nil {
		l.c.notice(Error, "roster change not stored: "+err.Error())
		return
	}
	l.c.roster.apply(it)
	l.c.events.emit(RosterChanged{Contacts: l.c.roster.list()})
	l.requestAnsweredElsewhere(it.Subscription, it.JID)
}

// Contacts implements Backend.
func (c *Client) Contacts() []Contact { return c.roster.list() }

// AddContact implements Backend: the contact goes into the roster and is
// asked to let us see their presence.
func (c *Client) AddContact(ctx context.Context, addr, name string) error {
	j, err := parseBare(addr)
	if err != nil {
		return err
	}
	l, err := c.online()
	if err != nil {
		return err
	}
	if j.Equal(l.own) {
		return fmt.Errorf("cannot add your own address %s as a contact", j)
	}
	if err := setRosterItem(ctx, l, j, strings.TrimSpace(name), ""); err != nil {
		return fmt.Errorf("adding %s failed: %v", j, err)
	}
	if err := l.send(wirePresenceOut{To: j.String(), Type: "subscribe"}); err != nil {
		return fmt.Errorf("subscription request to %s not sent: %v", j, err)
	}
	return nil
}

// RemoveContact implements Backend: the server also cancels the
// subscriptions both ways.
func (c *Client) RemoveContact(ctx context.Context, addr string) error {
	j, err := parseBare(addr)
	if err != nil {
		return err
	}
	l, err := c.online()
	if err != nil {
		return err
	}
	if err := setRosterItem(ctx, l, j, "", "remove"); err != nil {
		return fmt.Errorf("removing %s failed: %v", j, err)
	}
	return nil
}

// setRosterItem sends a roster set; the change comes back as a push.
func setRosterItem(ctx context.Context, l *link, j jid.JID, name, subscription string) error {
	attrs := []xml.Attr{{Name: xml.Name{Local: "jid"}, Value: j.String()}}
	if name != "" {
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "name"}, Value: name})
	}
	if subscription != "" {
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "subscription"}, Value: subscription})
	}
	item := xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Local: "item"}, Attr: attrs})
	query := xmlstream.Wrap(item, xml.StartElement{Name: xml.Name{Space: nsRoster, Local: "query"}})
	ctx, cancel := l.requestContext(ctx)
	defer cancel()
	return l.s.UnmarshalIQ(ctx, stanza.IQ{Type: stanza.SetIQ}.Wrap(query), nil)
}
