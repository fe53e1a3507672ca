package ui

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/consent"
	"github.com/candor-xmpp/candor/ui/dialog"
	"github.com/candor-xmpp/candor/ui/internal/backendtest"
	"github.com/candor-xmpp/candor/ui/scanview"
)

// belgium is a scan status as the backend gives it in a consent mode.
var belgium = session.ScanStatus{On: true, Mode: "belgium-2024", Title: "Belgian Presidency compromise 2024",
	Source: "Belgian Presidency compromise of 28 May 2024 (leaked)", E2EEScanned: true,
	Contested: []session.ScanPoint{{ID: "consent-links", InEffect: 0}, {ID: "consent-direction", InEffect: 0}}}

func consentRequest(id string) session.ConsentRequest {
	return session.ConsentRequest{ID: id, Mode: "belgium-2024", ModeTitle: "Belgian Presidency compromise 2024",
		CreatedAt: t0, Question: "SIMULATION: accept scanning before encryption, or lose images, videos and links. Text messages are not affected.",
		Covers: []string{"images", "videos", "links"}, Trigger: "this message has a link (body link 0)", Peer: alice, MessageID: 7,
		Basis: "the user accepts in the terms or a pop-up", AcceptLabel: "Accept: scanned before encryption, matches reported",
		DeclineLabel: "Decline: images, videos and links cannot be sent; text messages still can"}
}

func resolves(x *harness) []string {
	var out []string
	for _, c := range x.be.Calls("ResolveConsent") {
		accept := "decline"
		if c.Args[1].(bool) {
			accept = "accept"
		}
		out = append(out, c.Args[0].(string)+":"+accept)
	}
	return out
}

// Keys typed just before the consent dialog appeared do not answer it;
// after the grace period, d declines.
func TestConsentDialogIgnoresKeysTypedBeforeItAppeared(t *testing.T) {
	x := withAlice(t, 80, 24)
	x.send(session.ScanChanged{Status: belgium})
	x.typeText("look at thi")
	x.send(session.ConsentRequested{Request: consentRequest("r1")})
	x.mustShow("Accept scanning before encryption, or lose images, videos and links")
	x.mustShow("[d] Decline: images, videos and links cannot be sent")
	// The user was still typing: "a", "d", enter land within the grace.
	x.typeText("ad")
	x.press("enter")
	x.advance(dialog.Grace - time.Millisecond)
	x.press("a")
	if got := resolves(x); len(got) != 0 || x.m.overlay.Get(consent.ID) == nil {
		t.Fatalf("keys within the grace period answered: %v", got)
	}
	x.advance(time.Millisecond)
	x.press("d")
	if got := resolves(x); len(got) != 1 || got[0] != "r1:decline" {
		t.Fatalf("after the grace: %v", got)
	}
	if x.m.overlay.Active() {
		t.Fatal("the dialog stayed open after the answer")
	}
	// The backend confirms; the notice says what declining means.
	x.send(session.ConsentClosed{ID: "r1", Decision: "declined"})
	x.mustShow("declined: images, videos and links are blocked; text still goes")
	// What was typed before the dialog is still in compose.
	if !strings.HasPrefix(x.m.compose.Value(), "look at thi") {
		t.Fatalf("compose lost the draft: %q", x.m.compose.Value())
	}
}

// enter alone never answers; choosing then enter does; esc leaves the
// request open and /consent brings it back without a grace period.
func TestConsentDialogAcceptAndLater(t *testing.T) {
	x := withAlice(t, 80, 24)
	x.send(session.ScanChanged{Status: belgium})
	x.send(session.ConsentRequested{Request: consentRequest("r2")})
	x.advance(time.Second)
	x.press("enter")
	x.mustShow("choose first: a accepts, d declines")
	x.press("esc")
	if x.m.overlay.Active() || len(resolves(x)) != 0 {
		t.Fatal("esc answered or did not hide the dialog")
	}
	x.mustShow("consent not given yet: your messages wait")
	x.typeText("/consent")
	x.press("enter")
	x.press("left", "enter") // no grace: the user asked for it
	if got := resolves(x); len(got) != 1 || got[0] != "r2:accept" {
		t.Fatalf("resolves %v", got)
	}
}

