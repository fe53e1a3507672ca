package session

import (
	"crypto/x509"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"

	"mellium.im/xmpp/stream"
)

// saslFailure has the shape of mellium's internal SASL failure.
type saslFailure struct {
	Condition cond
	Text      string
}

type cond string

func (c cond) String() string       { return string(c) }
func (f saslFailure) Error() string { return f.Text }

func TestClassify(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	cases := []struct {
		err   error
		kind  ErrorKind
		text  string
		retry bool
	}{
		{&authError{err: saslFailure{Condition: "not-authorized", Text: "Unable to authorize you"}}, KindAuth,
			"login failed for alice@example.org: wrong password or unknown account (not-authorized)", false},
		{&authError{err: saslFailure{Condition: "account-disabled"}}, KindAuth, "login failed for alice@example.org: account-disabled", false},
		{&authError{err: errors.New("xmpp: no matching SASL mechanisms found"), offers: []string{"X-OAUTH2"}}, KindAuth,
			"login failed for alice@example.org: the server offers no mechanism Candor accepts (offered: X-OAUTH2)", false},
		{&authError{err: io.EOF}, KindNetwork, "connection to srv:5222 closed by the server", true},
		{&net.DNSError{Err: "no such host", Name: "nonexistent.invalid", IsNotFound: true}, KindUnknownHost, "unknown host nonexistent.invalid", true},
		{refused, KindRefused, "connection refused by srv:5222", true},
		{fmt.Errorf("tls: %w", x509.UnknownAuthorityError{}), KindCertificate,
			"certificate of srv:5222 is not trusted (signed by an unknown authority); for a self-signed server set ca_file", false},
		{x509.HostnameError{Host: "evil.example"}, KindCertificate, "certificate of srv:5222 is not valid for evil.example", false},
		{stream.SystemShutdown, KindStream, "server srv:5222 ended the stream: system-shutdown", true},
		{stream.Conflict, KindReplaced, "server srv:5222 ended the stream: conflict (another client logged in with the same resource)", false},
		{&xml.SyntaxError{Msg: "unexpected EOF", Line: 1}, KindNetwork, "connection to srv:5222 closed by the server", true},
		{errors.New("xmpp: something\nodd"), KindProtocol, "connection to srv:5222 failed: something", true},
	}
	for _, c := range cases {
		got := classify(c.err, "alice@example.org", "srv:5222")
		if got.Kind != c.kind || got.Error() != c.text || got.Retry() != c.retry {
			t.Errorf("classify(%v)\n = %d %q retry=%v\nwant %d %q retry=%v", c.err, got.Kind, got.Error(), got.Retry(), c.kind, c.text, c.retry)
		}
		if strings.Contains(got.Error(), "\n") {
			t.Errorf("%q spans lines", got.Error())
		}
		if !errors.Is(got, c.err) && !errors.Is(got, errors.Unwrap(c.err)) {
			t.Errorf("classify(%v) does not wrap it", c.err)
		}
	}
	// An error already classified passes through.
	ce := connErr(KindConfig, nil, "x")
	if classify(ce, "", "") != ce {
		t.Error("a ConnError was classified again")
	}
}
