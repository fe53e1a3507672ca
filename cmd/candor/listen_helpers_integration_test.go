//go:build integration

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/internal/omemopeer"
)

// listenRun is a running "candor listen --json".
type listenRun struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	lines  <-chan string // stdout, a line at a time; closed when it ends
}

// startListen runs "candor listen --json ARGS..." until the test ends and
// returns once it says it is listening.
func startListen(t *testing.T, bin string, args ...string) *listenRun {
	t.Helper()
	r := &listenRun{cmd: exec.Command(bin, append([]string{"listen", "--json"}, args...)...), stderr: &syncBuffer{}}
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	r.cmd.Stderr = r.stderr
	stdout, err := r.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.cmd.Process.Kill(); r.cmd.Wait() })
	r.lines = readLines(stdout)
	r.stderr.waitFor(t, "listening as")
	return r
}

// next returns the next message listen printed, waiting up to timeout.
func (r *listenRun) next(t *testing.T, timeout time.Duration) listenedMessage {
	t.Helper()
	select {
	case line, ok := <-r.lines:
		if !ok {
			t.Fatalf("listen ended: %s", r.stderr.String())
		}
		var m listenedMessage
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("listen printed %q: %v", line, err)
		}
		return m
	case <-time.After(timeout):
		t.Fatalf("no line from listen; stderr: %s", r.stderr.String())
	}
	return listenedMessage{}
}

// interrupt ends listen as ^C does; an interrupted listen exits with 0.
func (r *listenRun) interrupt(t *testing.T) {
	t.Helper()
	r.cmd.Process.Signal(os.Interrupt)
	if err := r.cmd.Wait(); err != nil {
		t.Fatalf("listen after an interrupt: %v; stderr: %s", err, r.stderr.String())
	}
}

func readLines(r io.Reader) <-chan string {
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	return lines
}

// syncBuffer is a bytes.Buffer a process writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor waits until the output holds want; the process writes as it goes.
func (s *syncBuffer) waitFor(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(omemopeer.Timeout)
	for !strings.Contains(s.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("waited for %q; got %q", want, s.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
