// Package pyomemo drives python-omemo (Debian's python3-omemo with the
// oldmemo and twomemo backends) as a subprocess peer for tests: peer.py
// speaks JSON lines on stdin and stdout and hosts python-omemo accounts on
// an in-process fake PEP; this package starts it and gives it typed calls.
//
// Values cross as the wire values of the XML elements (base64), which
// peer.py turns into XML and reads with python-omemo's own parsers, so the
// peer is exercised the way a real client would be.
package pyomemo

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/candor-xmpp/candor/internal/testenv"
)

//go:embed peer.py
var script []byte

// Script is peer.py, for callers that run it themselves.
func Script() []byte { return script }

// Namespaces of the two OMEMO versions.
const (
	Legacy = "eu.siacs.conversations.axolotl"
	OMEMO2 = "urn:xmpp:omemo:2"
)

// Peer is one running peer.py process.
type Peer struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	out    *bufio.Reader
	stderr *lockedBuffer
	dir    string

	mu     sync.Mutex
	nextID int
}

// Start runs peer.py with the given python interpreter.
func Start(python string) (*Peer, error) {
	dir, err := os.MkdirTemp("", "pyomemo-")
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "peer.py")
	if err := os.WriteFile(path, script, 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	cmd := exec.Command(python, "-u", path)
	// Fixed hash seed: set iteration order does not change between runs.
	cmd.Env = append(os.Environ(), "PYTHONHASHSEED=0", "PYTHONDONTWRITEBYTECODE=1")
	p := &Peer{cmd: cmd, stderr: &lockedBuffer{}, dir: dir}
	cmd.Stderr = p.stderr
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	p.out = bufio.NewReaderSize(stdout, 1<<20)
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return p, nil
}

// Python returns Debian's python3 if it has python-omemo, and otherwise
// skips the test (fails it when CANDOR_INTEGRATION=require).
func Python(t testing.TB) string {
	t.Helper()
	python := testenv.SystemPython(t)
	check := exec.Command(python, "-c", "import omemo, oldmemo, twomemo, oldmemo.etree, twomemo.etree, xmlschema")
	if out, err := check.CombinedOutput(); err != nil {
		testenv.Skip(t, "python-omemo is not installed (apt-get install python3-omemo python3-oldmemo python3-twomemo python3-xmlschema): "+string(bytes.TrimSpace(out)))
	}
	return python
}

// New starts a peer for one test, stopped when the test ends.
func New(t testing.TB) *Peer {
	t.Helper()
	p, err := Start(Python(t))
	if err != nil {
		t.Fatalf("starting python-omemo peer: %v", err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("python-omemo peer: %v", err)
		}
	})
	return p
}

// Close stops the peer and removes its files.
func (p *Peer) Close() error {
	p.stdin.Close()
	err := p.cmd.Wait()
	os.RemoveAll(p.dir)
	if err != nil {
		return fmt.Errorf("%v; stderr: %s", err, p.stderr.String())
	}
	return nil
}

// Stderr is what the peer wrote to stderr so far (python-omemo's warnings).
func (p *Peer) Stderr() string { return p.stderr.String() }

// Error is a python exception raised by an operation.
type Error struct {
	Op      string
	Class   string // the exception's class name, e.g. "DecryptionFailed"
	Message string
	Trace   string
}

func (e *Error) Error() string {
	return fmt.Sprintf("python-omemo %s: %s: %s", e.Op, e.Class, e.Message)
}

// Call runs one operation and decodes its result into result (if not nil).
func (p *Peer) Call(op string, args map[string]any, result any) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.nextID++
	req := map[string]any{"id": p.nextID, "op": op}
	for k, v := range args {
		req[k] = v
	}
	line, err := json.Marshal(req)
	if err != nil {
		return err
	}
	if _, err := p.stdin.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("python-omemo %s: %v; stderr: %s", op, err, p.stderr.String())
	}
	respLine, err := p.out.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("python-omemo %s: no response (%v); stderr: %s", op, err, p.stderr.String())
	}
	var resp struct {
		ID      int             `json:"id"`
		OK      bool            `json:"ok"`
		Result  json.RawMessage `json:"result"`
		Error   string          `json:"error"`
		Message string          `json:"message"`
		Trace   string          `json:"trace"`
	}
	if err := json.Unmarshal(respLine, &resp); err != nil {
		return fmt.Errorf("python-omemo %s: bad response %q: %v", op, respLine, err)
	}
	if resp.ID != p.nextID {
		return fmt.Errorf("python-omemo %s: response %d to request %d", op, resp.ID, p.nextID)
	}
	if !resp.OK {
		return &Error{Op: op, Class: resp.Error, Message: resp.Message, Trace: resp.Trace}
	}
	if result == nil {
		return nil
	}
	return json.Unmarshal(resp.Result, result)
}

// IsClass reports whether err is a python exception of the named class.
func IsClass(err error, class string) bool {
	var e *Error
	return errors.As(err, &e) && e.Class == class
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