// A request the backend withdrew closes its dialog; the next one opens.
func TestConsentRequestsWithdrawnAndQueued(t *testing.T) {
	x := withAlice(t, 80, 24)
	x.send(session.ConsentRequested{Request: consentRequest("r3")})
	x.send(session.ConsentRequested{Request: consentRequest("r4")})
	d := x.m.overlay.Get(consent.ID).(*consent.Dialog)
	if d.Request().ID != "r3" {
		t.Fatalf("shows %s first", d.Request().ID)
	}
	x.send(session.ConsentClosed{ID: "r3"})
	x.mustShow("withdrawn")
	if d := x.m.overlay.Get(consent.ID).(*consent.Dialog); d.Request().ID != "r4" {
		t.Fatalf("after the withdrawal shows %s", d.Request().ID)
	}
}

// The banner is the top row while scanning is on, at 80x24 too, in both
// themes, with its own colours; dialogs never cover it.
func TestScanBannerAlwaysOnTop(t *testing.T) {
	for _, theme := range []string{"dark", "light"} {
		x := busy(t, 80, 24, theme)
		if strings.Contains(x.screen()[0], "SIMULATION") {
			t.Fatal("a banner while scanning is off")
		}
		x.send(session.ScanChanged{Status: belgium})
		check := func(what string) {
			t.Helper()
			rows := x.screen()
			if len(rows) != 24 {
				t.Fatalf("%s %s: %d rows", theme, what, len(rows))
			}
			for i, r := range rows {
				if ansi.StringWidth(r) > 80 {
					t.Fatalf("%s %s: row %d too wide", theme, what, i)
				}
			}
			if !strings.Contains(rows[0], "SIMULATION") || !strings.Contains(rows[0], "belgium-2024") || !strings.Contains(rows[0], "Belgian Presidency") {
				t.Fatalf("%s %s: top row %q", theme, what, rows[0])
			}
			raw := strings.SplitN(x.m.View().Content, "\n", 2)[0]
			if !strings.Contains(raw, "48;2;255;211;61") || !strings.Contains(raw, "38;2;0;0;0") {
				t.Fatalf("%s %s: the banner does not set its own colours: %q", theme, what, raw)
			}
		}
		check("chat")
		x.mustShow("scan: SIMULATION belgium-2024")
		checkFrameBelowBanner(t, x)
		x.send(session.ConsentRequested{Request: consentRequest("r5")})
		check("consent dialog")
		x.advance(time.Second)
		x.press("esc")
		x.m.compose.Reset()
		x.press("f1")
		check("key help")
		x.press("esc")
		x.send(session.ScanChanged{Status: session.ScanStatus{Mode: "off"}})
		if strings.Contains(x.screen()[0], "SIMULATION") || !strings.Contains(x.text(), "scan: off") {
			t.Fatalf("%s: scanning off still shows the simulation:\n%s", theme, x.text())
		}
	}
}

// checkFrameBelowBanner: the cursor is still on the compose row.
func checkFrameBelowBanner(t *testing.T, x *harness) {
	t.Helper()
	c := x.m.View().Cursor
	rows := x.screen()
	if c == nil || !strings.Contains(rows[c.Position.Y], "draft in progress") {
		t.Fatalf("cursor %+v not on compose", c)
	}
}

// Every sent message carries its badge: verdicts from history and from
// MessageScanned, "not scanned" without one, none while still queued.
func TestScanBadgesOnSentMessages(t *testing.T) {
	be := backendtest.New()
	be.SetAccount(session.AccountInfo{JID: "me@example.org", State: session.Online})
	var ids []int64
	for _, body := range []string{"reported link", "blocked link", "plain old", "scanned text"} {
		ids = append(ids, be.Store(session.Message{Peer: alice, Direction: session.Outgoing, Body: body, Time: t0, State: session.Sent}).ID)
	}
	be.SetScan(backendtest.ScanData{Status: belgium, Verdicts: map[int64]session.ScanVerdict{
		ids[0]: {MessageID: ids[0], Action: session.ScanReported, Scanned: true},
		ids[1]: {MessageID: ids[1], Action: session.ScanBlocked},
		ids[3]: {MessageID: ids[3], Action: session.ScanAllow, Scanned: true},
	}})
	acct := session.Account{JID: "me@example.org", Password: "pw"}
	x := newHarnessWith(t, be, Options{Account: &acct}, 100, 30)
	x.typeText("/msg " + alice)
	x.press("enter")
	for body, badge := range map[string]string{"reported link": "⚑ scanned·reported", "blocked link": "⊘ unscanned·blocked",
		"plain old": "◌ not scanned", "scanned text": "◉ scanned·allow"} {
		if row := rowWith(x, body); !strings.Contains(row, badge) {
			t.Fatalf("%q row %q lacks %q", body, row, badge)
		}
	}
	x.typeText("new one")
	x.press("enter")
	if row := rowWith(x, "new one"); strings.Contains(row, "scanned") {
		t.Fatalf("a queued message has a badge before its scan: %q", row)
	}
	sent := sends(x)
	if len(sent) != 1 {
		t.Fatalf("sends %v", sent)
	}
	page, _ := be.History(t.Context(), alice, 0, 1)
	x.send(session.MessageScanned{Peer: alice, Verdict: session.ScanVerdict{MessageID: page[0].ID, Action: session.ScanAllow}})
	if row := rowWith(x, "new one"); !strings.Contains(row, "◌ unscanned·allow") {
		t.Fatalf("badge after MessageScanned: %q", row)
	}
}

