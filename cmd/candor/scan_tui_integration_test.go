//go:build integration

package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/internal/prosodytest"
	"github.com/candor-xmpp/candor/internal/tmuxtest"
	"github.com/candor-xmpp/candor/internal/xmpppeer"
	"github.com/candor-xmpp/candor/scanhook"
	"github.com/candor-xmpp/candor/session"
)

// The scanning demonstration as a speaker runs it, with the real binary in
// an 80x24 terminal: switch to belgium-2024, send a link, meet the consent
// dialog, decline, see the block reason; text still reaches the slixmpp
// peer, the link does not; accept with /consent and the link goes, with a
// simulated report in the local sink. SIMULATION stays on the top row.
func TestIntegrationTUIScanConsentDemo(t *testing.T) {
	bin := buildCandor(t)
	srv := prosodytest.Start(t)
	alice := srv.CreateUser(t, "alice", "alice-pw")
	bob := srv.CreateUser(t, "bob", "bob-pw")
	cfg := writeConfig(t, srv, alice, "alice-pw")
	data := t.TempDir()
	peer := xmpppeer.Start(t)
	peer.Connect(t, xmpppeer.Config{JID: bob, Password: "bob-pw", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})

	pane := tmuxtest.Start(t, 80, 24, nil, bin, "--config", cfg, "--data-dir", data)
	const wait = 30 * time.Second
	banner := func(screen string) {
		t.Helper()
		top, _, _ := strings.Cut(screen, "\n")
		if !strings.Contains(top, "SIMULATION") || !strings.Contains(top, "belgium-2024") {
			t.Fatalf("the top row is not the SIMULATION banner:\n%s", screen)
		}
	}
	pane.WaitFor(wait, "online", "scan: off")
	pane.Type("/msg " + bob)
	pane.Keys("Enter")
	// The slixmpp peer has no OMEMO: this chat goes unencrypted, as chosen.
	pane.Type("/encryption off")
	pane.Keys("Enter")
	pane.WaitFor(wait, "enc: off (unencrypted)")
	pane.Type("/scan mode belgium-2024")
	pane.Keys("Enter")
	banner(pane.WaitFor(wait, "scan: SIMULATION belgium-2024"))

	const link = "https://blocked.example/demo/1"
	pane.Type("look " + link)
	pane.Keys("Enter")
	screen := pane.WaitFor(wait, "Accept scanning before encryption, or lose", "[d] Decline")
	banner(screen)
	// The dialog swallows keys for its grace period after it appeared;
	// it is on screen, so waiting longer than that from now is enough.
	time.Sleep(2 * time.Second)
	pane.Keys("d")
	screen = pane.WaitFor(wait, "⊘ unscanned·blocked ✗ failed: SIMULATION", "[rule consent-block")
	banner(screen)
	if strings.Contains(screen, "Accept scanning before encryption") {
		t.Fatalf("the dialog stayed open:\n%s", screen)
	}

	pane.Type("text still goes")
	pane.Keys("Enter")
	peer.Wait(t, "the text", func(e xmpppeer.Event) bool { return e.Event == "message" && e.Body == "text still goes" })
	if got := peer.Events(func(e xmpppeer.Event) bool { return e.Event == "message" && strings.Contains(e.Body, link) }); len(got) != 0 {
		t.Fatalf("the declined link reached the peer: %+v", got)
	}

	pane.Type("/consent accept")
	pane.Keys("Enter")
	banner(pane.WaitFor(wait, "consent: accept"))
	pane.Type("again " + link)
	pane.Keys("Enter")
	peer.Wait(t, "the link", func(e xmpppeer.Event) bool { return e.Event == "message" && e.Body == "again "+link })
	banner(pane.WaitFor(wait, "⚑ scanned·reported"))
	reports, err := scanhook.ReadReports(filepath.Join(session.AccountDir(data, alice), scanhook.ReportsFile))
	if err != nil || len(reports) != 1 || !reports[0].Simulated {
		t.Fatalf("reports: %+v, %v", reports, err)
	}

	// The inspector shows the report as written, and the banner stays.
	pane.Type("/inspect")
	pane.Keys("Enter")
	banner(pane.WaitFor(wait, "[ scanner ]", "Verdict: ⚑ scanned·reported"))
	found := false
	screen = pane.Screen()
	for range 20 { // page down to the report, as a reader would
		if strings.Contains(screen, reports[0].ReportID) {
			found = true
			break
		}
		pane.Keys("NPage")
		before := screen
		screen = pane.WaitUntil(wait, "the next page", func(s string) bool { return s != before })
	}
	if !found {
		t.Fatalf("the inspector never showed report %s", reports[0].ReportID)
	}
	banner(pane.Screen())
	pane.Keys("Escape")
	// (Escape alone: an escape followed at once by another key reads as alt.)
	banner(pane.WaitUntil(wait, "the inspector closed", func(s string) bool { return !strings.Contains(s, "[ scanner ]") }))

	pane.Keys("C-c")
	pane.WaitFor(wait, "[exited 0]")
}
