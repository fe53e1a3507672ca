//go:build integration

package prosodytest

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"os"
	"path/filepath"
	"testing"
)

func TestIntegrationStartRestart(t *testing.T) {
	s := Start(t)
	jid := s.CreateUser(t, "alice", "secret")
	if jid != "alice@localhost" {
		t.Fatalf("CreateUser = %q", jid)
	}
	pem, err := os.ReadFile(s.CAFile())
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatal("CA file holds no certificate")
	}
	// The direct TLS port must present a certificate valid for the domain
	// and for the upload component.
	for _, name := range []string{s.Domain(), s.UploadDomain()} {
		c, err := tls.Dial("tcp", s.DirectTLSAddr(), &tls.Config{ServerName: name, RootCAs: roots, NextProtos: []string{"xmpp-client"}})
		if err != nil {
			t.Fatalf("direct TLS as %s: %v", name, err)
		}
		c.Close()
	}
	c, err := tls.Dial("tcp", s.HTTPSAddr(), &tls.Config{ServerName: s.Domain(), RootCAs: roots})
	if err != nil {
		t.Fatalf("https: %v", err)
	}
	c.Close()

	s.Stop(t)
	if c, err := net.Dial("tcp", s.C2SAddr()); err == nil {
		c.Close()
		t.Fatal("c2s port still accepts connections after Stop")
	}
	s.Start(t)
	c, err = tls.Dial("tcp", s.DirectTLSAddr(), &tls.Config{ServerName: s.Domain(), RootCAs: roots})
	if err != nil {
		t.Fatalf("direct TLS after restart: %v", err)
	}
	c.Close()
	if _, err := os.Stat(filepath.Join(s.DataDir(), "localhost", "accounts", "alice.dat")); err != nil {
		t.Fatalf("account not in the data directory: %v", err)
	}
}
