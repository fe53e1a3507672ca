package prosodytest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/internal/testenv"
)

// Server is one Prosody process (restartable) with its own directory, ports
// and certificate.
type Server struct {
	prosody, prosodyctl string
	cfg                 config
	cfgPath             string
	caFile              string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
}

// Option changes the server's configuration before it starts.
type Option func(*config)

// AllowPlain lets clients log in without TLS (c2s_require_encryption =
// false), for testing the client's loopback-only plain mode.
func AllowPlain() Option { return func(c *config) { c.AllowPlain = true } }

// WithoutModules removes Prosody modules from the default set (to test a
// client against a server that lacks a feature, stream management say).
func WithoutModules(names ...string) Option {
	return func(c *config) {
		kept := c.Modules[:0]
		for _, m := range c.Modules {
			if !slices.Contains(names, m) {
				kept = append(kept, m)
			}
		}
		c.Modules = kept
	}
}

// PasswordHash stores passwords for SCRAM with hash ("SHA-256"), which is
// then the SCRAM mechanism the server offers.
func PasswordHash(hash string) Option { return func(c *config) { c.PasswordHash = hash } }

// TLS12Only limits the server to TLS 1.2, under which Prosody 0.12 offers
// the -PLUS mechanisms (tls-unique channel binding).
func TLS12Only() Option { return func(c *config) { c.TLS12 = true } }

// CertNames makes the server's certificate name these hosts instead of its
// own domains (for tests of certificate checks).
func CertNames(names ...string) Option {
	return func(c *config) { c.CertNames = append([]string(nil), names...) }
}

// WithoutUpload leaves out the HTTP File Upload component (XEP-0363).
func WithoutUpload() Option { return func(c *config) { c.NoUpload = true } }

// UploadLimit sets the upload component's size limit in bytes (default
// 10 MiB).
func UploadLimit(n int64) Option { return func(c *config) { c.UploadLimit = n } }

// UploadQuota sets how many bytes one user may upload per day (default
// 10 GiB); beyond it the service refuses slots.
func UploadQuota(n int64) Option { return func(c *config) { c.UploadQuota = n } }

// UploadDir is where the upload component keeps uploaded files (one
// .bin file per upload): tests read it to see what the server stored.
func (s *Server) UploadDir() string {
	return filepath.Join(s.DataDir(), storeName(s.cfg.UploadDomain), "http_file_share")
}

// storeName is how Prosody's datamanager names a host's folder: every byte
// that is not a letter or digit as %xx.
func storeName(host string) string {
	var b strings.Builder
	for _, c := range []byte(host) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02x", c)
		}
	}
	return b.String()
}

// Modules adds Prosody modules to the default set.
func Modules(names ...string) Option {
	return func(c *config) { c.Modules = append(c.Modules, names...) }
}

// startTimeout bounds how long a start may take before the test fails.
const startTimeout = 20 * time.Second

// Start writes a configuration into a fresh temporary directory and starts
// Prosody on loopback. The server is stopped when the test ends; its log is
// printed if the test failed.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{
		prosody:    testenv.LookPath(t, "prosody"),
		prosodyctl: testenv.LookPath(t, "prosodyctl"),
	}
	dir, err := os.MkdirTemp("", "candor-prosody-")
	if err != nil {
		t.Fatal(err)
	}
	ports, err := freePorts(6)
	if err != nil {
		t.Fatalf("prosodytest: %v", err)
	}
	s.cfg = config{
		Dir:           dir,
		Domain:        "localhost",
		UploadDomain:  "upload.localhost",
		C2SPort:       ports[0],
		DirectTLSPort: ports[1],
		S2SPort:       ports[2],
		HTTPPort:      ports[3],
		HTTPSPort:     ports[4],
		Modules:       append([]string(nil), defaultModules...),
	}
	for _, o := range opts {
		o(&s.cfg)
	}
	s.cfgPath = filepath.Join(dir, "prosody.cfg.lua")
	certNames := s.cfg.CertNames
	if certNames == nil {
		certNames = []string{s.cfg.Domain, s.cfg.UploadDomain}
	}
	if s.caFile, err = writeCert(filepath.Join(dir, "certs"), []string{s.cfg.Domain, s.cfg.UploadDomain}, certNames); err != nil {
		t.Fatalf("prosodytest: certificate: %v", err)
	}
	if err := writeConfig(s.cfgPath, s.cfg); err != nil {
		t.Fatalf("prosodytest: config: %v", err)
	}
	t.Cleanup(func() {
		s.stop()
		if t.Failed() {
			t.Logf("prosody log (%s):\n%s", s.LogPath(), tail(s.Log(), 60))
		}
		if os.Getenv("CANDOR_KEEP_PROSODY") == "" {
			os.RemoveAll(dir)
		} else {
			t.Logf("prosody directory kept: %s", dir)
		}
	})
	if err := s.start(); err != nil {
		t.Fatalf("prosodytest: %v\n%s", err, tail(s.Log(), 30))
	}
	return s
}

