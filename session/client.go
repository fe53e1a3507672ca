package session

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"mellium.im/xmpp/jid"

	"github.com/candor-xmpp/candor/internal/store"
)

// Options configure a Client.
type Options struct {
	// DataDir holds one directory per account (see AccountDir).
	DataDir string
	// Clock drives timestamps, the reconnect schedule and keepalives
	// (nil: real time).
	Clock Clock
	// Rand draws the reconnect jitter in [0, 1) (nil: math/rand/v2).
	Rand func() float64
	// Backoff is the reconnect schedule (zero: 1s doubling up to 5m).
	Backoff Backoff
	// Resolver looks up SRV records and hosts (nil: net.DefaultResolver).
	Resolver Resolver
	// Resource asks the server for this resource ("": the server picks).
	Resource string
	// KeepAlive is how long a connection may stay quiet before a ping
	// checks it (default 60s); a ping unanswered for PingTimeout (default
	// 30s) counts as a lost connection.
	KeepAlive, PingTimeout time.Duration
	// Files configure file sharing (files_options.go).
	Files FileOptions
}

// Defaults of Options.
const (
	defaultKeepAlive   = 60 * time.Second
	defaultPingTimeout = 30 * time.Second
)

// Client is the client core for one account: it implements Backend.
type Client struct {
	opts   Options
	clock  Clock
	rand   func() float64
	res    Resolver
	events *eventQueue
	roster *contacts
	files  *fileManager

	kick chan struct{} // wakes the outbox sender (buffered, one token)

	// closing is cancelled by Close: a Login under way gives up.
	closing     context.Context
	closeCancel context.CancelFunc

	archivePage int         // messages per archive page (tests make it small)
	older       *olderLoads // LoadOlder runs, one per conversation (older.go)

	scan scanWiring // scanhook (SIMULATION): scan.go

	mu       sync.Mutex
	acct     Account // as given to Open or Login
	pass     string  // resolved password
	addr     jid.JID // the account's bare JID
	st       *store.Store
	state    ConnState
	link     *link // the live connection, nil when offline
	own      Presence
	running  bool               // Login succeeded and the reconnect loop runs
	stop     context.CancelFunc // stops the reconnect loop
	loopDone chan struct{}      // closed when the reconnect loop has returned
	closed   bool

	omemo omemoEngine // OMEMO, opened on first use (omemo.go)
}

var _ Backend = (*Client)(nil)

// New returns a Client that keeps its data under opts.DataDir. It does not
// connect; see Open and Login.
func New(opts Options) (*Client, error) {
	if opts.DataDir == "" {
		return nil, errors.New("session: no data directory")
	}
	c := &Client{
		opts:   opts,
		clock:  opts.Clock,
		rand:   opts.Rand,
		res:    opts.Resolver,
		events: newEventQueue(),
		roster: newContacts(),
		kick:   make(chan struct{}, 1),
		own:    Presence{Available: true},

		archivePage: archivePage,
		older:       newOlderLoads(),
	}
	c.closing, c.closeCancel = context.WithCancel(context.Background())
	c.files = newFileManager(c, opts.Files)
	if c.clock == nil {
		c.clock = realClock{}
	}
	if c.rand == nil {
		c.rand = rand.Float64
	}
	if c.res == nil {
		c.res = net.DefaultResolver
	}
	if c.opts.KeepAlive <= 0 {
		c.opts.KeepAlive = defaultKeepAlive
	}
	if c.opts.PingTimeout <= 0 {
		c.opts.PingTimeout = defaultPingTimeout
	}
	return c, nil
}

// AccountDir is the directory of one account's data under dataDir.
func AccountDir(dataDir, bareJID string) string {
	// JIDs may hold characters a file name should not; '/' cannot appear in
	// a bare JID, but be safe for odd input.
	name := strings.NewReplacer("/", "_", "\\", "_", "\x00", "_").Replace(bareJID)
	return filepath.Join(dataDir, name)
}

