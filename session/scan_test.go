package session

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/scanhook"
)

// openScanning opens an account offline (no server: the scan stage needs
// none) with the consent dialog attached.
func openScanning(t *testing.T) (*Client, *recorder) {
	t.Helper()
	c, err := New(Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	r := record(c)
	if err := c.Open(context.Background(), Account{JID: "alice@example.org"}); err != nil {
		t.Fatal(err)
	}
	if err := c.EnableConsentDialog(); err != nil {
		t.Fatal(err)
	}
	return c, r
}

func queued(t *testing.T, c *Client, body string) outgoing {
	t.Helper()
	m, err := c.Send(context.Background(), SendRequest{To: "bob@example.org", Body: body})
	if err != nil {
		t.Fatal(err)
	}
	return outgoing{ID: m.ID, OriginID: m.OriginID, Peer: m.Peer, Body: m.Body}
}

type stageResult struct {
	res *scanhook.Result
	err error
}

func runStage(c *Client, out outgoing) chan stageResult {
	done := make(chan stageResult, 1)
	go func() {
		res, err := c.scanStage(context.Background(), out, nil)
		done <- stageResult{res, err}
	}()
	return done
}

// Mode off costs nothing and keeps nothing.
func TestScanStageOffKeepsNoVerdict(t *testing.T) {
	c, _ := openScanning(t)
	out := queued(t, c, "see https://blocked.example/demo/1")
	res, err := c.scanStage(context.Background(), out, nil)
	if res != nil || err != nil {
		t.Fatalf("mode off: %v, %v", res, err)
	}
	if _, err := c.InspectScan(context.Background(), out.ID); !errors.Is(err, ErrNotScanned) {
		t.Fatalf("inspect an unscanned message: %v", err)
	}
	vs, err := c.ScanVerdicts(context.Background(), []int64{out.ID})
	if err != nil || len(vs) != 0 {
		t.Fatalf("verdicts %v, %v", vs, err)
	}
}

// In a consent mode the first link raises a request; declining blocks the
// link with a reason naming the part and the rule; the verdict is kept and
// reused; accepting lets the next one through with a simulated report in
// the account's sink.
func TestScanStageConsentDeclineThenAccept(t *testing.T) {
	ctx := context.Background()
	c, r := openScanning(t)
	if err := c.SetScanMode("belgium-2024"); err != nil {
		t.Fatal(err)
	}
	st := r.wait(t, "scan changed", func(ev Event) bool { _, ok := ev.(ScanChanged); return ok }).(ScanChanged).Status
	if !st.On || st.Mode != "belgium-2024" || !strings.HasPrefix(st.Banner, "SIMULATION") || st.Source == "" || st.ReportsFile == "" {
		t.Fatalf("status %+v", st)
	}

	link := queued(t, c, "look https://blocked.example/demo/1")
	done := runStage(c, link)
	req := r.wait(t, "consent request", func(ev Event) bool { _, ok := ev.(ConsentRequested); return ok }).(ConsentRequested).Request
	if req.Peer != "bob@example.org" || req.MessageID != link.ID || req.CreatedAt.IsZero() ||
		!strings.Contains(req.Question, "accept scanning before encryption") || len(req.Covers) == 0 || req.AcceptLabel == "" {
		t.Fatalf("request %+v", req)
	}
	if p := c.PendingConsent(); len(p) != 1 || p[0].ID != req.ID {
		t.Fatalf("pending %+v", p)
	}
	if err := c.ResolveConsent(ctx, req.ID, false); err != nil {
		t.Fatal(err)
	}
	if err := c.ResolveConsent(ctx, req.ID, true); err == nil {
		t.Fatal("a second answer was taken")
	}
	closed := r.wait(t, "consent closed", func(ev Event) bool { _, ok := ev.(ConsentClosed); return ok }).(ConsentClosed)
	if closed.ID != req.ID || closed.Decision != "declined" {
		t.Fatalf("closed %+v", closed)
	}
	got := <-done
	if got.err != nil || got.res.Decision.Action != scanhook.ActionBlock || got.res.Decision.SendBody {
		t.Fatalf("declined link: %+v, %v", got.res, got.err)
	}
	reason := blockReason(got.res)
	for _, want := range []string{"SIMULATION", "link https://blocked.example/demo/1", "(body link 0)", "consent-block", "Breyer"} {
		if !strings.Contains(reason, want) || strings.Contains(reason, "\n") {
			t.Fatalf("block reason %q lacks %q", reason, want)
		}
	}
	scanned := r.wait(t, "verdict", func(ev Event) bool { _, ok := ev.(MessageScanned); return ok }).(MessageScanned)
	if scanned.Verdict.MessageID != link.ID || scanned.Verdict.Action != ScanBlocked || scanned.Verdict.Reason != reason {
		t.Fatalf("verdict event %+v", scanned)
	}
	// A body block is not kept by the stage: the outbox fails the message
	// and keeps the verdict in one step.
	if _, found, _ := c.keptVerdict(ctx, link.ID); found {
		t.Fatal("the stage kept a blocking verdict on its own")
	}
	db, _ := c.store()
	stored, err := db.Message(ctx, link.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.failBlocked(ctx, stored, got.res); err != nil {
		t.Fatal(err)
	}
	failed := r.wait(t, "failed", func(ev Event) bool { u, ok := ev.(MessageUpdated); return ok && u.ID == link.ID }).(MessageUpdated)
	if failed.State != Failed || failed.Err != reason {
		t.Fatalf("update %+v", failed)
	}
	// Kept: asked again, the stage answers from the store without asking.
	again, err := c.scanStage(ctx, link, nil)
	if err != nil || again.Decision.Action != scanhook.ActionBlock || again.MessageID != got.res.MessageID {
		t.Fatalf("kept verdict: %+v, %v", again, err)
	}

	// Text alone needs no consent and goes.
	text := queued(t, c, "just words")
	res, err := c.scanStage(ctx, text, nil)
	if err != nil || res.Decision.Action != scanhook.ActionAllow || !res.Decision.SendBody {
		t.Fatalf("text: %+v, %v", res, err)
	}

	if err := c.SetConsent(ctx, "accept"); err != nil {
		t.Fatal(err)
	}
	cs, err := c.ConsentStatus(ctx)
	if err != nil || cs.State != "accepted" || cs.Via != "command" || len(cs.Log) != 2 || cs.Log[1].Via != "dialog" || cs.Log[1].Decision != "declined" {
		t.Fatalf("consent status %+v, %v", cs, err)
	}
	second := queued(t, c, "again https://blocked.example/demo/1#key")
	res, err = c.scanStage(ctx, second, nil)
	if err != nil || res.Decision.Action != scanhook.ActionAllowAndReport || len(res.Reports) != 1 {
		t.Fatalf("accepted link: %+v, %v", res, err)
	}
	reports, err := scanhook.ReadReports(st.ReportsFile)
	if err != nil || len(reports) != 1 || reports[0].ReportID != res.Reports[0].ReportID || !reports[0].Simulated {
		t.Fatalf("sink %s: %+v, %v", st.ReportsFile, reports, err)
	}

	in, err := c.InspectScan(ctx, second.ID)
	if err != nil {
		t.Fatal(err)
	}
	if in.Peer != "bob@example.org" || in.Verdict.Action != ScanReported || !in.Verdict.Scanned || len(in.Reports) != 1 ||
		!strings.Contains(in.Reports[0].JSON, `"simulated": true`) || !strings.Contains(in.ResultJSON, "belgium-2024") {
		t.Fatalf("inspection %+v", in)
	}
	var linkPart *ScanPart
	for i := range in.Parts {
		if in.Parts[i].Kind == "link" {
			linkPart = &in.Parts[i]
		}
	}
	if linkPart == nil || linkPart.URL != "https://blocked.example/demo/1" || linkPart.Nearest == nil ||
		!linkPart.Nearest.Matched || !strings.HasPrefix(linkPart.Nearest.Label, "DEMO ENTRY") || len(linkPart.Hashes) == 0 {
		t.Fatalf("link part %+v", linkPart)
	}
	vs, err := c.ScanVerdicts(ctx, []int64{link.ID, text.ID, second.ID})
	if err != nil || vs[link.ID].Action != ScanBlocked || vs[text.ID].Action != ScanAllow || vs[second.ID].Action != ScanReported {
		t.Fatalf("verdicts %+v, %v", vs, err)
	}
}

// A request whose message gives up is announced as withdrawn.
func TestConsentRequestWithdrawnWhenTheMessageGivesUp(t *testing.T) {
	c, r := openScanning(t)
	if err := c.SetScanMode("belgium-2024"); err != nil {
		t.Fatal(err)
	}
	out := queued(t, c, "https://blocked.example/demo/1")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := c.scanStage(ctx, out, nil); done <- err }()
	req := r.wait(t, "consent request", func(ev Event) bool { _, ok := ev.(ConsentRequested); return ok }).(ConsentRequested).Request
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("stage after cancel: %v", err)
	}
	closed := r.wait(t, "withdrawn", func(ev Event) bool { _, ok := ev.(ConsentClosed); return ok }).(ConsentClosed)
	if closed.ID != req.ID || closed.Decision != "" {
		t.Fatalf("closed %+v", closed)
	}
	if _, found, _ := c.keptVerdict(context.Background(), out.ID); found {
		t.Fatal("a verdict was kept for a message that was not checked")
	}
}