// The inspector shows the parts, hashes, nearest entries against the
// threshold, the rule and the report as written; [ steps to an older
// message, which was sent while scanning was off.
func TestScanInspectorContent(t *testing.T) {
	be := backendtest.New()
	be.SetAccount(session.AccountInfo{JID: "me@example.org", State: session.Online})
	old := be.Store(session.Message{Peer: alice, Direction: session.Outgoing, Body: "before scanning", Time: t0, State: session.Sent})
	msg := be.Store(session.Message{Peer: alice, Direction: session.Outgoing, Body: "see https://blocked.example/demo/1", Time: t0, State: session.Sent})
	be.SetScan(backendtest.ScanData{Status: belgium, Inspections: map[int64]session.ScanInspection{msg.ID: {
		MessageID: msg.ID, Peer: alice, Mode: "belgium-2024", ModeTitle: "Belgian Presidency compromise 2024", LegalSource: "leaked text",
		Verdict: session.ScanVerdict{MessageID: msg.ID, Action: session.ScanReported, Scanned: true, Summary: "sent, and 1 simulated report(s) written"},
		Gate:    session.ScanGate{Passed: true, Reason: "the mode scans this message"},
		Consent: session.ScanConsent{Required: true, Covers: []string{"links"}, State: "accepted", Asked: true},
		Parts: []session.ScanPart{
			{Index: 0, Kind: "text", Origin: "body", NotScannedReason: "text not scanned in this mode"},
			{Index: 1, Kind: "link", Origin: "body link 0", URL: "https://blocked.example/demo/1", Scanned: true, Duration: 120 * time.Microsecond,
				Hashes:  []session.ScanHash{{Algorithm: "sha256", Value: "9ba1224f4f154e20"}},
				Nearest: &session.ScanMatch{List: "candor-demo-urls", EntryID: "DEMO-URL-001", Label: "DEMO ENTRY: reserved-domain link", Class: "known", Matched: true}},
			{Index: 2, Kind: "image", Origin: "attachment 0", Name: "bridge.jpg", Scanned: true, HasQuality: true, Quality: 87, QualityPassed: true,
				Hashes:  []session.ScanHash{{Algorithm: "pdq", Value: "d8f8f0cc"}},
				Nearest: &session.ScanMatch{EntryID: "DEMO-001", Label: "DEMO ENTRY: harmless bridge photo", Distance: 12, Threshold: 31, Matched: true}},
		},
		Rule:    session.ScanRule{ID: "report", Text: "known material matched", Article: "Art. 12(1)"},
		Reports: []session.ScanReport{{ID: "sim-1", Status: "would-be-sent", Recipient: "the EU Centre", JSON: "{\n  \"simulated\": true,\n  \"report_id\": \"sim-1\"\n}"}},
		Limits:  []string{"Demo lists only"},
	}}})
	acct := session.Account{JID: "me@example.org", Password: "pw"}
	x := newHarnessWith(t, be, Options{Account: &acct}, 120, 60)
	x.typeText("/msg " + alice)
	x.press("enter")
	x.typeText("/inspect scan")
	x.press("enter")
	for _, want := range []string{"[ scanner ]", "SIMULATION", "Verdict: ⚑ scanned·reported", "Mode gate: passed",
		"needed for links · decision: accepted (asked in a dialog)", "2. link (body link 0) https://blocked.example/demo/1",
		"hash sha256: 9ba1224f4f154e20", "nearest entry: DEMO-URL-001 DEMO ENTRY", "exact match of the SHA-256 → MATCH",
		"quality 87/100: kept", "Hamming distance 12 bits ≤ threshold 31 → MATCH", "scanned before encryption in 120 µs",
		"rule report: known material matched", "NOT SENT", `"report_id": "sim-1"`} {
		x.mustShow(want)
	}
	if c := x.be.Calls("InspectScan"); len(c) != 1 || c[0].Args[0].(int64) != msg.ID {
		t.Fatalf("InspectScan calls %v", c)
	}
	x.press("[")
	if c := x.be.Calls("InspectScan"); len(c) != 2 || c[1].Args[0].(int64) != old.ID {
		t.Fatalf("[ did not inspect the older message: %v", c)
	}
	x.mustShow("Not scanned: this message was sent while scanhook was off")
	x.mustShow("before scanning")
	x.press("[")
	x.mustShow("this is your oldest message loaded in this chat")
	x.press("esc")
	if x.m.overlay.Active() {
		t.Fatal("esc did not close the inspector")
	}
	x.press("f8")
	if _, ok := x.m.overlay.Get("inspector").(dialog.Dialog); !ok {
		t.Fatal("f8 did not open the inspector")
	}
}

