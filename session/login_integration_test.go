//go:build integration

package session

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/prosodytest"
)

// Each way a login can fail gives its one-line error, and the client can
// try again.
func TestIntegrationLoginErrors(t *testing.T) {
	srv := prosodytest.Start(t)
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	closed := closedPort(t)
	cases := []struct {
		name string
		acct Account
		want string
		kind ErrorKind
	}{
		{"wrong password", account(srv, aliceJID, "wrong"),
			"login failed for alice@localhost: wrong password or unknown account (not-authorized)", KindAuth},
		{"unknown account", account(srv, "nobody@localhost", "pw"),
			"login failed for nobody@localhost: wrong password or unknown account (not-authorized)", KindAuth},
		{"refused connection", Account{JID: aliceJID, Password: "pw-a", Server: closed, CAFile: srv.CAFile()},
			"connection refused by " + closed, KindRefused},
		{"unknown host", Account{JID: aliceJID, Password: "pw-a", Server: "nonexistent.invalid:5222"},
			"unknown host nonexistent.invalid", KindUnknownHost},
		{"unknown domain without a server", Account{JID: "alice@nonexistent.invalid", Password: "pw-a"},
			"unknown host nonexistent.invalid", KindUnknownHost},
		{"self-signed certificate not trusted", Account{JID: aliceJID, Password: "pw-a", Server: srv.C2SAddr()},
			"certificate of " + srv.C2SAddr() + " is not trusted (signed by an unknown authority); for a self-signed server set ca_file", KindCertificate},
		{"stream error: a domain the server does not serve", Account{JID: "alice@example.org", Password: "pw-a", Server: srv.C2SAddr(), CAFile: srv.CAFile()},
			"server " + srv.C2SAddr() + " ended the stream: host-unknown: This server does not serve example.org", KindStream},
		{"a server that has no certificate for the domain (direct TLS)", Account{JID: "alice@example.org", Password: "pw-a", Server: srv.DirectTLSAddr(), TLS: TLSDirect, CAFile: srv.CAFile()},
			"server " + srv.DirectTLSAddr() + " has no certificate for example.org (tls: unrecognized name)", KindCertificate},
		{"direct TLS to the STARTTLS port", Account{JID: aliceJID, Password: "pw-a", Server: srv.C2SAddr(), TLS: TLSDirect, CAFile: srv.CAFile()},
			"", KindProtocol},
		{"plain to a server that requires TLS", Account{JID: aliceJID, Password: "pw-a", Server: srv.C2SAddr(), TLS: TLSPlain},
			"server " + srv.C2SAddr() + ` requires TLS: tls = "plain" cannot log in there`, KindConfig},
	}
	c := newClient(t, "", Options{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, "", Options{})
			err := c.Login(context.Background(), tc.acct)
			var ce *ConnError
			if !errors.As(err, &ce) {
				t.Fatalf("Login: %v (%T), want a ConnError", err, err)
			}
			if tc.want != "" && err.Error() != tc.want {
				t.Fatalf("Login error\n %q\nwant\n %q", err, tc.want)
			}
			if ce.Kind != tc.kind {
				t.Fatalf("kind %d, want %d (%v)", ce.Kind, tc.kind, err)
			}
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("error spans lines: %q", err)
			}
			gave := c.waitConn(t, GaveUp)
			if gave.Err != err.Error() {
				t.Fatalf("GaveUp event says %q", gave.Err)
			}
			if c.Account().State != GaveUp {
				t.Fatalf("state %v", c.Account().State)
			}
		})
	}
	// The same client logs in once the password is right.
	if err := c.Login(context.Background(), account(srv, aliceJID, "wrong")); err == nil {
		t.Fatal("wrong password accepted")
	}
	if err := c.Login(context.Background(), account(srv, aliceJID, "pw-a")); err != nil {
		t.Fatalf("second try: %v", err)
	}
	if err := c.Login(context.Background(), account(srv, aliceJID, "pw-a")); !errors.Is(err, errAlreadyLoggedIn) || !strings.Contains(err.Error(), "already logged in") {
		t.Fatalf("third Login: %v", err)
	}
}

// A certificate that does not name the server's domain is refused.
func TestIntegrationCertificateForAnotherName(t *testing.T) {
	srv := prosodytest.Start(t, prosodytest.CertNames("wrong.example"))
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	for _, mode := range []TLSMode{TLSStartTLS, TLSDirect} {
		addr := srv.C2SAddr()
		if mode == TLSDirect {
			addr = srv.DirectTLSAddr()
		}
		c := newClient(t, "", Options{})
		err := c.Login(context.Background(), Account{JID: aliceJID, Password: "pw-a", Server: addr, TLS: mode, CAFile: srv.CAFile()})
		want := "certificate of " + addr + " is not valid for localhost"
		if err == nil || err.Error() != want {
			t.Fatalf("%s: %v, want %q", mode, err, want)
		}
	}
}

