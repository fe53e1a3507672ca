// Package omemopeer runs an OMEMO test peer that is not Candor: a slixmpp
// client (Debian's python3-slixmpp) with python-omemo 1.0 (oldmemo and
// twomemo backends) on a real XMPP server, in a Python process driven over
// stdin and stdout with JSON lines (see peer.py). Tests use it to check that
// Candor's OMEMO interoperates with another implementation in both
// versions: PEP device lists and bundles, key exchanges, messages both ways.
package omemopeer

import (
	_ "embed"
	"fmt"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/internal/pyproc"
)

//go:embed peer.py
var script []byte

// Namespaces of the two OMEMO versions.
const (
	Legacy = "eu.siacs.conversations.axolotl"
	OMEMO2 = "urn:xmpp:omemo:2"
)

// Event is one line the peer reported.
type Event struct {
	Event       string   `json:"event"`
	Seq         int      `json:"seq,omitempty"`
	Error       string   `json:"error,omitempty"`
	Text        string   `json:"text,omitempty"`
	JID         string   `json:"jid,omitempty"`
	From        string   `json:"from,omitempty"`
	ID          string   `json:"id,omitempty"`
	Body        string   `json:"body,omitempty"`
	Namespace   string   `json:"namespace,omitempty"`
	DeviceID    uint32   `json:"device_id,omitempty"`
	Fingerprint string   `json:"fingerprint,omitempty"`
	Carbon      string   `json:"carbon,omitempty"`
	Archive     bool     `json:"archive,omitempty"`
	IDs         []uint32 `json:"ids,omitempty"`
	Devices     []Device `json:"devices,omitempty"`
}

// Device is one device as python-omemo knows it.
type Device struct {
	DeviceID    uint32          `json:"device_id"`
	Trust       string          `json:"trust"`
	Active      map[string]bool `json:"active"`
	Fingerprint string          `json:"fingerprint"`
}

// Peer is a running OMEMO peer.
type Peer struct {
	t    testing.TB
	proc *pyproc.Proc[Event]
}

// Timeout bounds every wait on the peer.
const Timeout = 60 * time.Second

// Start runs the peer; it is stopped when the test ends.
func Start(t testing.TB) *Peer {
	t.Helper()
	return &Peer{t: t, proc: pyproc.Start[Event](t, "omemopeer", script, "slixmpp, omemo, oldmemo, twomemo, xmlschema")}
}

// Try runs one command and returns its "done" event, error included.
func (p *Peer) Try(cmd map[string]any) Event {
	p.t.Helper()
	e, _ := p.proc.Call(p.t, cmd, Timeout)
	return e
}

// Do runs one command; an error fails the test.
func (p *Peer) Do(cmd map[string]any) Event {
	p.t.Helper()
	e := p.Try(cmd)
	if e.Error != "" {
		p.t.Fatalf("omemopeer: %s: %s", cmd["cmd"], e.Error)
	}
	return e
}

// Config says how the peer logs in.
type Config struct {
	JID, Password string
	Addr          string // host:port of the server (STARTTLS)
	CAFile        string
	// Namespaces are the OMEMO versions it speaks (default both); a peer
	// with Legacy only is what Conversations, Dino and Gajim are.
	Namespaces []string
	// Storage keeps its OMEMO state in this file, so that it can log in
	// again as the same device ("": in memory).
	Storage string
}

// Connect logs the peer in and publishes its OMEMO device; it returns the
// "connected" event (full JID, device id, fingerprint).
func (p *Peer) Connect(c Config) Event {
	p.t.Helper()
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		p.t.Fatalf("omemopeer: address %q: %v", c.Addr, err)
	}
	n, _ := strconv.Atoi(port)
	mark := p.Mark()
	p.Do(map[string]any{"cmd": "connect", "jid": c.JID, "password": c.Password, "host": host, "port": n,
		"ca_file": c.CAFile, "namespaces": c.Namespaces, "storage": c.Storage})
	return p.WaitFrom(mark, "connected", func(e Event) bool { return e.Event == "connected" })
}

// Send encrypts body to the bare JID to in namespace ns and sends it.
func (p *Peer) Send(to, body, ns string) string {
	p.t.Helper()
	return p.Do(map[string]any{"cmd": "send", "to": to, "body": body, "namespace": ns}).ID
}

// TamperNext flips a bit in the payload of the next encrypted message.
func (p *Peer) TamperNext() {
	p.t.Helper()
	p.Do(map[string]any{"cmd": "tamper_next"})
}

// Devices lists the devices of jid that python-omemo knows.
func (p *Peer) Devices(jid string) []Device {
	p.t.Helper()
	return p.Do(map[string]any{"cmd": "devices", "jid": jid}).Devices
}

// Refresh fetches jid's device lists.
func (p *Peer) Refresh(jid string) {
	p.t.Helper()
	p.Do(map[string]any{"cmd": "refresh", "jid": jid})
}

// PublishList publishes ids as the peer's device list of ns.
func (p *Peer) PublishList(ns string, ids ...uint32) {
	p.t.Helper()
	p.Do(map[string]any{"cmd": "publish_list", "namespace": ns, "ids": ids})
}

// Disconnect ends the peer's stream; Connect may log in again.
func (p *Peer) Disconnect() {
	p.t.Helper()
	p.Do(map[string]any{"cmd": "disconnect"})
}

// WaitMessage waits for a decrypted message with body.
func (p *Peer) WaitMessage(body string) Event {
	p.t.Helper()
	return p.Wait(fmt.Sprintf("message %q", body), func(e Event) bool { return e.Event == "message" && e.Body == body })
}

// Wait returns the first event since the start that matches.
func (p *Peer) Wait(what string, match func(Event) bool) Event {
	p.t.Helper()
	return p.WaitFrom(0, what, match)
}

// WaitFrom returns the first event after the first from that matches.
func (p *Peer) WaitFrom(from int, what string, match func(Event) bool) Event {
	p.t.Helper()
	return p.proc.Wait(p.t, from, what, Timeout, match)
}

// Mark is the number of events so far, for WaitFrom.
func (p *Peer) Mark() int { return p.proc.Mark() }

// Events returns the events so far that match.
func (p *Peer) Events(match func(Event) bool) []Event { return p.proc.Events(match) }
