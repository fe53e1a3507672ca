//go:build integration

package xmpppeer

import (
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/prosodytest"
)

// Two peers talk: the harness itself works (messages, receipts, chat
// states, a refused login).
func TestIntegrationPeerToPeer(t *testing.T) {
	srv := prosodytest.Start(t)
	a := srv.CreateUser(t, "ann", "pw1")
	b := srv.CreateUser(t, "ben", "pw2")
	pa, pb := Start(t), Start(t)
	pa.Connect(t, Config{JID: a, Password: "pw1", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})
	pb.Connect(t, Config{JID: b, Password: "pw2", Addr: srv.DirectTLSAddr(), CAFile: srv.CAFile(), DirectTLS: true})

	id := pa.Send(t, b, "hi ben", "origin-1")
	got := pb.Wait(t, "message", func(e Event) bool { return e.Event == "message" && e.Body == "hi ben" })
	if got.OriginID != "origin-1" || got.ID != id || !got.Request {
		t.Fatalf("received %+v", got)
	}
	pa.Wait(t, "receipt", func(e Event) bool { return e.Event == "receipt" && e.ID == id })
	pb.ChatState(t, a, "composing")
	pa.Wait(t, "chat state", func(e Event) bool { return e.Event == "chatstate" && e.State == "composing" })

	// Bad commands and a wrong password are reported, not fatal.
	bad := Start(t)
	if e := bad.try(t, map[string]any{"cmd": "noop"}); !strings.Contains(e.Error, "unknown command") {
		t.Fatalf("unknown command answered %+v", e)
	}
	e := bad.try(t, map[string]any{"cmd": "connect", "jid": a, "password": "wrong", "host": "127.0.0.1",
		"port": port(t, srv.C2SAddr()), "ca_file": srv.CAFile()})
	if !strings.Contains(e.Error, "authentication failed") {
		t.Fatalf("wrong password answered %+v", e)
	}
	pa.Send(t, b, "still here", "")
	pb.Wait(t, "second message", func(e Event) bool { return e.Event == "message" && e.Body == "still here" })
}

func port(t *testing.T, addr string) int {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(p)
	return n
}
