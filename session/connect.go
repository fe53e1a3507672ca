package session

import (
	"context"
	"encoding/xml"
	"io"
	"time"

	"mellium.im/sasl"
	"mellium.im/xmlstream"
	"mellium.im/xmpp"
	"mellium.im/xmpp/carbons"
)

// Bounds of one connection attempt.
const (
	negotiationTimeout = 30 * time.Second // TLS, authentication, binding
	setupTimeout       = 30 * time.Second // each request of the setup after binding
	smEnableTimeout    = 10 * time.Second
)

// connect makes one connection attempt: dial, negotiate, then the setup
// that makes the account Online (stream management, roster, carbons,
// presence). Archive catch-up and the outbox follow in the background.
func (c *Client) connect(ctx context.Context) (*link, error) {
	c.mu.Lock()
	acct, pass, own, st := c.acct, c.pass, c.addr, c.st
	c.mu.Unlock()
	if st == nil {
		return nil, connErr(KindConfig, errNoStore, "no account is open")
	}
	mode := acct.TLS
	if mode == "" {
		mode = TLSStartTLS
	}
	domain := own.Domainpart()
	server := acct.Server
	if server == "" {
		server = domain
	}

	ctx, cancel := context.WithTimeout(ctx, dialTimeout+negotiationTimeout)
	defer cancel()
	eps, err := endpoints(ctx, c.res, acct, domain)
	if err != nil {
		return nil, classify(err, own.String(), server)
	}
	cfg, err := tlsConfig(acct, domain)
	if err != nil {
		return nil, classify(err, own.String(), server)
	}
	conn, ep, err := dialEndpoints(ctx, c.res, eps, cfg, mode == TLSPlain)
	if err != nil {
		return nil, classify(err, own.String(), ep.String())
	}

	l := newLink(c, own, st)
	l.conn = conn
	var feats []xmpp.StreamFeature
	if mode != TLSPlain && !ep.directTLS {
		feats = append(feats, xmpp.StartTLS(cfg))
	}
	if c.opts.Resource != "" {
		if _, err := own.WithResource(c.opts.Resource); err != nil {
			conn.Close()
			return nil, connErr(KindConfig, err, "resource %q: %v", c.opts.Resource, err)
		}
	}
	feats = append(feats, saslFeature(pass, mode == TLSPlain), bindFeature(c.opts.Resource))
	teeIn := newConsoleTee(c, false, func(p piece) { l.sm.observeIn(p); l.wire.observe(p) })
	teeOut := newConsoleTee(c, true, l.sm.observeOut)
	// mellium interrupts a read on cancellation by setting and at once
	// clearing a deadline, which a read can miss; closing cannot be missed.
	stopClose := context.AfterFunc(ctx, func() { conn.Close() })
	defer stopClose()
	s, err := xmpp.NewSession(ctx, own.Domain(), own, conn, 0, xmpp.NewNegotiator(
		func(*xmpp.Session, *xmpp.StreamConfig) xmpp.StreamConfig {
			return xmpp.StreamConfig{Features: feats, TeeIn: teeIn, TeeOut: teeOut}
		}))
	if err != nil {
		conn.Close()
		if s != nil && mode == TLSPlain {
			if _, tlsRequired := s.Feature(nsTLS); tlsRequired {
				return nil, connErr(KindConfig, err, "server %s requires TLS: tls = \"plain\" cannot log in there", ep)
			}
		}
		return nil, classify(err, own.String(), ep.String())
	}
	l.start(s)
	if err := c.setup(l); err != nil {
		l.abort(err)
		l.wg.Wait()
		return nil, classify(err, own.String(), ep.String())
	}
	return l, nil
}

