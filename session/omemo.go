package session

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"mellium.im/xmpp/jid"

	"github.com/candor-xmpp/candor/e2ee"
	"github.com/candor-xmpp/candor/internal/store"
)

// OMEMO in the client core: the account's e2ee.Manager and, per connection,
// the goroutine that talks to PEP (publishing our device list and bundles,
// fetching others'). The receive worker never waits on the network: it hands
// such work to that goroutine as jobs.

// VersionPreference says which OMEMO version to send with.
type VersionPreference string

const (
	// PreferAuto sends OMEMO 2 to contacts that publish an OMEMO 2 device
	// list and legacy OMEMO to the others (the default).
	PreferAuto VersionPreference = ""
	// PreferLegacy always sends legacy OMEMO (what Conversations, Dino,
	// Gajim and Profanity read).
	PreferLegacy VersionPreference = "legacy"
	// PreferOMEMO2 always sends OMEMO 2.
	PreferOMEMO2 VersionPreference = "2"
)

// omemoEngine is the account's OMEMO, opened on first use with its store.
type omemoEngine struct {
	mu   sync.Mutex
	mgr  *e2ee.Manager
	st   *store.Store // the store mgr was opened on
	pref VersionPreference
}

// SetOMEMOVersion sets which OMEMO version messages are sent with.
func (c *Client) SetOMEMOVersion(p VersionPreference) error {
	switch p {
	case PreferAuto, PreferLegacy, PreferOMEMO2:
	default:
		return fmt.Errorf("unknown OMEMO version %q: want legacy, 2 or auto", p)
	}
	c.omemo.mu.Lock()
	defer c.omemo.mu.Unlock()
	c.omemo.pref = p
	return nil
}

// e2ee returns the account's OMEMO manager, creating this device's
// identity on first use.
func (c *Client) e2ee(ctx context.Context) (*e2ee.Manager, error) {
	st, err := c.store()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	own := c.addr
	c.mu.Unlock()
	c.omemo.mu.Lock()
	defer c.omemo.mu.Unlock()
	if c.omemo.mgr != nil && c.omemo.st == st {
		return c.omemo.mgr, nil
	}
	mgr, err := e2ee.Open(ctx, e2ee.Config{Store: st.OMEMO(), OwnJID: own.String(), Now: c.clock.Now})
	if err != nil {
		return nil, fmt.Errorf("OMEMO is unavailable: %v", err)
	}
	c.omemo.mgr, c.omemo.st = mgr, st
	return mgr, nil
}

func (c *Client) versionPreference() VersionPreference {
	c.omemo.mu.Lock()
	defer c.omemo.mu.Unlock()
	return c.omemo.pref
}

// omemoLink is a connection's OMEMO work queue: jobs by key (a newer job
// replaces a pending one with the same key), run in order by omemoLoop.
type omemoLink struct {
	mu       sync.Mutex
	order    []string
	pending  map[string]func(context.Context)
	wake     chan struct{}
	fetched  map[string]time.Time  // "jid version": device lists fetched or notified on this link (zero time: for good)
	reported map[e2ee.Address]bool // devices the user was told need a trust decision

	// announced is closed once this device was announced on this link (or
	// announcing failed): encrypted messages wait for it, or a recipient
	// would look for our keys before they are published.
	announced    chan struct{}
	announceOnce sync.Once
}

func (o *omemoLink) init() {
	if o.wake == nil {
		o.wake = make(chan struct{}, 1)
		o.pending = map[string]func(context.Context){}
		o.fetched = map[string]time.Time{}
		o.reported = map[e2ee.Address]bool{}
		o.announced = make(chan struct{})
	}
}

// announcedCh is closed once this device is announced on the link.
func (l *link) announcedCh() <-chan struct{} {
	l.om.mu.Lock()
	defer l.om.mu.Unlock()
	l.om.init()
	return l.om.announced
}

