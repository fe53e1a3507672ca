//go:build integration

package session

import (
	"context"
	"testing"

	"github.com/candor-xmpp/candor/internal/prosodytest"
)

func TestIntegrationSmoke(t *testing.T) {
	srv := prosodytest.Start(t)
	a := srv.CreateUser(t, "alice", "pw-alice")
	b := srv.CreateUser(t, "bob", "pw-bob")
	ctx := context.Background()
	ca, err := New(Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ra := record(ca)
	defer ca.Close()
	if err := ca.Login(ctx, Account{JID: a, Password: "pw-alice", Server: srv.C2SAddr(), CAFile: srv.CAFile()}); err != nil {
		t.Fatalf("login: %v\n%s", err, ra.console())
	}
	cb, _ := New(Options{DataDir: t.TempDir()})
	rb := record(cb)
	defer cb.Close()
	if err := cb.Login(ctx, Account{JID: b, Password: "pw-bob", Server: srv.C2SAddr(), CAFile: srv.CAFile()}); err != nil {
		t.Fatalf("login: %v", err)
	}
	if _, err := ca.Send(ctx, SendRequest{To: b, Body: "hello bob"}); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if t.Failed() {
			t.Log("bob:\n" + rb.console() + rb.dump())
		}
	}()
	rb.wait(t, "message", func(ev Event) bool { m, ok := ev.(MessageAdded); return ok && m.Message.Body == "hello bob" })
	ra.wait(t, "delivered", func(ev Event) bool { m, ok := ev.(MessageUpdated); return ok && m.State == Delivered })
	t.Log(ra.console())
	t.Log(ra.dump())
}
