//go:build integration

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/prosodytest"
	"github.com/candor-xmpp/candor/internal/xmpppeer"
	"github.com/candor-xmpp/candor/scanhook"
	"github.com/candor-xmpp/candor/session"
)

// candor send runs the same scan stage as the TUI: without a consent
// decision a link is blocked (exit status 1, the reason and how to give
// consent), --consent accept sends it and reports the listed link to the
// account's local sink, and the decision is kept for the next run.
func TestIntegrationSendScansBeforeSending(t *testing.T) {
	bin := buildCandor(t)
	srv := prosodytest.Start(t)
	alice := srv.CreateUser(t, "alice", "alice-pw")
	bob := srv.CreateUser(t, "bob", "bob-pw")
	cfg := writeConfig(t, srv, alice, "alice-pw")
	data := t.TempDir()
	peer := xmpppeer.Start(t)
	peer.Connect(t, xmpppeer.Config{JID: bob, Password: "bob-pw", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})
	run := func(args ...string) (string, error) {
		// --plaintext: the slixmpp peer has no OMEMO (scanning runs before encryption either way).
		cmd := exec.Command(bin, append([]string{"send", "--plaintext", "--config", cfg, "--data-dir", data}, args...)...)
		var errOut bytes.Buffer
		cmd.Stderr = &errOut
		err := cmd.Run()
		return errOut.String(), err
	}
	const link = "https://blocked.example/demo/1"
	sink := filepath.Join(session.AccountDir(data, alice), scanhook.ReportsFile)

	// Mode off: untouched, nothing scanned, nothing reported.
	if stderr, err := run(bob, "off: "+link); err != nil {
		t.Fatalf("mode off: %v: %s", err, stderr)
	}
	peer.Wait(t, "the link in mode off", func(e xmpppeer.Event) bool { return e.Event == "message" && e.Body == "off: "+link })
	if _, err := os.Stat(sink); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a report sink exists after mode off: %v", err)
	}

	stderr, err := run("--scan-mode", "belgium-2024", bob, "blocked: "+link)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("blocked link: exit %v, stderr %q", err, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "candor: not sent: SIMULATION scanhook belgium-2024 blocked link "+link) ||
		!strings.Contains(lines[0], "consent-block") || !strings.Contains(lines[1], "--consent accept") {
		t.Fatalf("blocked link said %q", stderr)
	}
	if stderr, err := run("--scan-mode", "belgium-2024", bob, "text still goes"); err != nil {
		t.Fatalf("text: %v: %s", err, stderr)
	}
	peer.Wait(t, "the text", func(e xmpppeer.Event) bool { return e.Event == "message" && e.Body == "text still goes" })
	if got := peer.Events(func(e xmpppeer.Event) bool { return e.Event == "message" && e.Body == "blocked: "+link }); len(got) != 0 {
		t.Fatalf("the blocked link arrived: %+v", got)
	}

	if stderr, err := run("--scan-mode", "belgium-2024", "--consent", "accept", bob, "accepted: "+link); err != nil {
		t.Fatalf("with consent: %v: %s", err, stderr)
	}
	peer.Wait(t, "the accepted link", func(e xmpppeer.Event) bool { return e.Event == "message" && e.Body == "accepted: "+link })
	reports, err := scanhook.ReadReports(sink)
	if err != nil || len(reports) != 1 || reports[0].Mode != scanhook.ModeBelgium2024 || !reports[0].Simulated {
		t.Fatalf("reports in %s: %+v, %v", sink, reports, err)
	}
	// The decision is kept: the next run needs no flag.
	if stderr, err := run("--scan-mode", "belgium-2024", bob, "kept: "+link); err != nil {
		t.Fatalf("stored consent: %v: %s", err, stderr)
	}
	peer.Wait(t, "the link under the kept decision", func(e xmpppeer.Event) bool { return e.Event == "message" && e.Body == "kept: "+link })

	// The config's [scan] mode applies without the flag; a bad one names
	// the file and line, and nothing is sent.
	withMode := filepath.Join(t.TempDir(), "config.toml")
	text, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(withMode, append(text, []byte("\n[scan]\nmode = \"belgium-2042\"\n")...), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "send", "--plaintext", "--config", withMode, "--data-dir", data, bob, "never")
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	err = cmd.Run()
	assertOneLineFailure(t, err, errOut.String(), "candor: "+withMode+":")
	if !strings.Contains(errOut.String(), `unknown scan mode "belgium-2042"`) || !strings.Contains(errOut.String(), "belgium-2024") {
		t.Fatalf("bad config mode said %q", errOut.String())
	}
}
