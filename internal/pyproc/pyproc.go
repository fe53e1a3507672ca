package pyproc

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/internal/testenv"
)

//go:embed jsonlines.py
var jsonlines []byte

// Proc is a running peer whose events decode into E.
type Proc[E any] struct {
	name  string // for messages: "xmpppeer"
	cmd   *exec.Cmd
	stdin io.WriteCloser
	done  chan struct{} // closed when the process has exited
	seq   int

	mu     sync.Mutex
	events []E
	heads  []head        // events[i]'s protocol fields
	more   chan struct{} // closed and replaced when an event arrives
	stderr strings.Builder
}

// head is what the protocol itself reads of an event.
type head struct {
	Event string `json:"event"`
	Seq   int    `json:"seq"`
	Error string `json:"error"`
}

// Start runs script with Debian's python once it can import every module
// in imports (the test is skipped, which CI counts as a failure, when it
// cannot). The peer is stopped when the test ends, by its own process id;
// its events and stderr are logged if the test failed. Start returns once
// the peer reported "ready".
func Start[E any](t testing.TB, name string, script []byte, imports string) *Proc[E] {
	t.Helper()
	python := testenv.SystemPython(t)
	if out, err := exec.Command(python, "-c", "import "+imports).CombinedOutput(); err != nil {
		testenv.Skip(t, fmt.Sprintf("%s needs the Python modules %s for %s: %s", name, imports, python, strings.TrimSpace(string(out))))
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "peer.py")
	for file, text := range map[string][]byte{path: script, filepath.Join(dir, "jsonlines.py"): jsonlines} {
		if err := os.WriteFile(file, text, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	p := &Proc[E]{name: name, done: make(chan struct{}), more: make(chan struct{})}
	p.cmd = exec.Command(python, "-u", path)
	p.cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	p.cmd.SysProcAttr = procAttr()
	var err error
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("%s: start: %v", name, err)
	}
	go p.read(stdout)
	go func() {
		b, _ := io.ReadAll(stderr)
		p.mu.Lock()
		p.stderr.Write(b)
		p.mu.Unlock()
	}()
	go func() {
		p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() { p.stop(t) })
	p.waitHead(t, 0, "ready", time.Minute, func(h head) bool { return h.Event == "ready" })
	return p
}

func (p *Proc[E]) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		var e E
		var h head
		if json.Unmarshal(sc.Bytes(), &h) != nil || json.Unmarshal(sc.Bytes(), &e) != nil {
			h = head{Event: "error", Error: "unparsable line from the peer: " + sc.Text()}
		}
		p.mu.Lock()
		if h.Event == "error" && h.Error != "" {
			p.stderr.WriteString(h.Error + "\n")
		}
		p.events = append(p.events, e)
		p.heads = append(p.heads, h)
		close(p.more)
		p.more = make(chan struct{})
		p.mu.Unlock()
	}
}

func (p *Proc[E]) stop(t testing.TB) {
	io.WriteString(p.stdin, `{"cmd":"quit"}`+"\n")
	p.stdin.Close()
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
	if t.Failed() {
		p.mu.Lock()
		defer p.mu.Unlock()
		t.Logf("%s events: %+v\nstderr:\n%s", p.name, p.events, p.stderr.String())
	}
}

// Call sends one command, waits up to timeout for its "done" and returns
// that event with the error the peer reported ("" when it succeeded).
func (p *Proc[E]) Call(t testing.TB, cmd map[string]any, timeout time.Duration) (E, string) {
	t.Helper()
	p.seq++
	seq := p.seq
	cmd["seq"] = seq
	line, err := json.Marshal(cmd)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.stdin.Write(append(line, '\n')); err != nil {
		t.Fatalf("%s: %s: %v", p.name, cmd["cmd"], err)
	}
	i := p.waitHead(t, 0, fmt.Sprintf("the peer to finish %s", cmd["cmd"]), timeout,
		func(h head) bool { return h.Event == "done" && h.Seq == seq })
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.events[i], p.heads[i].Error
}

// Mark is the number of events so far, for Wait.
func (p *Proc[E]) Mark() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.events)
}

// Wait returns the first event after the first from that matches, waiting
// up to timeout for it.
func (p *Proc[E]) Wait(t testing.TB, from int, what string, timeout time.Duration, match func(E) bool) E {
	t.Helper()
	i := p.wait(t, from, what, timeout, func(e E, _ head) bool { return match(e) })
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.events[i]
}

// waitHead is Wait on the protocol's fields; it returns the event's index.
func (p *Proc[E]) waitHead(t testing.TB, from int, what string, timeout time.Duration, match func(head) bool) int {
	t.Helper()
	return p.wait(t, from, what, timeout, func(_ E, h head) bool { return match(h) })
}

func (p *Proc[E]) wait(t testing.TB, from int, what string, timeout time.Duration, match func(E, head) bool) int {
	t.Helper()
	deadline := time.After(timeout)
	seen := from
	for {
		p.mu.Lock()
		evs, heads, more := p.events, p.heads, p.more
		p.mu.Unlock()
		for ; seen < len(evs); seen++ {
			if match(evs[seen], heads[seen]) {
				return seen
			}
		}
		select {
		case <-more:
		case <-p.done:
			t.Fatalf("%s exited while waiting for %s; stderr:\n%s", p.name, what, p.stderrText())
		case <-deadline:
			t.Fatalf("%s: no %s within %v; events: %+v", p.name, what, timeout, evs)
		}
	}
}

// Events returns the events so far that match.
func (p *Proc[E]) Events(match func(E) bool) []E {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []E
	for _, e := range p.events {
		if match(e) {
			out = append(out, e)
		}
	}
	return out
}

func (p *Proc[E]) stderrText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}