// Headless clients ask nobody: what needs consent is blocked, not sent.
func TestScanStageWithoutDialogBlocksUndecided(t *testing.T) {
	c, err := New(Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Open(context.Background(), Account{JID: "alice@example.org"}); err != nil {
		t.Fatal(err)
	}
	if err := c.SetScanMode("denmark-2025"); err != nil {
		t.Fatal(err)
	}
	m, err := c.Send(context.Background(), SendRequest{To: "bob@example.org", Body: "https://blocked.example/demo/1"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := c.scanStage(ctx, outgoing{ID: m.ID, OriginID: m.OriginID, Peer: m.Peer, Body: m.Body}, nil)
	if err != nil || res.Decision.SendBody || res.Consent.Asked {
		t.Fatalf("headless: %+v, %v", res, err)
	}
	if err := c.SetConsentFromFlag(ctx, "accept"); err != nil {
		t.Fatal(err)
	}
	cs, err := c.ConsentStatus(ctx)
	if err != nil || cs.State != "accepted" || cs.Via != "config" {
		t.Fatalf("consent from the flag: %+v, %v", cs, err)
	}
}

func TestScanSettingsErrorsNameTheInput(t *testing.T) {
	c, _ := openScanning(t)
	for _, tc := range []struct {
		err  error
		want string
	}{
		{c.SetScanMode("belgium-2042"), `"belgium-2042"`},
		{c.SetScanSwitch("images", false), "choose a mode first"},
		{c.SetScanThreshold(300), "300"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Fatalf("error %v lacks %s", tc.err, tc.want)
		}
	}
	if err := c.SetScanMode("commission-2022"); err != nil {
		t.Fatal(err)
	}
	if err := c.SetScanReading("urls-detection", 1); err != nil {
		t.Fatal(err)
	}
	if err := c.SetScanReading("urls-detection", 7); err == nil || !strings.Contains(err.Error(), "7") {
		t.Fatalf("reading 7: %v", err)
	}
	if err := c.SetScanDihedral(true); err != nil {
		t.Fatal(err)
	}
	st := c.ScanStatus()
	if !st.Dihedral || len(st.Contested) != 1 || st.Contested[0].InEffect != 1 {
		t.Fatalf("status %+v", st)
	}
	if err := c.SetConsent(context.Background(), "accept"); err == nil || !strings.Contains(err.Error(), "asks for no consent") {
		t.Fatalf("consent in a mode without it: %v", err)
	}
}

// The simulated facts reach the pipeline: council-2025 scans only where
// the provider chose to, and grooming detection needs a child user.
func TestScanFactsReachThePipeline(t *testing.T) {
	ctx := context.Background()
	c, _ := openScanning(t)
	if err := c.SetScanFact("tomorrow", true); err == nil || !strings.Contains(err.Error(), `"tomorrow"`) || !strings.Contains(err.Error(), "provider-scans") {
		t.Fatalf("unknown fact: %v", err)
	}
	if err := c.SetScanMode("council-2025"); err != nil {
		t.Fatal(err)
	}
	res, err := c.scanStage(ctx, queued(t, c, "see https://blocked.example/demo/1"), nil)
	if err != nil || res.Gate.Passed {
		t.Fatalf("council-2025 without the provider's choice: %+v, %v", res.Gate, err)
	}
	if err := c.SetScanFact("provider-scans", true); err != nil {
		t.Fatal(err)
	}
	res, err = c.scanStage(ctx, queued(t, c, "see https://blocked.example/demo/1"), nil)
	if err != nil || !res.Gate.Passed {
		t.Fatalf("council-2025 with the provider's choice: %+v, %v", res.Gate, err)
	}

	if err := c.SetScanMode("commission-2022"); err != nil {
		t.Fatal(err)
	}
	textScanned := func() bool {
		t.Helper()
		res, err := c.scanStage(ctx, queued(t, c, "are we still on for tomorrow?"), nil)
		if err != nil {
			t.Fatal(err)
		}
		return res.Parts[0].Kind == "text" && res.Parts[0].Scanned
	}
	if textScanned() {
		t.Fatal("text scanned without a child user")
	}
	if err := c.SetScanFact("child-user", true); err != nil {
		t.Fatal(err)
	}
	if !textScanned() {
		t.Fatal("text not scanned with a child user")
	}
	facts := map[string]bool{}
	for _, f := range c.ScanStatus().Facts {
		facts[f.Name] = f.On
	}
	if !facts["child-user"] || !facts["provider-scans"] || facts["targeted"] || len(facts) != 3 {
		t.Fatalf("facts %v", facts)
	}
}
