package session

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// zone is a resolver with fixed answers: these tests are about the order of
// candidates, not about DNS.
type zone struct {
	srv   map[string][]*net.SRV // "_service._tcp.domain"
	hosts map[string][]net.IPAddr
}

func (z zone) LookupSRV(_ context.Context, service, proto, name string) (string, []*net.SRV, error) {
	key := "_" + service + "._" + proto + "." + name
	if r, ok := z.srv[key]; ok {
		return "", r, nil
	}
	return "", nil, &net.DNSError{Err: "no such host", Name: key, IsNotFound: true}
}

func (z zone) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	if r, ok := z.hosts[host]; ok {
		return r, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

func TestEndpoints(t *testing.T) {
	z := zone{srv: map[string][]*net.SRV{
		"_xmpp-client._tcp.example.org":         {{Target: "c2s.example.org.", Port: 5222, Priority: 10}, {Target: "backup.example.org.", Port: 5222, Priority: 20}},
		"_xmpps-client._tcp.example.org":        {{Target: "tls.example.org.", Port: 443, Priority: 10}, {Target: "tls2.example.org.", Port: 5223, Priority: 30}},
		"_xmpp-client._tcp.nostarttls.example":  {{Target: ".", Port: 0}},
		"_xmpps-client._tcp.nostarttls.example": {{Target: "direct.example.", Port: 5223}},
	}}
	cases := []struct {
		name   string
		acct   Account
		domain string
		want   []string // host:port, with a "+" for direct TLS
	}{
		{"both records merged by priority", Account{}, "example.org",
			[]string{"+tls.example.org:443", "c2s.example.org:5222", "backup.example.org:5222", "+tls2.example.org:5223"}},
		{"direct mode uses only xmpps", Account{TLS: TLSDirect}, "example.org",
			[]string{"+tls.example.org:443", "+tls2.example.org:5223"}},
		{"no records: the domain itself", Account{}, "plain.example", []string{"plain.example:5222"}},
		{"no records, direct: port 5223", Account{TLS: TLSDirect}, "plain.example", []string{"+plain.example:5223"}},
		{"'.' means not offered", Account{}, "nostarttls.example", []string{"+direct.example:5223"}},
		{"server overrides SRV", Account{Server: "127.0.0.1:15222"}, "example.org", []string{"127.0.0.1:15222"}},
		{"server without port, direct", Account{Server: "xmpp.example.net", TLS: TLSDirect}, "example.org", []string{"+xmpp.example.net:5223"}},
		{"IPv6 server", Account{Server: "[::1]:5222"}, "example.org", []string{"[::1]:5222"}},
		{"plain mode: the domain", Account{TLS: TLSPlain}, "localhost", []string{"localhost:5222"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			eps, err := endpoints(context.Background(), z, c.acct, c.domain)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range eps {
				s := e.String()
				if e.directTLS {
					s = "+" + s
				}
				got = append(got, s)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
	for _, bad := range []string{"host:0", "host:99999", "host:x", ":5222"} {
		if _, err := endpoints(context.Background(), z, Account{Server: bad}, "example.org"); err == nil {
			t.Errorf("server %q accepted", bad)
		}
	}
}

func TestPlainOnlyToLoopback(t *testing.T) {
	z := zone{hosts: map[string][]net.IPAddr{
		"localhost":  {{IP: net.ParseIP("127.0.0.1")}, {IP: net.ParseIP("::1")}},
		"mixed.test": {{IP: net.ParseIP("127.0.0.1")}, {IP: net.ParseIP("192.0.2.1")}},
	}}
	ctx := context.Background()
	for _, host := range []string{"127.0.0.1", "::1", "localhost"} {
		if _, err := loopbackAddr(ctx, z, host); err != nil {
			t.Errorf("%s refused: %v", host, err)
		}
	}
	for _, host := range []string{"192.0.2.1", "mixed.test"} {
		_, err := loopbackAddr(ctx, z, host)
		var ce *ConnError
		if !errors.As(err, &ce) || ce.Kind != KindConfig || !strings.Contains(err.Error(), "only allowed to a loopback server") {
			t.Errorf("%s: %v", host, err)
		}
	}
	// The check happens before any connection: dialing a non-loopback
	// address in plain mode fails without touching the network.
	_, _, err := dialEndpoints(ctx, z, []endpoint{{host: "192.0.2.1", port: 5222}}, nil, true)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("plain dial to 192.0.2.1: %v", err)
	}
}

func TestTLSConfig(t *testing.T) {
	cfg, err := tlsConfig(Account{}, "example.org")
	if err != nil || cfg.ServerName != "example.org" || cfg.RootCAs != nil || cfg.InsecureSkipVerify {
		t.Fatalf("default config %+v, %v", cfg, err)
	}
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.pem")
	os.WriteFile(junk, []byte("not a certificate"), 0o600)
	for file, want := range map[string]string{
		filepath.Join(dir, "missing.pem"): "ca_file: open",
		junk:                              "no PEM certificate",
	} {
		_, err := tlsConfig(Account{CAFile: file}, "example.org")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ca_file %s: %v, want %q", file, err, want)
		}
	}
	if err := checkMode("sslv2"); err == nil {
		t.Error("unknown TLS mode accepted")
	}
}