// schedule queues job under key for the OMEMO goroutine.
func (l *link) schedule(key string, job func(context.Context)) {
	o := &l.om
	o.mu.Lock()
	o.init()
	if _, ok := o.pending[key]; !ok {
		o.order = append(o.order, key)
	}
	o.pending[key] = job
	o.mu.Unlock()
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// nextJob takes the oldest pending job.
func (l *link) nextJob() (string, func(context.Context), bool) {
	o := &l.om
	o.mu.Lock()
	defer o.mu.Unlock()
	o.init()
	if len(o.order) == 0 {
		return "", nil, false
	}
	key := o.order[0]
	o.order = o.order[1:]
	job := o.pending[key]
	delete(o.pending, key)
	return key, job, true
}

// maintainEvery is how often prekeys are checked for rotation and refill.
const maintainEvery = 24 * time.Hour

// omemoLoop runs while the link is up: it announces this device, then runs
// jobs as they come and maintains the prekeys daily.
func (l *link) omemoLoop() {
	l.om.mu.Lock()
	l.om.init()
	wake := l.om.wake
	l.om.mu.Unlock()
	l.announce(l.ctx)
	for {
		for {
			key, job, ok := l.nextJob()
			if !ok {
				break
			}
			func() {
				defer func() {
					if r := recover(); r != nil {
						l.c.notice(Warning, fmt.Sprintf("OMEMO: internal error in %s: %v", key, r))
					}
				}()
				job(l.ctx)
			}()
			if l.ctx.Err() != nil {
				return
			}
		}
		select {
		case <-wake:
		case <-l.c.clock.After(maintainEvery):
			l.schedule("maintain", l.maintain)
		case <-l.ctx.Done():
			return
		}
	}
}

// announce makes this device known: it reads our own device lists
// (learning our other devices), adds this device where missing, and
// publishes both bundles (XEP-0384: fetch the own list explicitly at login,
// not only through +notify).
func (l *link) announce(ctx context.Context) {
	defer func() {
		l.om.mu.Lock()
		l.om.init()
		ch := l.om.announced
		l.om.mu.Unlock()
		l.om.announceOnce.Do(func() { close(ch) })
	}()
	mgr, err := l.c.e2ee(ctx)
	if err != nil {
		l.c.notice(Error, err.Error())
		l.c.events.emit(OMEMOReady{Err: err.Error()})
		return
	}
	var problems []string
	problem := func(format string, args ...any) {
		if ctx.Err() == nil {
			p := fmt.Sprintf(format, args...)
			problems = append(problems, p)
			l.c.notice(Warning, "OMEMO: "+p)
		}
	}
	if _, err := mgr.Maintain(ctx); err != nil {
		problem("prekey maintenance failed: %v", err)
	}
	for _, v := range e2ee.Versions {
		if err := l.publishBundle(ctx, mgr, v); err != nil {
			problem("cannot publish this device's %v keys: %v", v, err)
		}
	}
	for _, v := range e2ee.Versions {
		ids, err := l.fetchDeviceList(ctx, l.own, v)
		if err != nil {
			problem("cannot read our own %v device list: %v", v, err)
			continue
		}
		up, err := mgr.UpdateDeviceList(ctx, v, l.own.String(), ids)
		if err != nil {
			problem("%v", err)
			continue
		}
		l.markFetched(l.own.String(), v)
		if up.RepublishOwn {
			if err := l.publishDeviceList(ctx, mgr, v, ids); err != nil {
				problem("cannot announce this device in the %v device list: %v", v, err)
			}
		}
	}
	if ctx.Err() != nil {
		return
	}
	l.c.events.emit(SecurityChanged{Peer: l.own.String()})
	l.c.events.emit(OMEMOReady{Device: mgr.DeviceID(), Fingerprint: mgr.Fingerprint().String(), Err: strings.Join(problems, "; ")})
}

// maintain rotates and refills prekeys and republishes what changed.
func (l *link) maintain(ctx context.Context) {
	mgr, err := l.c.e2ee(ctx)
	if err != nil {
		return
	}
	changed, err := mgr.Maintain(ctx)
	if err != nil {
		l.c.notice(Warning, "OMEMO: prekey maintenance failed: "+err.Error())
		return
	}
	for _, v := range e2ee.Versions {
		if changed.Has(v) {
			l.scheduleBundle(v)
		}
	}
}

// scheduleBundle republishes our bundle of v.
func (l *link) scheduleBundle(v e2ee.Version) {
	l.schedule(fmt.Sprintf("bundle %d", v), func(ctx context.Context) {
		mgr, err := l.c.e2ee(ctx)
		if err != nil {
			return
		}
		if err := l.publishBundle(ctx, mgr, v); err != nil && ctx.Err() == nil {
			l.c.notice(Warning, fmt.Sprintf("OMEMO: cannot publish this device's %v keys: %v", v, err))
		}
	})
}

// scheduleOwnList adds this device to our own device list of v again
// (someone published it without us).
func (l *link) scheduleOwnList(v e2ee.Version) {
	l.schedule(fmt.Sprintf("own list %d", v), func(ctx context.Context) {
		mgr, err := l.c.e2ee(ctx)
		if err != nil {
			return
		}
		ids, err := l.fetchDeviceList(ctx, l.own, v)
		if err != nil {
			if ctx.Err() == nil {
				l.c.notice(Warning, fmt.Sprintf("OMEMO: cannot read our own %v device list: %v", v, err))
			}
			return
		}
		if slices.Contains(ids, mgr.DeviceID()) {
			return
		}
		if err := l.publishDeviceList(ctx, mgr, v, ids); err != nil && ctx.Err() == nil {
			l.c.notice(Warning, fmt.Sprintf("OMEMO: cannot announce this device in the %v device list: %v", v, err))
		}
	})
}

// scheduleRefetch fetches jid's device lists again (a message came from a
// device they do not list).
func (l *link) scheduleRefetch(who jid.JID) {
	l.schedule("lists "+who.String(), func(ctx context.Context) {
		if err := l.refreshDevices(ctx, who); err != nil && ctx.Err() == nil {
			l.c.notice(Info, fmt.Sprintf("OMEMO: cannot read the device lists of %s: %v", who, err))
		}
	})
}
