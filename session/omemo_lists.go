package session

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"mellium.im/xmpp/jid"

	"github.com/candor-xmpp/candor/e2ee"
)

// Device lists and bundles on PEP: publishing ours, reading others' (on
// demand, and from notifications), and remembering per connection what was
// read, so that the lists are fetched once and then kept up to date by
// notifications.

// Publish options of OMEMO nodes: readable by anyone (XEP-0384), so that
// strangers and MUC members can start sessions.
var (
	optsOpen     = [][2]string{{"access_model", "open"}}
	optsBundles2 = [][2]string{{"max_items", "max"}, {"access_model", "open"}}
)

func (l *link) publishBundle(ctx context.Context, mgr *e2ee.Manager, v e2ee.Version) error {
	b, err := mgr.Bundle(ctx, v)
	if err != nil {
		return err
	}
	opts := optsOpen
	if v == e2ee.OMEMO2 {
		opts = optsBundles2
	}
	return l.pepPublish(ctx, bundleNode(v, mgr.DeviceID()), bundleItem(v, mgr.DeviceID()), bundleElement(v, b), opts)
}

// publishDeviceList publishes ids plus this device as our list of v.
func (l *link) publishDeviceList(ctx context.Context, mgr *e2ee.Manager, v e2ee.Version, ids []uint32) error {
	if !slices.Contains(ids, mgr.DeviceID()) {
		ids = append(slices.Clone(ids), mgr.DeviceID())
	}
	return l.pepPublish(ctx, deviceListNode(v), "current", deviceListElement(v, ids), optsOpen)
}

// fetchDeviceList reads owner's device list of v; no node is an empty list.
func (l *link) fetchDeviceList(ctx context.Context, owner jid.JID, v e2ee.Version) ([]uint32, error) {
	to := owner.Bare()
	if to.Equal(l.own) {
		to = jid.JID{}
	}
	items, err := l.pepItems(ctx, to, deviceListNode(v), "")
	if err != nil {
		return nil, err
	}
	for i := range items {
		if w, ok := items[i].deviceListOf(v); ok {
			return parseDeviceList(w)
		}
	}
	return nil, nil
}

// refreshDevices fetches both device lists of who and records them.
func (l *link) refreshDevices(ctx context.Context, who jid.JID) error {
	mgr, err := l.c.e2ee(ctx)
	if err != nil {
		return err
	}
	var errs []error
	changed := false
	for _, v := range e2ee.Versions {
		ids, err := l.fetchDeviceList(ctx, who, v)
		if err != nil {
			errs = append(errs, fmt.Errorf("%v list: %w", v, err))
			var answer *iqError
			if errors.As(err, &answer) {
				// The server answered (forbidden, say): what we knew stays,
				// and we ask again only after a while, not on every look.
				l.markAnswered(who.Bare().String(), v)
			}
			continue
		}
		c, err := l.applyDeviceList(ctx, mgr, v, who, ids)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		changed = changed || c
		l.markFetched(who.Bare().String(), v)
	}
	if changed {
		l.c.events.emit(SecurityChanged{Peer: who.Bare().String()})
	}
	return errors.Join(errs...)
}

// applyDeviceList records a device list from PEP.
// applyDeviceList records a device list from PEP; changed says whether
// devices came or went.
func (l *link) applyDeviceList(ctx context.Context, mgr *e2ee.Manager, v e2ee.Version, who jid.JID, ids []uint32) (changed bool, err error) {
	up, err := mgr.UpdateDeviceList(ctx, v, who.Bare().String(), ids)
	if err != nil {
		return false, err
	}
	if up.RepublishOwn {
		l.scheduleOwnList(v)
	}
	return len(up.Added) > 0 || len(up.Removed) > 0, nil
}

// markFetched records that who's device list of v is known on this link;
// notifications keep it up to date from then on.
func (l *link) markFetched(who string, v e2ee.Version) {
	l.om.mu.Lock()
	defer l.om.mu.Unlock()
	l.om.init()
	l.om.fetched[fmt.Sprint(who, " ", v)] = time.Time{}
}

// askAgainAfter is how long an error answer about a device list stands.
const askAgainAfter = 30 * time.Second

// markAnswered records that the server refused who's device list of v just
// now.
func (l *link) markAnswered(who string, v e2ee.Version) {
	l.om.mu.Lock()
	defer l.om.mu.Unlock()
	l.om.init()
	l.om.fetched[fmt.Sprint(who, " ", v)] = l.c.clock.Now()
}

// wasFetched reports whether both of who's device lists are known on this
// link (or were refused a moment ago).
func (l *link) wasFetched(who string) bool {
	l.om.mu.Lock()
	defer l.om.mu.Unlock()
	l.om.init()
	now := l.c.clock.Now()
	for _, v := range e2ee.Versions {
		at, ok := l.om.fetched[fmt.Sprint(who, " ", v)]
		if !ok || !at.IsZero() && now.Sub(at) > askAgainAfter {
			return false
		}
	}
	return true
}

// listsFetched reports whether both of who's device lists were fetched on
// this link: unlike wasFetched, a recent refusal does not count. Sending
// asks again after a refusal, because the peer may have published its
// first list a moment ago; only automatic refetches rest (askAgainAfter).
func (l *link) listsFetched(who string) bool {
	l.om.mu.Lock()
	defer l.om.mu.Unlock()
	l.om.init()
	for _, v := range e2ee.Versions {
		at, ok := l.om.fetched[fmt.Sprint(who, " ", v)]
		if !ok || !at.IsZero() {
			return false
		}
	}
	return true
}

// pepEvent takes a PEP notification from the handler: device lists go to
// the receive worker. Only the account itself (a bare JID, which clients
// cannot send from) publishes its PEP nodes.
func (l *link) pepEvent(w *wireMessage) {
	if w.Event == nil || w.Event.Items == nil {
		return
	}
	from := l.own
	if w.From != "" {
		j, err := jid.Parse(w.From)
		if err != nil || j.Resourcepart() != "" {
			return
		}
		from = j
	}
	for _, v := range e2ee.Versions {
		if w.Event.Items.Node != deviceListNode(v) {
			continue
		}
		for i := range w.Event.Items.Items {
			if list, ok := w.Event.Items.Items[i].deviceListOf(v); ok {
				ids, err := parseDeviceList(list)
				if err != nil {
					l.c.notice(Info, fmt.Sprintf("OMEMO: ignored the %v device list of %s: %v", v, from, err))
					return
				}
				l.push(deviceListIn{from: from, v: v, ids: ids})
				return
			}
		}
	}
}

// deviceListIn is a device list from a PEP notification, for the worker.
type deviceListIn struct {
	from jid.JID
	v    e2ee.Version
	ids  []uint32
}

// receiveDeviceList records a notified device list (in the worker).
func (l *link) receiveDeviceList(d deviceListIn) {
	ctx := context.Background()
	mgr, err := l.c.e2ee(ctx)
	if err != nil {
		return
	}
	if _, err := l.applyDeviceList(ctx, mgr, d.v, d.from, d.ids); err != nil {
		l.c.notice(Info, fmt.Sprintf("OMEMO: ignored the %v device list of %s: %v", d.v, d.from, err))
		return
	}
	l.markFetched(d.from.Bare().String(), d.v)
	l.c.events.emit(SecurityChanged{Peer: d.from.Bare().String()})
}