// DBPath is the account's database file under dataDir.
func DBPath(dataDir, bareJID string) string {
	return filepath.Join(AccountDir(dataDir, bareJID), "candor.db")
}

// Events implements Backend.
func (c *Client) Events() <-chan Event { return c.events.out }

// Account implements Backend: the JID is set from a successful Login until
// Close or giving up.
func (c *Client) Account() AccountInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	info := AccountInfo{State: c.state}
	if c.running && c.stop != nil {
		info.JID = c.addr.String()
	}
	if c.link != nil {
		info.Resource = c.link.resource
	}
	return info
}

// SaveAccount is the configuration's business, not the client core's: the
// command layer wraps Client to provide it.
func (c *Client) SaveAccount(Account, bool) error {
	return errors.New("session: saving the account is not supported by the client core")
}

// parseBare parses a bare JID given by the user or the UI.
func parseBare(s string) (jid.JID, error) {
	j, err := jid.Parse(strings.TrimSpace(s))
	if err != nil {
		return jid.JID{}, fmt.Errorf("invalid address %q: %v", s, err)
	}
	return j.Bare(), nil
}

// Open opens the account's store without connecting, so that the cached
// roster and history are available offline. Login calls it; calling it
// again for the same account does nothing.
func (c *Client) Open(ctx context.Context, acct Account) error {
	addr, err := parseBare(acct.JID)
	if err != nil {
		return connErr(KindConfig, err, "%v", err)
	}
	if addr.Localpart() == "" {
		return connErr(KindConfig, nil, "invalid address %q: want user@domain", acct.JID)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return errClosed
	}
	if c.st != nil {
		if !c.addr.Equal(addr) {
			return fmt.Errorf("session: %s is open; cannot open %s in the same client", c.addr, addr)
		}
		c.acct = acct
		return nil
	}
	st, err := store.Open(ctx, DBPath(c.opts.DataDir, addr.String()))
	if err != nil {
		return connErr(KindConfig, err, "cannot open the data of %s: %v", addr, err)
	}
	items, err := st.Roster(ctx)
	if err != nil {
		st.Close()
		return fmt.Errorf("read the cached roster of %s: %w", addr, err)
	}
	c.st, c.addr, c.acct = st, addr, acct
	c.roster.load(items)
	c.events.emit(RosterChanged{Contacts: c.roster.list()})
	return nil
}

var (
	errClosed  = errors.New("session: the client is closed")
	errOffline = errors.New("not connected")
	errNoStore = errors.New("no account is open")
)

// store returns the open store or an error.
func (c *Client) store() (*store.Store, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, errClosed
	}
	if c.st == nil {
		return nil, errNoStore
	}
	return c.st, nil
}

// online returns the live connection or errOffline.
func (c *Client) online() (*link, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.link == nil || c.state != Online {
		return nil, errOffline
	}
	return c.link, nil
}

// setState records and announces a connection state.
func (c *Client) setState(ev ConnectionChanged) {
	c.mu.Lock()
	c.state = ev.State
	c.mu.Unlock()
	c.events.emit(ev)
}

func (c *Client) notice(level NoticeLevel, text string) {
	c.events.emit(Notice{Level: level, Text: oneLine(text)})
}

// Close implements Backend: it ends the connection (saying goodbye to the
// server), stops reconnecting, and closes the store and the event channel.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	stop, loopDone, l := c.stop, c.loopDone, c.link
	c.mu.Unlock()
	c.closeCancel()

	if stop != nil {
		stop()
	}
	if l != nil {
		l.shutdown()
	}
	if loopDone != nil {
		<-loopDone
	}
	c.files.close()
	c.mu.Lock()
	st := c.st
	c.st = nil
	c.state = Offline
	c.mu.Unlock()
	var err error
	if st != nil {
		err = st.Close()
	}
	c.events.close()
	return err
}

// kickOutbox wakes the outbox sender.
func (c *Client) kickOutbox() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}
