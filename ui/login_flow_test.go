package ui

import (
	"reflect"

	"strings"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/dialog"
)

func TestFirstRunLoginWithRetryAndSave(t *testing.T) {
	x := newHarness(t, Options{}, 80, 24)
	if x.m.overlay.Get(dialog.LoginID) == nil {
		t.Fatal("no login dialog on a first run")
	}
	x.mustShow("Log in to your XMPP account")

	// Keys typed as the dialog appeared do not reach it.
	x.typeText("zz")
	x.press("enter")
	if len(x.be.Calls("Login")) != 0 {
		t.Fatal("a key within the grace period submitted the dialog")
	}
	x.advance(time.Second)

	x.be.Errs["Login"] = errString("not-authorized: wrong password")
	x.typeText("me@example.org")
	x.press("tab")
	x.typeText("wrong")
	x.press("tab")
	x.typeText("localhost:5222")
	x.press("enter")
	calls := x.be.Calls("Login")
	want := session.Account{JID: "me@example.org", Password: "wrong", Server: "localhost:5222"}
	if len(calls) != 1 || !reflect.DeepEqual(calls[0].Args[0], want) {
		t.Fatalf("Login calls %#v", calls)
	}
	x.mustShow("not-authorized: wrong password")
	for _, l := range x.screen() {
		if strings.Contains(l, "Password") && (strings.Contains(l, "wrong") || !strings.Contains(l, "•••••")) {
			t.Fatalf("password not masked: %q", l)
		}
	}
	if x.m.overlay.Get(dialog.LoginID) == nil {
		t.Fatal("the dialog closed on an error")
	}

	// Retry: focus is on the password; fix it.
	delete(x.be.Errs, "Login")
	x.press("ctrl+u")
	x.typeText("right")
	x.press("enter")
	if n := len(x.be.Calls("Login")); n != 2 {
		t.Fatalf("%d Login calls", n)
	}
	x.mustShow("Save this account")

	// Save the account and, after toggling it, the password.
	x.press("down", "space", "enter")
	saves := x.be.Calls("SaveAccount")
	if len(saves) != 1 {
		t.Fatalf("SaveAccount calls %#v", saves)
	}
	if a := saves[0].Args[0].(session.Account); a.JID != "me@example.org" || a.Password != "right" || saves[0].Args[1] != true {
		t.Fatalf("SaveAccount(%#v, %v)", saves[0].Args[0], saves[0].Args[1])
	}
	if x.m.overlay.Active() {
		t.Fatal("dialog still open")
	}
	x.mustShow("account and password saved")
}

func TestLoginDialogChecksInputBeforeCalling(t *testing.T) {
	x := newHarness(t, Options{}, 80, 24)
	x.advance(time.Second)
	x.typeText("not-a-jid")
	x.press("tab")
	x.typeText("pw")
	x.press("enter")
	x.mustShow("the JID looks like user@example.org")
	x.press("tab")
	x.typeText("nope")
	x.press("up", "up", "ctrl+u")
	x.typeText("me@example.org")
	x.press("enter")
	x.mustShow("the server is host:port")
	if len(x.be.Calls("Login")) != 0 {
		t.Fatal("Login called with bad input")
	}
}

func TestConfiguredAccountLogsInByItself(t *testing.T) {
	acct := session.Account{JID: "me@example.org", Password: "pw"}
	x := newHarness(t, Options{Account: &acct}, 80, 24)
	if calls := x.be.Calls("Login"); len(calls) != 1 || calls[0].Args[0] != acct {
		t.Fatalf("Login calls %#v", calls)
	}
	if x.m.overlay.Active() {
		t.Fatal("a dialog opened although the login worked")
	}
}

func TestFailedAutomaticLoginAsks(t *testing.T) {
	acct := session.Account{JID: "me@example.org", Password: "stale"}
	be := newBackend()
	be.Errs["Login"] = errString("not-authorized")
	x := newHarnessWith(t, be, Options{Account: &acct}, 80, 24)
	x.mustShow("Log in to your XMPP account")
	x.mustShow("not-authorized")
	x.mustShow("me@example.org")
	x.mustShow("disconnected: not-authorized")
}

func TestConnectCommandOpensLogin(t *testing.T) {
	x := newHarness(t, Options{}, 80, 24)
	x.advance(time.Second)
	x.press("esc") // the first-run login dialog
	x.typeText("/connect")
	x.press("enter")
	x.mustShow("Log in to your XMPP account")
	x.press("esc")
	if x.m.overlay.Active() {
		t.Fatal("esc did not close the login dialog")
	}
}

// Logged in, /connect asks before it logs out; yes logs out through the
// backend and opens the login dialog for another account.
func TestConnectWhileLoggedInAsksThenLogsOut(t *testing.T) {
	x := loggedIn(t, 80, 24)
	x.typeText("/connect")
	x.press("enter")
	x.mustShow("Log out?")
	x.mustShow("You are logged in as me@example.org")
	x.press("n")
	if x.m.overlay.Active() || len(x.be.Calls("Logout")) != 0 {
		t.Fatalf("no: overlay %v, Logout %v", x.m.overlay.Active(), x.be.Calls("Logout"))
	}
	x.typeText("/connect")
	x.press("enter")
	x.press("y")
	if len(x.be.Calls("Logout")) != 1 {
		t.Fatal("yes did not log out")
	}
	x.mustShow("Log in to your XMPP account")
	x.mustShow("logged out of me@example.org")
	if x.m.com.Self != "" || len(x.m.sidebar.Chats()) != 0 {
		t.Fatalf("after logout: self %q, chats %v", x.m.com.Self, x.m.sidebar.Chats())
	}
	// A failing Logout says why and keeps the account.
	x.press("esc")
	x.send(accountLoaded{info: session.AccountInfo{JID: "me@example.org", State: session.Online}})
	x.be.Errs["Logout"] = errString("a login is under way")
	x.typeText("/connect")
	x.press("enter")
	x.press("y")
	x.mustShow("log out: a login is under way")
	if x.m.com.Self != "me@example.org" {
		t.Fatal("a failed logout forgot the account")
	}
}

func TestCancelledLoginResultIsIgnored(t *testing.T) {
	x := newHarness(t, Options{}, 80, 24)
	x.advance(time.Second)
	x.typeText("me@example.org")
	x.press("tab")
	x.typeText("pw")
	// Enter hands the dialog's intent to the root at once, which starts the
	// login call; we hold its result back.
	x.be.Errs["Login"] = errString("stale failure")
	first := x.step(keyMsg("enter"))
	x.press("esc") // cancel the attempt under way
	x.mustShow("cancelled")
	delete(x.be.Errs, "Login")
	x.press("enter") // try again; this one completes
	x.mustShow("Save this account")
	for _, m := range first {
		x.send(m) // the first attempt's late answer
	}
	x.mustShow("Save this account")
	x.mustShow("● online")
	x.mustNotShow("stale failure")
}
