//go:build integration

package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/prosodytest"
	"github.com/candor-xmpp/candor/internal/xmpppeer"
)

// buildCandor builds the real binary once per test.
func buildCandor(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "candor")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// writeConfig writes a config for one account on the test server.
func writeConfig(t *testing.T, srv *prosodytest.Server, jid, password string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	text := fmt.Sprintf("[[account]]\njid = %q\npassword = %q\nserver = %q\nca_file = %q\n",
		jid, password, srv.C2SAddr(), srv.CAFile())
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestIntegrationSendAndListen(t *testing.T) {
	bin := buildCandor(t)
	srv := prosodytest.Start(t)
	alice := srv.CreateUser(t, "alice", "alice-pw")
	bob := srv.CreateUser(t, "bob", "bob-pw")
	cfg := writeConfig(t, srv, alice, "alice-pw")
	data := t.TempDir()

	peer := xmpppeer.Start(t)
	peer.Connect(t, xmpppeer.Config{JID: bob, Password: "bob-pw", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})

	// candor send, message as argument and from stdin.
	run := func(stdin string, args ...string) (string, string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Stdin = strings.NewReader(stdin)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		return out.String(), errOut.String(), err
	}
	// bob's client has no OMEMO: nothing goes out without --plaintext.
	if _, stderr, err := run("", "send", "--config", cfg, "--data-dir", data, bob, "not", "without", "consent"); err == nil ||
		!strings.Contains(stderr, "no OMEMO device") || !strings.Contains(stderr, "--plaintext") {
		t.Fatalf("candor send to a client without OMEMO: %v: %q", err, stderr)
	}
	if _, stderr, err := run("", "send", "--plaintext", "--config", cfg, "--data-dir", data, bob, "hello", "from", "candor"); err != nil {
		t.Fatalf("candor send: %v: %s", err, stderr)
	}
	peer.Wait(t, "the argument message", func(e xmpppeer.Event) bool {
		return e.Event == "message" && e.Body == "hello from candor"
	})
	if _, stderr, err := run("line one\nline two\n", "send", "--plaintext", "--config", cfg, "--data-dir", data, bob); err != nil {
		t.Fatalf("candor send from stdin: %v: %s", err, stderr)
	}
	peer.Wait(t, "the stdin message", func(e xmpppeer.Event) bool {
		return e.Event == "message" && e.Body == "line one\nline two"
	})

	// candor listen --json prints what the peer sends, one object a line.
	listen := startListen(t, bin, "--config", cfg, "--data-dir", data)
	peer.Send(t, alice, "reply from slixmpp", "peer-origin-1")
	m := listen.next(t, xmpppeer.Timeout)
	if m.From != bob || m.Body != "reply from slixmpp" || m.OriginID != "peer-origin-1" || m.Encryption != "plaintext" ||
		m.Source != "live" && m.Source != "archive" { // it may race the login's archive catch-up
		t.Fatalf("listen printed %+v", m)
	}
	listen.interrupt(t)
	// Live and archive copies of the message are one message: no second line.
	for line := range listen.lines {
		if strings.Contains(line, "peer-origin-1") {
			t.Fatalf("the message was printed twice: %s", line)
		}
	}

	if got := peer.Events(func(e xmpppeer.Event) bool { return e.Event == "message" && strings.Contains(e.Body, "consent") }); len(got) != 0 {
		t.Fatalf("the refused message reached the peer: %+v", got)
	}

	// Failures are one line on stderr and a non-zero status.
	bad := writeConfig(t, srv, alice, "wrong-pw")
	_, stderr, err := run("", "send", "--config", bad, "--data-dir", t.TempDir(), bob, "x")
	assertOneLineFailure(t, err, stderr, "candor: ")
	if !strings.Contains(strings.ToLower(stderr), "password") && !strings.Contains(strings.ToLower(stderr), "not authorized") {
		t.Fatalf("wrong password said %q", stderr)
	}
	_, stderr, err = run("", "send", "--config", filepath.Join(t.TempDir(), "none.toml"), bob, "x")
	if err == nil || !strings.HasPrefix(stderr, "candor: ") || !strings.Contains(stderr, "none.toml: no account configured") ||
		!strings.Contains(stderr, "For example:\n    [[account]]") {
		t.Fatalf("missing config: %v, %q", err, stderr)
	}
}

func assertOneLineFailure(t *testing.T, err error, stderr, prefix string) {
	t.Helper()
	var exit *exec.ExitError
	if err == nil || !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("want exit status 1, got %v (stderr %q)", err, stderr)
	}
	if !strings.HasPrefix(stderr, prefix) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Fatalf("want one line starting %q, got %q", prefix, stderr)
	}
}
