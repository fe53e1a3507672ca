package session

import (
	"context"
	"encoding/xml"
	"fmt"
	"net"
	"sync"
	"time"

	"mellium.im/xmpp"
	"mellium.im/xmpp/jid"

	"github.com/candor-xmpp/candor/internal/store"
)

// link is one connection: the negotiated session, the goroutine that reads
// it (mellium's Serve), the receive worker fed by the handler, and the
// goroutines that live while it is up (outbox sender, keepalive).
type link struct {
	c        *Client
	own      jid.JID // the account's bare JID
	full     jid.JID // the bound full JID
	resource string
	s        *xmpp.Session
	conn     net.Conn
	st       *store.Store

	sm       streamMgmt
	smResult chan bool // <enabled/> (true) or <failed/> (false)

	// in carries decoded stanzas from the handler to the receive worker.
	in       chan inbound
	inMu     sync.RWMutex
	inClosed bool

	ctx    context.Context // cancelled when the link goes down
	cancel context.CancelFunc
	wg     sync.WaitGroup // every goroutine of the link

	serveDone chan struct{}
	closeOnce sync.Once
	downMu    sync.Mutex
	downErr   error // why the link went down

	mamMu      sync.Mutex
	mamQueries map[string]bool // archive queries in flight, by query id

	noMAM bool // the server has no archive (set before the outbox starts)

	sendMu  sync.Mutex
	written map[int64]bool           // outbox entries written on this link, awaiting an ack
	byMsgID map[string]store.Message // the same, by stanza id

	// Owned by the receive worker.
	catchingUp bool
	caughtUp   bool
	fetched    int  // messages the current catch-up added
	oldHistory bool // the current catch-up fetches old history, not news
	held       []msgIn
	older      map[string]*olderBatch // older-history queries, by query id (older.go)
	olderFloor int64                  // the lowest id reserved for older history

	om   omemoLink   // OMEMO jobs of this connection (omemo.go)
	wire wireCapture // received messages' bytes for the inspector
}

// inbound is an item for the receive worker: msgIn, presIn, rosterPush,
// smAcked or one of the catch-up markers.
type inbound any

// inboundBuffer is how many decoded stanzas may wait for the worker before
// the handler (and so the reading of the stream) waits.
const inboundBuffer = 256

func newLink(c *Client, own jid.JID, st *store.Store) *link {
	ctx, cancel := context.WithCancel(context.Background())
	return &link{
		c:          c,
		own:        own,
		st:         st,
		smResult:   make(chan bool, 1),
		in:         make(chan inbound, inboundBuffer),
		ctx:        ctx,
		cancel:     cancel,
		serveDone:  make(chan struct{}),
		mamQueries: map[string]bool{},
		older:      map[string]*olderBatch{},
		written:    map[int64]bool{},
		byMsgID:    map[string]store.Message{},
	}
}

// goSafe runs f as a goroutine of the link; a panic is reported and takes the
// link down instead of the program.
func (l *link) goSafe(name string, f func()) {
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		defer func() {
			if r := recover(); r != nil {
				l.c.notice(Error, fmt.Sprintf("internal error in %s: %v", name, r))
				l.abort(fmt.Errorf("internal error in %s", name))
			}
		}()
		f()
	}()
}

// start begins reading the stream and processing what arrives.
func (l *link) start(s *xmpp.Session) {
	l.s = s
	l.full = s.LocalAddr()
	l.resource = l.full.Resourcepart()
	l.goSafe("receive", l.worker)
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		var err error
		func() {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("internal error reading the stream: %v", r)
				}
			}()
			err = s.Serve(l)
		}()
		l.down(err)
		// Nothing else will read or write this connection.
		l.conn.Close()
		l.inMu.Lock()
		l.inClosed = true
		close(l.in)
		l.inMu.Unlock()
		close(l.serveDone)
	}()
}

// down records the first reason the link went down and stops its
// goroutines.
func (l *link) down(err error) {
	l.downMu.Lock()
	if l.downErr == nil {
		if err == nil {
			err = errServerClosed
		}
		l.downErr = err
	}
	l.downMu.Unlock()
	l.cancel()
}

var errServerClosed = fmt.Errorf("the server closed the connection")

// reason is why the link went down.
func (l *link) reason() error {
	l.downMu.Lock()
	defer l.downMu.Unlock()
	return l.downErr
}

// abort drops the connection at once (it is dead or misbehaving).
func (l *link) abort(err error) {
	l.down(err)
	if l.conn != nil {
		l.conn.Close()
	}
}

// shutdown ends the stream politely, then waits for every goroutine. It
// may be called more than once, from several goroutines.
func (l *link) shutdown() {
	l.closeOnce.Do(func() {
		l.down(errClosedByUser)
		if l.s != nil {
			// Our </stream:stream>; the server answers with its own, which
			// ends Serve. (mellium's SetCloseDeadline would race with Serve.)
			// Close waits for the writers' lock, so it must not hold us up.
			go l.s.Close()
			select {
			case <-l.serveDone:
			case <-time.After(closeWait):
			}
		}
		l.conn.Close()
	})
	l.wg.Wait()
}

// closeWait bounds the wait for the server's end of the stream.
const closeWait = 2 * time.Second

var errClosedByUser = fmt.Errorf("disconnected")

// push hands an item to the receive worker; false once the link is down.
func (l *link) push(item inbound) bool {
	l.inMu.RLock()
	defer l.inMu.RUnlock()
	if l.inClosed {
		return false
	}
	l.in <- item
	return true
}

// send writes one stanza (or other element) with a timeout.
func (l *link) send(v any) error {
	ctx, cancel := context.WithTimeout(l.ctx, sendTimeout)
	defer cancel()
	return l.s.Encode(ctx, v)
}

// sendTokens writes the element r with a timeout.
func (l *link) sendTokens(r xml.TokenReader) error {
	ctx, cancel := context.WithTimeout(l.ctx, sendTimeout)
	defer cancel()
	return l.s.Send(ctx, r)
}

// sendTimeout bounds the writing of one element.
const sendTimeout = 30 * time.Second

// trackQuery registers or forgets an archive query id.
func (l *link) trackQuery(id string, on bool) {
	l.mamMu.Lock()
	defer l.mamMu.Unlock()
	if on {
		l.mamQueries[id] = true
	} else {
		delete(l.mamQueries, id)
	}
}

func (l *link) isQuery(id string) bool {
	l.mamMu.Lock()
	defer l.mamMu.Unlock()
	return l.mamQueries[id]
}

// requestTimeout bounds one request (IQ) on the link.
const requestTimeout = 30 * time.Second

// requestContext bounds a request by requestTimeout, ctx and the link's
// life: a request on a link that went down fails at once.
func (l *link) requestContext(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	stop := context.AfterFunc(l.ctx, cancel)
	return ctx, func() {
		stop()
		cancel()
	}
}