// closedPort is a loopback address where nothing listens.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// Direct TLS (XEP-0368), a password command, and the console: the SASL
// exchange is shown masked.
func TestIntegrationDirectTLSAndConsole(t *testing.T) {
	srv := prosodytest.Start(t)
	aliceJID := srv.CreateUser(t, "alice", "s3cret-pw")
	c := newClient(t, "", Options{Resource: "console"})
	acct := Account{JID: aliceJID, PasswordCommand: "printf 's3cret-pw\\nsecond line'", Server: srv.DirectTLSAddr(), TLS: TLSDirect, CAFile: srv.CAFile()}
	c.loginSynced(t, acct)
	if info := c.Account(); info.Resource != "console" || info.State != Online || info.JID != aliceJID {
		t.Fatalf("account %+v", info)
	}
	log := c.console()
	for _, want := range []string{`mechanism="SCRAM-SHA-1">[`, `bytes hidden]</auth>`, `<bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"><resource>console</resource></bind>`, `<enabled xmlns='urn:xmpp:sm:3'/>`} {
		if !strings.Contains(log, want) {
			t.Errorf("console lacks %s", want)
		}
	}
	// Neither the password nor the SCRAM client-first message ("n,,n=alice")
	// in base64 may show.
	for _, secret := range []string{"s3cret-pw", "biwsbj1hbGljZ"} {
		if strings.Contains(log, secret) {
			t.Errorf("console shows %s", secret)
		}
	}
	if strings.Contains(log, "<starttls") { // not even offered on a direct TLS port
		t.Error("direct TLS still negotiated STARTTLS")
	}
	if t.Failed() {
		t.Log(log)
	}
}

// Plain TCP works to a loopback server that allows it, without PLAIN.
func TestIntegrationPlainLoopback(t *testing.T) {
	srv := prosodytest.Start(t, prosodytest.AllowPlain())
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	c := newClient(t, "", Options{})
	c.loginSynced(t, Account{JID: aliceJID, Password: "pw-a", Server: srv.C2SAddr(), TLS: TLSPlain})
	log := c.console()
	if strings.Contains(log, "-> <starttls") || strings.Contains(log, `mechanism="PLAIN"`) || !strings.Contains(log, `mechanism="SCRAM-`) {
		t.Fatalf("plain login:\n%s", log)
	}
	bob := login(t, srv, srv.CreateUser(t, "bob", "pw-b"), "pw-b")
	c.send(t, "bob@localhost", "over plain TCP")
	bob.waitAdded(t, "over plain TCP")
}

// Another client taking our resource ends our stream; we do not fight
// back by reconnecting.
func TestIntegrationResourceConflict(t *testing.T) {
	srv := prosodytest.Start(t)
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	first := newClient(t, "", Options{Resource: "desk"})
	first.loginSynced(t, account(srv, aliceJID, "pw-a"))
	second := newClient(t, "", Options{Resource: "desk"})
	second.loginSynced(t, account(srv, aliceJID, "pw-a"))
	gave := first.waitConn(t, GaveUp)
	if gave.Err != "server localhost ended the stream: conflict (another client logged in with the same resource)" {
		t.Fatalf("first gave up with %q", gave.Err)
	}
	if n := len(first.all(func(ev Event) bool { cc, ok := ev.(ConnectionChanged); return ok && cc.State == Reconnecting })); n != 0 {
		t.Fatalf("first tried to reconnect %d times", n)
	}
	if second.Account().State != Online {
		t.Fatalf("second is %v", second.Account().State)
	}
}

// The strongest SCRAM mechanism the server offers is used: SHA-256 when
// passwords are stored so, and -PLUS with channel binding where Prosody can
// bind (tls-unique, TLS 1.2 only).
func TestIntegrationSCRAMMechanisms(t *testing.T) {
	cases := []struct {
		name string
		opts []prosodytest.Option
		want string
	}{
		{"SHA-1 over TLS 1.3", nil, "SCRAM-SHA-1"},
		{"SHA-256 over TLS 1.3", []prosodytest.Option{prosodytest.PasswordHash("SHA-256")}, "SCRAM-SHA-256"},
		{"SHA-1 over TLS 1.2", []prosodytest.Option{prosodytest.TLS12Only()}, "SCRAM-SHA-1-PLUS"},
		{"SHA-256 over TLS 1.2", []prosodytest.Option{prosodytest.PasswordHash("SHA-256"), prosodytest.TLS12Only()}, "SCRAM-SHA-256-PLUS"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := prosodytest.Start(t, tc.opts...)
			c := newClient(t, "", Options{})
			c.loginSynced(t, account(srv, srv.CreateUser(t, "alice", "pw-a"), "pw-a"))
			if log := c.console(); !strings.Contains(log, `mechanism="`+tc.want+`"`) {
				t.Fatalf("not %s:\n%s", tc.want, log)
			}
		})
	}
}
