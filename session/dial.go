package session

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"os"
	"sort"
	"strconv"
	"time"
)

// Resolver is the DNS a Client uses; *net.Resolver satisfies it.
type Resolver interface {
	LookupSRV(ctx context.Context, service, proto, name string) (string, []*net.SRV, error)
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// endpoint is one place to connect to.
type endpoint struct {
	host      string
	port      uint16
	directTLS bool // TLS from the first byte (XEP-0368), else STARTTLS or plain
}

func (e endpoint) String() string {
	return net.JoinHostPort(e.host, strconv.Itoa(int(e.port)))
}

// Default ports (RFC 6120, XEP-0368).
const (
	portStartTLS  = 5222
	portDirectTLS = 5223
)

// dialTimeout bounds one TCP (and direct TLS) connection attempt.
const dialTimeout = 15 * time.Second

// endpoints lists where to connect for domain, in order: the account's
// server when set, else the SRV records (direct TLS and STARTTLS merged by
// priority, as XEP-0368 asks), else the domain on the default port.
func endpoints(ctx context.Context, r Resolver, acct Account, domain string) ([]endpoint, error) {
	mode := acct.TLS
	if acct.Server != "" {
		host, portStr, err := net.SplitHostPort(acct.Server)
		if err != nil {
			// No port: the default one for the mode.
			host, portStr = acct.Server, ""
		}
		port := uint16(portStartTLS)
		if mode == TLSDirect {
			port = portDirectTLS
		}
		if portStr != "" {
			p, err := strconv.ParseUint(portStr, 10, 16)
			if err != nil || p == 0 {
				return nil, connErr(KindConfig, err, "server %q: bad port %q", acct.Server, portStr)
			}
			port = uint16(p)
		}
		if host == "" {
			return nil, connErr(KindConfig, nil, "server %q: no host", acct.Server)
		}
		return []endpoint{{host: host, port: port, directTLS: mode == TLSDirect}}, nil
	}
	if mode == TLSPlain {
		return []endpoint{{host: domain, port: portStartTLS}}, nil
	}

	type result struct {
		srvs []*net.SRV
		err  error
	}
	lookup := func(service string) result {
		_, srvs, err := r.LookupSRV(ctx, service, "tcp", domain)
		// A single "." target says the service is deliberately not offered.
		if len(srvs) == 1 && (srvs[0].Target == "." || srvs[0].Target == "") {
			srvs = nil
		}
		return result{srvs, err}
	}
	direct := make(chan result, 1)
	go func() { direct <- lookup("xmpps-client") }()
	var starttls result
	if mode != TLSDirect {
		starttls = lookup("xmpp-client")
	}
	d := <-direct

	type ranked struct {
		endpoint
		prio uint16
	}
	var all []ranked
	for _, s := range d.srvs {
		all = append(all, ranked{endpoint{host: trimDot(s.Target), port: s.Port, directTLS: true}, s.Priority})
	}
	for _, s := range starttls.srvs {
		all = append(all, ranked{endpoint{host: trimDot(s.Target), port: s.Port}, s.Priority})
	}
	// LookupSRV already ordered each list by priority and weight; a stable
	// sort merges them and keeps direct TLS first among equals.
	sort.SliceStable(all, func(i, j int) bool { return all[i].prio < all[j].prio })
	out := make([]endpoint, 0, len(all)+1)
	for _, r := range all {
		out = append(out, r.endpoint)
	}
	if len(out) == 0 {
		if mode == TLSDirect {
			out = append(out, endpoint{host: domain, port: portDirectTLS, directTLS: true})
		} else {
			out = append(out, endpoint{host: domain, port: portStartTLS})
		}
	}
	return out, nil
}

func trimDot(host string) string {
	if n := len(host); n > 1 && host[n-1] == '.' {
		return host[:n-1]
	}
	return host
}

// tlsConfig verifies the server as domain, against the system's roots plus
// the account's CA file.
func tlsConfig(acct Account, domain string) (*tls.Config, error) {
	cfg := &tls.Config{ServerName: domain, MinVersion: tls.VersionTLS12}
	if acct.CAFile == "" {
		return cfg, nil
	}
	pem, err := os.ReadFile(acct.CAFile)
	if err != nil {
		return nil, connErr(KindConfig, err, "ca_file: %v", err)
	}
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	if !roots.AppendCertsFromPEM(pem) {
		return nil, connErr(KindConfig, nil, "ca_file %s: no PEM certificate in it", acct.CAFile)
	}
	cfg.RootCAs = roots
	return cfg, nil
}

// dialEndpoints connects to the first endpoint that answers. Direct TLS
// endpoints complete the handshake here, so certificate errors show at once.
// In plain mode the server must be on loopback, checked on the addresses
// actually dialled.
func dialEndpoints(ctx context.Context, r Resolver, eps []endpoint, cfg *tls.Config, plain bool) (net.Conn, endpoint, error) {
	var firstErr error
	var certErr error
	for _, ep := range eps {
		addr := ep.String()
		if plain {
			ip, err := loopbackAddr(ctx, r, ep.host)
			if err != nil {
				return nil, ep, err
			}
			addr = net.JoinHostPort(ip.String(), strconv.Itoa(int(ep.port)))
		}
		nd := &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}
		var conn net.Conn
		var err error
		if ep.directTLS {
			c := cfg.Clone()
			c.NextProtos = []string{"xmpp-client"}
			conn, err = (&tls.Dialer{NetDialer: nd, Config: c}).DialContext(ctx, "tcp", addr)
		} else {
			conn, err = nd.DialContext(ctx, "tcp", addr)
		}
		if err == nil {
			return conn, ep, nil
		}
		if ctx.Err() != nil {
			return nil, ep, err
		}
		if firstErr == nil {
			firstErr = err
		}
		var ce *tls.CertificateVerificationError
		if certErr == nil && errors.As(err, &ce) {
			certErr = err
		}
	}
	// A certificate problem is what the user must hear about; otherwise the
	// first endpoint's error (the preferred one) tells the most.
	if certErr != nil {
		return nil, eps[0], certErr
	}
	if firstErr == nil {
		firstErr = errors.New("no address to connect to")
	}
	return nil, eps[0], firstErr
}

// loopbackAddr resolves host and accepts it only if every address is a
// loopback one: plain TCP never leaves the machine.
func loopbackAddr(ctx context.Context, r Resolver, host string) (net.IP, error) {
	if ip := net.ParseIP(host); ip != nil {
		if !ip.IsLoopback() {
			return nil, connErr(KindConfig, nil, "tls = \"plain\" is only allowed to a loopback server, not %s", host)
		}
		return ip, nil
	}
	addrs, err := r.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, err
	}
	if len(addrs) == 0 {
		return nil, &net.DNSError{Err: "no address", Name: host, IsNotFound: true}
	}
	for _, a := range addrs {
		if !a.IP.IsLoopback() {
			return nil, connErr(KindConfig, nil, "tls = \"plain\" is only allowed to a loopback server; %s resolves to %s", host, a.IP)
		}
	}
	return addrs[0].IP, nil
}

// checkMode rejects an unknown TLS mode.
func checkMode(m TLSMode) error {
	switch m {
	case "", TLSStartTLS, TLSDirect, TLSPlain:
		return nil
	}
	return connErr(KindConfig, nil, "tls = %q: want \"starttls\", \"direct\" or \"plain\"", string(m))
}
