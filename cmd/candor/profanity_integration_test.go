//go:build integration

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/internal/omemopeer"
	"github.com/candor-xmpp/candor/internal/prosodytest"
	"github.com/candor-xmpp/candor/internal/testenv"
	"github.com/candor-xmpp/candor/internal/tmuxtest"
)

// profanityHome writes a home directory in which Profanity logs in as jid.
func profanityHome(t *testing.T, srv *prosodytest.Server, jid, password string) string {
	t.Helper()
	home := t.TempDir()
	dir := filepath.Join(home, ".local", "share", "profanity")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	host, port, _ := strings.Cut(srv.C2SAddr(), ":")
	accounts := fmt.Sprintf("[%s]\nenabled=true\njid=%s\nserver=%s\nport=%s\nresource=profanity\npassword=%s\ntls.policy=trust\n",
		jid, jid, host, port, password)
	if err := os.WriteFile(filepath.Join(dir, "accounts"), []byte(accounts), 0o600); err != nil {
		t.Fatal(err)
	}
	return home
}

// Candor's TUI and Profanity 0.13 (libsignal-protocol-c, legacy OMEMO)
// chat encrypted both ways, each in its own terminal.
func TestIntegrationTUIWithProfanity(t *testing.T) {
	prof := testenv.LookPath(t, "profanity")
	bin := buildCandor(t)
	srv := prosodytest.Start(t)
	alice := srv.CreateUser(t, "alice", "alice-pw")
	bob := srv.CreateUser(t, "bob", "bob-pw")
	const wait = 30 * time.Second

	// Profanity 0.13 does not create a missing device list node: bob had
	// another OMEMO client before (python-omemo), which created it.
	py := omemopeer.Start(t)
	py.Connect(omemopeer.Config{JID: bob, Password: "bob-pw", Addr: srv.C2SAddr(), CAFile: srv.CAFile(), Namespaces: []string{omemopeer.Legacy}})
	py.Disconnect()

	home := profanityHome(t, srv, bob, "bob-pw")
	p := tmuxtest.Start(t, 120, 35, []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share")}, prof, "-a", bob)
	p.WaitFor(wait, "logged in successfully")
	p.Type("/omemo gen")
	p.Keys("Enter")
	screen := p.WaitFor(wait, "Your Device ID is")
	profDevice := regexp.MustCompile(`Your Device ID is (\d+)`).FindStringSubmatch(screen)[1]

	a := tmuxtest.Start(t, 120, 35, nil, bin, "--config", writeConfig(t, srv, alice, "alice-pw"), "--data-dir", t.TempDir())
	a.WaitFor(wait, "online")

	// Profanity publishes its bundle for contacts only (no publish-options
	// on that node): alice and bob subscribe to each other first.
	a.Type("/add " + bob)
	a.Keys("Enter")
	p.WaitFor(wait, "alice@localhost")
	p.Type("/sub allow alice@localhost")
	p.Keys("Enter")
	p.Type("/sub request alice@localhost")
	p.Keys("Enter")
	a.WaitFor(wait, "/accept")
	a.Type("/accept " + bob)
	a.Keys("Enter")

	a.Type("/omemo devices " + bob)
	a.Keys("Enter")
	a.WaitUntil(wait, "profanity's device with its fingerprint", func(s string) bool {
		return regexp.MustCompile(`device ` + profDevice + ` +◆ trusted, not verified`).MatchString(s)
	})
	a.Keys("Escape")
	a.WaitUntil(wait, "the devices dialog to close", func(s string) bool { return !strings.Contains(s, "OMEMO devices of") })

	// Candor -> Profanity.
	a.Type("/msg " + bob)
	a.Keys("Enter")
	a.Type("hello profanity, from candor")
	a.Keys("Enter")
	a.WaitFor(wait, "enc: OMEMO 0.3")
	p.WaitFor(wait, "(win 2)")
	p.Type("/win 2")
	p.Keys("Enter")
	p.WaitFor(wait, "hello profanity, from candor")

	// Profanity -> Candor, encrypted.
	p.Type("/omemo trustmode blind")
	p.Keys("Enter")
	p.Type("/omemo start")
	p.Keys("Enter")
	p.WaitFor(wait, "[OMEMO]")
	p.Type("hello candor, from profanity")
	p.Keys("Enter")
	screen = a.WaitFor(wait, "hello candor, from profanity", "[omemo 0.3 · device "+profDevice+"]")
	if testing.Verbose() {
		t.Logf("candor:\n%s\nprofanity:\n%s", screen, p.Screen())
	}
	assertNotOnDisk(t, srv.DataDir(), "hello profanity, from candor", "hello candor, from profanity")
}