// saslFeature authenticates with the strongest mechanism both sides know.
// PLAIN is only offered inside TLS; in plain mode (loopback only) SASL runs
// without TLS, which mellium's feature would refuse.
func saslFeature(pass string, plain bool) xmpp.StreamFeature {
	mechs := []sasl.Mechanism{sasl.ScramSha256Plus, sasl.ScramSha1Plus, sasl.ScramSha256, sasl.ScramSha1}
	if !plain {
		mechs = append(mechs, sasl.Plain)
	}
	f := xmpp.SASL("", pass, mechs...)
	if plain {
		f.Necessary = 0
	}
	negotiate := f.Negotiate
	f.Negotiate = func(ctx context.Context, s *xmpp.Session, data any) (xmpp.SessionState, io.ReadWriter, error) {
		mask, rw, err := negotiate(ctx, s, data)
		if err != nil {
			offers, _ := data.([]string)
			err = &authError{err: err, offers: offers}
		}
		return mask, rw, err
	}
	return f
}

// setup runs the requests that make a bound stream Online.
func (c *Client) setup(l *link) error {
	if _, ok := l.s.Feature(nsSM); ok {
		if err := l.send(struct {
			XMLName xml.Name `xml:"urn:xmpp:sm:3 enable"`
		}{}); err != nil {
			return err
		}
		select {
		case ok := <-l.smResult:
			if !ok {
				c.notice(Info, "the server refused stream management; relying on the archive to confirm sent messages")
			}
		case <-time.After(smEnableTimeout):
			c.notice(Info, "the server did not answer the stream management request")
		case <-l.ctx.Done():
			return l.reason()
		}
	}
	ctx, cancel := context.WithTimeout(l.ctx, setupTimeout)
	defer cancel()
	if err := c.fetchRoster(ctx, l); err != nil {
		return err
	}
	if err := carbons.Enable(ctx, l.s); err != nil {
		if l.ctx.Err() != nil {
			return l.reason()
		}
		c.notice(Warning, "message carbons unavailable: "+oneLine(err.Error())+"; other clients of this account will not see this one's messages live")
	}
	// From here until the archive is caught up, live messages wait so that
	// local ids follow the conversation's order (offline messages arrive as
	// soon as our presence goes out).
	l.catchUpPending()
	c.mu.Lock()
	own := c.own
	c.mu.Unlock()
	return l.send(ownPresence(own))
}

// online makes l the live connection.
func (c *Client) goOnline(l *link) {
	c.mu.Lock()
	c.link = l
	c.mu.Unlock()
	// Pending subscription requests need no repeating: the server sends
	// them again after our initial presence (RFC 6121 §3.1.3).
	c.setState(ConnectionChanged{State: Online})
	l.goSafe("sync", l.afterOnline)
	l.goSafe("keepalive", l.keepAlive)
	l.goSafe("omemo", l.omemoLoop)
}

// afterOnline catches up with the archive, then sends the outbox.
func (l *link) afterOnline() {
	l.catchUp()
	l.outboxLoop()
}

// keepAlive pings the server when the stream has been quiet and drops the
// connection when no answer comes.
func (l *link) keepAlive() {
	for {
		select {
		case <-l.ctx.Done():
			return
		case <-l.c.clock.After(l.c.opts.KeepAlive):
		}
		ctx, cancel := context.WithTimeout(l.ctx, l.c.opts.PingTimeout)
		err := l.s.UnmarshalIQ(ctx, pingIQ(), nil)
		cancel()
		if l.ctx.Err() != nil {
			return
		}
		if err != nil && ctx.Err() != nil {
			l.abort(errNoPong)
			return
		}
		// Any answer, even an error, shows the stream is alive.
	}
}

var errNoPong = connErr(KindNetwork, nil, "the server stopped answering (ping timed out)")

func pingIQ() xml.TokenReader {
	return xmlstream.Wrap(
		xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsPing, Local: "ping"}}),
		xml.StartElement{Name: xml.Name{Local: "iq"}, Attr: []xml.Attr{{Name: xml.Name{Local: "type"}, Value: "get"}}},
	)
}
