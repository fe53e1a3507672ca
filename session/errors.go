package session

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"reflect"
	"strings"
	"syscall"

	"mellium.im/xmpp/stream"
)

// ErrorKind classifies a failed connection attempt.
type ErrorKind int

const (
	KindNetwork     ErrorKind = iota // the network failed; retrying may help
	KindUnknownHost                  // the server's name does not resolve
	KindRefused                      // nothing listens at the server's address
	KindCertificate                  // the server's certificate is not trusted
	KindAuth                         // wrong password, unknown account, no usable mechanism
	KindStream                       // the server ended the stream with an error
	KindConfig                       // the account settings cannot work
	KindProtocol                     // the server spoke something unexpected
	KindReplaced                     // another client logged in with the same resource
)

// ConnError is a failed connection attempt. Its message is one line, meant
// for the user as it is.
type ConnError struct {
	Kind ErrorKind
	msg  string
	err  error
}

func (e *ConnError) Error() string { return e.msg }
func (e *ConnError) Unwrap() error { return e.err }

// Retry reports whether trying again later may succeed without the user
// changing anything: not for a wrong password, a bad certificate or a
// broken configuration.
func (e *ConnError) Retry() bool {
	switch e.Kind {
	case KindAuth, KindCertificate, KindConfig, KindReplaced:
		// Retrying a replaced resource would throw the other client out.
		return false
	}
	return true
}

func connErr(kind ErrorKind, err error, format string, args ...any) *ConnError {
	return &ConnError{Kind: kind, err: err, msg: oneLine(fmt.Sprintf(format, args...))}
}

// authError marks an error of SASL negotiation (see saslFeature).
type authError struct {
	err    error
	offers []string // the mechanisms the server offered
}

func (e *authError) Error() string { return e.err.Error() }
func (e *authError) Unwrap() error { return e.err }

// classify turns an error of a connection attempt to server (the address or
// domain tried) as account jid into a ConnError.
func classify(err error, jid, server string) *ConnError {
	var ce *ConnError
	if errors.As(err, &ce) {
		return ce
	}
	var ae *authError
	if errors.As(err, &ae) {
		if isNetErr(ae.err) {
			return classify(ae.err, jid, server)
		}
		if cond := saslCondition(ae.err); cond != "" {
			if cond == "not-authorized" {
				return connErr(KindAuth, err, "login failed for %s: wrong password or unknown account (not-authorized)", jid)
			}
			return connErr(KindAuth, err, "login failed for %s: %s", jid, cond)
		}
		if strings.Contains(ae.err.Error(), "no matching SASL mechanisms") {
			return connErr(KindAuth, err, "login failed for %s: the server offers no mechanism Candor accepts (offered: %s)", jid, strings.Join(ae.offers, ", "))
		}
		return connErr(KindAuth, err, "login failed for %s: %v", jid, ae.err)
	}

	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.As(err, &unknownAuth):
		return connErr(KindCertificate, err, "certificate of %s is not trusted (signed by an unknown authority); for a self-signed server set ca_file", server)
	case errors.As(err, &hostErr):
		return connErr(KindCertificate, err, "certificate of %s is not valid for %s", server, hostErr.Host)
	case errors.As(err, &invalid):
		return connErr(KindCertificate, err, "certificate of %s is invalid: %v", server, invalid.Error())
	case errors.As(err, &verify):
		return connErr(KindCertificate, err, "certificate of %s could not be verified: %v", server, verify.Err)
	}

	var se stream.Error
	if errors.As(err, &se) {
		text := ""
		for _, t := range se.Text {
			if t.Value != "" {
				text = ": " + t.Value
				break
			}
		}
		kind := KindStream
		switch se.Err {
		case "not-authorized":
			kind = KindAuth
		case "conflict":
			kind, text = KindReplaced, " (another client logged in with the same resource)"
		}
		return connErr(kind, err, "server %s ended the stream: %s%s", server, se.Err, text)
	}

	// The stream cut off in the middle of the XML: the connection closed.
	var syntax *xml.SyntaxError
	if errors.As(err, &syntax) && strings.Contains(syntax.Msg, "unexpected EOF") {
		return connErr(KindNetwork, err, "connection to %s closed by the server", server)
	}

	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return connErr(KindUnknownHost, err, "unknown host %s", dnsErr.Name)
	case errors.As(err, &dnsErr):
		return connErr(KindNetwork, err, "cannot look up %s: %s", dnsErr.Name, dnsErr.Err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return connErr(KindRefused, err, "connection refused by %s", server)
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return connErr(KindNetwork, err, "connection to %s timed out", server)
	case errors.Is(err, context.Canceled):
		return connErr(KindNetwork, err, "connection to %s cancelled", server)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNRESET):
		return connErr(KindNetwork, err, "connection to %s closed by the server", server)
	case errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH):
		return connErr(KindNetwork, err, "network unreachable for %s", server)
	}
	// A TLS alert from the server (crypto/tls reports those as a "remote
	// error" around an unexported type).
	var remote *net.OpError
	if errors.As(err, &remote) && remote.Op == "remote error" && remote.Err != nil {
		if strings.HasSuffix(remote.Err.Error(), "unrecognized name") {
			return connErr(KindCertificate, err, "server %s has no certificate for %s (tls: unrecognized name)", server, domainOf(jid))
		}
		return connErr(KindProtocol, err, "server %s refused TLS: %v", server, remote.Err)
	}
	var recordErr tls.RecordHeaderError
	if errors.As(err, &recordErr) {
		return connErr(KindProtocol, err, "%s does not speak TLS there (wrong port or TLS mode?)", server)
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return connErr(KindNetwork, err, "connection to %s failed: %v", server, opErr.Err)
	}
	return connErr(KindProtocol, err, "connection to %s failed: %s", server, strings.TrimPrefix(err.Error(), "xmpp: "))
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func isNetErr(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// saslCondition digs the defined condition ("not-authorized") out of a SASL
// <failure/> as mellium reports it (an internal type with an exported
// Condition field that has a String method).
func saslCondition(err error) string {
	for e := err; e != nil; e = errors.Unwrap(e) {
		v := reflect.ValueOf(e)
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				continue
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			continue
		}
		f := v.FieldByName("Condition")
		if !f.IsValid() || !f.CanInterface() {
			continue
		}
		if s, ok := f.Interface().(fmt.Stringer); ok {
			return s.String()
		}
	}
	return ""
}

// oneLine keeps the first line of s, so that no error spreads over the
// status bar.
func oneLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// domainOf is the domain of a JID given as a string.
func domainOf(jid string) string {
	if i := strings.LastIndexByte(jid, '@'); i >= 0 {
		jid = jid[i+1:]
	}
	if i := strings.IndexByte(jid, '/'); i >= 0 {
		jid = jid[:i]
	}
	return jid
}