// /scan subcommands reach the backend with their arguments; tab completes
// the mode names the backend lists.
func TestScanCommands(t *testing.T) {
	x := withAlice(t, 80, 24)
	x.send(session.ScanChanged{Status: session.ScanStatus{Mode: "off"}})
	x.typeText("/scan mode bel")
	x.press("tab")
	if x.m.compose.Value() != "/scan mode belgium-2024 " {
		t.Fatalf("completion %q", x.m.compose.Value())
	}
	x.press("enter")
	for _, c := range []struct {
		line, method string
		args         []any
	}{
		{"/scan switch images off", "SetScanSwitch", []any{"images", false}},
		{"/scan reading consent-links 1", "SetScanReading", []any{"consent-links", 1}},
		{"/scan threshold 40", "SetScanThreshold", []any{40}},
		{"/scan dihedral on", "SetScanDihedral", []any{true}},
		{"/scan fact provider-scans on", "SetScanFact", []any{"provider-scans", true}},
		{"/consent decline", "SetConsent", []any{"decline"}},
	} {
		x.typeText(c.line)
		x.press("enter")
		calls := x.be.Calls(c.method)
		if len(calls) != 1 || !reflect.DeepEqual(calls[0].Args, c.args) {
			t.Fatalf("%s: calls %v", c.line, calls)
		}
	}
	if c := x.be.Calls("SetScanMode"); len(c) != 1 || c[0].Args[0] != "belgium-2024" {
		t.Fatalf("SetScanMode %v", c)
	}
	x.be.Errs["SetScanMode"] = errString(`unknown scan mode "x": valid modes are off, belgium-2024`)
	x.typeText("/scan mode x")
	x.press("enter")
	x.mustShow(`/scan mode: unknown scan mode "x"`)
	x.typeText("/scan")
	x.press("enter")
	x.mustShow("scanhook is off")
}

// /baserate computes as the sourced figures say and recomputes as they
// are edited; a bad figure names itself.
func TestBaseRateCalculator(t *testing.T) {
	x := withAlice(t, 100, 40)
	x.typeText("/baserate")
	x.press("enter")
	def, err := session.BaseRate(session.DefaultBaseRate())
	if err != nil {
		t.Fatal(err)
	}
	x.mustShow("False reports a day: " + scanview.Count(def.FalseReportsPerDay))
	x.mustShow("Share of reports about innocent people: " + scanview.Percent(def.InnocentShare))
	x.mustShow("VATM market study") // the sources are shown
	x.press("tab")                  // the false-positive rate
	for range 10 {
		x.press("backspace")
	}
	x.typeText("1e-6")
	in := session.DefaultBaseRate()
	in.FalsePositiveRate = 1e-6
	now, _ := session.BaseRate(in)
	x.mustShow("False reports a day: " + scanview.Count(now.FalseReportsPerDay))
	x.typeText("x")
	x.mustShow(`✗ false-positive rate: "1e-6x" is not a number`)
}
