//go:build integration

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

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
	listen := exec.Command(bin, "listen", "--json", "--config", cfg, "--data-dir", data)
	listen.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := listen.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var listenErr bytes.Buffer
	listen.Stderr = &listenErr
	if err := listen.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { listen.Process.Kill(); listen.Wait() })
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	waitFor(t, &listenErr, "listening as")
	peer.Send(t, alice, "reply from slixmpp", "peer-origin-1")
	select {
	case line, ok := <-lines:
		if !ok {
			t.Fatalf("listen ended: %s", listenErr.String())
		}
		var m listenedMessage
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("listen printed %q: %v", line, err)
		}
		if m.From != bob || m.Body != "reply from slixmpp" || m.OriginID != "peer-origin-1" || m.Encryption != "plaintext" ||
			m.Source != "live" && m.Source != "archive" { // it may race the login's archive catch-up
			t.Fatalf("listen printed %+v", m)
		}
	case <-time.After(xmpppeer.Timeout):
		t.Fatalf("no line from listen; stderr: %s", listenErr.String())
	}
	// An interrupt ends listen with status 0.
	listen.Process.Signal(os.Interrupt)
	if err := listen.Wait(); err != nil {
		t.Fatalf("listen after interrupt: %v; stderr: %s", err, listenErr.String())
	}
	// Live and archive copies of the message are one message: no second line.
	for line := range lines {
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

func waitFor(t *testing.T, buf *bytes.Buffer, want string) {
	t.Helper()
	deadline := time.Now().Add(xmpppeer.Timeout)
	for !strings.Contains(buf.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("waited for %q; got %q", want, buf.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
