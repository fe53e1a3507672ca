package xmpppeer

import (
	_ "embed"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/internal/pyproc"
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
	proc *pyproc.Proc[Event]
}

// Timeout bounds every wait on the peer.
const Timeout = 30 * time.Second

// Start runs the peer. It is stopped when the test ends (by its own process
// id); what it wrote to stderr is logged if the test failed.
func Start(t testing.TB) *Peer {
	t.Helper()
	return &Peer{proc: pyproc.Start[Event](t, "xmpppeer", script, "slixmpp, cryptography")}
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

// tryFor is try waiting up to timeout (file transfers take longer).
func (p *Peer) tryFor(t testing.TB, cmd map[string]any, timeout time.Duration) Event {
	t.Helper()
	e, _ := p.proc.Call(t, cmd, timeout)
	return e
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
	return p.proc.Wait(t, 0, what, Timeout, match)
}

// Events returns the events so far that match.
func (p *Peer) Events(match func(Event) bool) []Event { return p.proc.Events(match) }
