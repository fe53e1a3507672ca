package xmpppeer

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/internal/testenv"
)

//go:embed peer.py
var script []byte

// Event is one line the peer reported.
type Event struct {
	Event     string   `json:"event"`
	Seq       int      `json:"seq,omitempty"`
	Error     string   `json:"error,omitempty"`
	Text      string   `json:"text,omitempty"`
	JID       string   `json:"jid,omitempty"`
	From      string   `json:"from,omitempty"`
	To        string   `json:"to,omitempty"`
	ID        string   `json:"id,omitempty"`
	Type      string   `json:"type,omitempty"`
	Body      string   `json:"body,omitempty"`
	OriginID  string   `json:"origin_id,omitempty"`
	StanzaIDs []string `json:"stanza_ids,omitempty"`
	Request   bool     `json:"request,omitempty"`
	Carbon    string   `json:"carbon,omitempty"`
	Delay     string   `json:"delay,omitempty"`
	State     string   `json:"state,omitempty"`
	Show      string   `json:"show,omitempty"`
	Status    string   `json:"status,omitempty"`
	OOB       string   `json:"oob,omitempty"`
	// Files (files.go).
	URL    string `json:"url,omitempty"`
	Link   string `json:"link,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
	Size   int64  `json:"size,omitempty"`
}

// Peer is a running slixmpp peer.
type Peer struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	done  chan struct{} // closed when the process has exited
	seq   int

	mu     sync.Mutex
	events []Event
	more   chan struct{} // closed and replaced when an event arrives
	stderr strings.Builder
}

// Timeout bounds every wait on the peer.
const Timeout = 30 * time.Second

// Start runs the peer. It is stopped when the test ends (by its own process
// id); what it wrote to stderr is logged if the test failed.
func Start(t testing.TB) *Peer {
	t.Helper()
	python := testenv.SystemPython(t)
	if err := exec.Command(python, "-c", "import slixmpp").Run(); err != nil {
		testenv.Skip(t, "python3-slixmpp is not installed for "+python)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "peer.py")
	if err := os.WriteFile(path, script, 0o600); err != nil {
		t.Fatal(err)
	}
	p := &Peer{done: make(chan struct{}), more: make(chan struct{})}
	p.cmd = exec.Command(python, "-u", path)
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
		t.Fatalf("xmpppeer: start: %v", err)
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
	p.Wait(t, "ready", func(e Event) bool { return e.Event == "ready" })
	return p
}

func (p *Peer) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		var e Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			e = Event{Event: "error", Text: "unparsable line from the peer: " + sc.Text()}
		}
		p.mu.Lock()
		p.events = append(p.events, e)
		close(p.more)
		p.more = make(chan struct{})
		p.mu.Unlock()
	}
}

func (p *Peer) stop(t testing.TB) {
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
		t.Logf("xmpppeer stderr:\n%s", p.stderr.String())
	}
}

// do runs one command and waits for its "done"; an error fails the test.
func (p *Peer) do(t testing.TB, cmd map[string]any) Event {
	t.Helper()
	e := p.try(t, cmd)
	if e.Error != "" {
		t.Fatalf("xmpppeer: %s: %s", cmd["cmd"], e.Error)
	}
	return e
}

// try runs one command and returns its "done", error included.
func (p *Peer) try(t testing.TB, cmd map[string]any) Event {
	t.Helper()
	return p.tryFor(t, cmd, Timeout)
}

// tryFor is try with its own timeout (file transfers take longer).
func (p *Peer) tryFor(t testing.TB, cmd map[string]any, timeout time.Duration) Event {
	t.Helper()
	p.seq++
	seq := p.seq
	cmd["seq"] = seq
	line, err := json.Marshal(cmd)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.stdin.Write(append(line, '\n')); err != nil {
		t.Fatalf("xmpppeer: %s: %v", cmd["cmd"], err)
	}
	return p.wait(t, fmt.Sprintf("the peer to finish %s", cmd["cmd"]), timeout, func(e Event) bool { return e.Event == "done" && e.Seq == seq })
}

// Config says how the peer logs in.
type Config struct {
	JID, Password string
	Addr          string // host:port of the server
	CAFile        string
	DirectTLS     bool
	// NoAutoReceipts stops the peer from answering receipt requests.
	NoAutoReceipts bool
}

// Connect logs the peer in and returns its full JID.
func (p *Peer) Connect(t testing.TB, c Config) string {
	t.Helper()
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		t.Fatalf("xmpppeer: address %q: %v", c.Addr, err)
	}
	n, _ := strconv.Atoi(port)
	p.do(t, map[string]any{"cmd": "connect", "jid": c.JID, "password": c.Password, "host": host, "port": n,
		"ca_file": c.CAFile, "direct_tls": c.DirectTLS, "auto_receipts": !c.NoAutoReceipts})
	return p.Wait(t, "connected", func(e Event) bool { return e.Event == "connected" }).JID
}

// Send sends a chat message asking for a receipt and returns its id. An
// originID adds a XEP-0359 origin-id.
func (p *Peer) Send(t testing.TB, to, body, originID string) string {
	t.Helper()
	return p.do(t, map[string]any{"cmd": "send", "to": to, "body": body, "origin_id": originID}).ID
}

// Receipt confirms message id to to (XEP-0184).
func (p *Peer) Receipt(t testing.TB, to, id string) {
	t.Helper()
	p.do(t, map[string]any{"cmd": "receipt", "to": to, "id": id})
}

// ChatState sends a XEP-0085 state.
func (p *Peer) ChatState(t testing.TB, to, state string) {
	t.Helper()
	p.do(t, map[string]any{"cmd": "chatstate", "to": to, "state": state})
}

// Presence broadcasts an availability ("" show for plain online) or, with
// typ "unavailable", goes offline.
func (p *Peer) Presence(t testing.TB, typ, show, status string) {
	t.Helper()
	p.do(t, map[string]any{"cmd": "presence", "type": typ, "show": show, "status": status})
}

// Subscription sends a subscription presence (subscribe, subscribed,
// unsubscribe, unsubscribed) to to.
func (p *Peer) Subscription(t testing.TB, to, typ string) {
	t.Helper()
	p.do(t, map[string]any{"cmd": "subscription", "to": to, "type": typ})
}

// EnableCarbons turns on XEP-0280 for the peer.
func (p *Peer) EnableCarbons(t testing.TB) {
	t.Helper()
	p.do(t, map[string]any{"cmd": "enable_carbons"})
}

// Raw writes xml to the stream as it is: for tests of hostile input.
func (p *Peer) Raw(t testing.TB, xml string) {
	t.Helper()
	p.do(t, map[string]any{"cmd": "raw", "xml": xml})
}

// Disconnect ends the peer's stream.
func (p *Peer) Disconnect(t testing.TB) {
	t.Helper()
	p.do(t, map[string]any{"cmd": "disconnect"})
}

// Wait returns the first event (since the peer started) that matches.
func (p *Peer) Wait(t testing.TB, what string, match func(Event) bool) Event {
	t.Helper()
	return p.wait(t, what, Timeout, match)
}

func (p *Peer) wait(t testing.TB, what string, timeout time.Duration, match func(Event) bool) Event {
	t.Helper()
	deadline := time.After(timeout)
	seen := 0
	for {
		p.mu.Lock()
		evs, more := p.events, p.more
		p.mu.Unlock()
		for ; seen < len(evs); seen++ {
			if match(evs[seen]) {
				return evs[seen]
			}
		}
		select {
		case <-more:
		case <-p.done:
			t.Fatalf("xmpppeer exited while waiting for %s; stderr:\n%s", what, p.stderrText())
		case <-deadline:
			t.Fatalf("xmpppeer: no %s within %v; events: %+v", what, timeout, evs)
		}
	}
}

// Events returns the events so far that match.
func (p *Peer) Events(match func(Event) bool) []Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Event
	for _, e := range p.events {
		if match(e) {
			out = append(out, e)
		}
	}
	return out
}

func (p *Peer) stderrText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}