// CreateUser registers local@domain with password (prosodyctl works on the
// storage directly, so this works while the server runs) and returns the
// bare JID.
func (s *Server) CreateUser(t testing.TB, local, password string) string {
	t.Helper()
	out, err := s.ctl("register", local, s.cfg.Domain, password)
	if err != nil {
		t.Fatalf("prosodytest: register %s: %v\n%s", local, err, out)
	}
	return local + "@" + s.cfg.Domain
}

// Restart stops the server and starts it again on the same ports and data.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop(t)
	s.Start(t)
}

// Stop stops the server (SIGTERM to the process this package started, then
// SIGKILL if it lingers).
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	if err := s.stop(); err != nil {
		t.Fatalf("prosodytest: stop: %v", err)
	}
}

// Start starts a stopped server again.
func (s *Server) Start(t testing.TB) {
	t.Helper()
	if err := s.start(); err != nil {
		t.Fatalf("prosodytest: %v\n%s", err, tail(s.Log(), 30))
	}
}

// Domain is the virtual host, "localhost".
func (s *Server) Domain() string { return s.cfg.Domain }

// UploadDomain is the HTTP File Upload component's domain.
func (s *Server) UploadDomain() string { return s.cfg.UploadDomain }

// CAFile is the PEM file of the server's self-signed certificate; clients
// trust the server by adding it to their roots.
func (s *Server) CAFile() string { return s.caFile }

// C2SAddr is the STARTTLS client port, "127.0.0.1:port".
func (s *Server) C2SAddr() string { return addr(s.cfg.C2SPort) }

// DirectTLSAddr is the direct TLS (XEP-0368) client port.
func (s *Server) DirectTLSAddr() string { return addr(s.cfg.DirectTLSPort) }

// HTTPSAddr is the HTTPS port (file uploads).
func (s *Server) HTTPSAddr() string { return addr(s.cfg.HTTPSPort) }

// Dir is the server's temporary directory (config, certificates, log).
func (s *Server) Dir() string { return s.cfg.Dir }

// DataDir is where Prosody stores accounts, rosters, archives and PEP nodes:
// tests grep it to see what reached the server.
func (s *Server) DataDir() string { return filepath.Join(s.cfg.Dir, "data") }

// LogPath is Prosody's log file.
func (s *Server) LogPath() string { return filepath.Join(s.cfg.Dir, "prosody.log") }

// Log is the log so far.
func (s *Server) Log() string {
	b, _ := os.ReadFile(s.LogPath())
	return string(b)
}

func (s *Server) ctl(args ...string) ([]byte, error) {
	cmd := exec.Command(s.prosodyctl, append([]string{"--config", s.cfgPath}, args...)...)
	cmd.Dir = s.cfg.Dir
	return cmd.CombinedOutput()
}

func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return errors.New("prosody is already running")
	}
	var out bytes.Buffer
	cmd := exec.Command(s.prosody, "--config", s.cfgPath, "-F")
	cmd.Dir = s.cfg.Dir
	cmd.Stdout = &out
	cmd.Stderr = &out
	cmd.SysProcAttr = procAttr()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start prosody: %w", err)
	}
	done := make(chan struct{})
	go func() {
		cmd.Wait()
		close(done)
	}()
	s.cmd, s.done = cmd, done

	deadline := time.Now().Add(startTimeout)
	for _, port := range []int{s.cfg.C2SPort, s.cfg.DirectTLSPort, s.cfg.HTTPSPort} {
		for {
			c, err := net.DialTimeout("tcp", addr(port), time.Second)
			if err == nil {
				c.Close()
				break
			}
			select {
			case <-done:
				s.cmd = nil
				return fmt.Errorf("prosody exited during start: %s", strings.TrimSpace(out.String()))
			case <-time.After(50 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				s.stopLocked()
				return fmt.Errorf("prosody did not listen on %s within %v", addr(port), startTimeout)
			}
		}
	}
	return nil
}

func (s *Server) stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopLocked()
}

func (s *Server) stopLocked() error {
	if s.cmd == nil {
		return nil
	}
	cmd, done := s.cmd, s.done
	s.cmd, s.done = nil, nil
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
		return nil
	case <-time.After(10 * time.Second):
	}
	cmd.Process.Kill()
	<-done
	return fmt.Errorf("prosody (pid %d) ignored SIGTERM and was killed", cmd.Process.Pid)
}

func addr(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

// freePorts asks the kernel for n distinct free loopback ports. Another
// process may take one before Prosody binds it; the ports are held open
// together so at least they differ from each other.
func freePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("free port: %w", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func tail(s string, lines int) string {
	parts := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(parts) > lines {
		parts = parts[len(parts)-lines:]
	}
	return strings.Join(parts, "\n")
}
