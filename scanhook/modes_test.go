package scanhook

import (
	"context"
	"strings"
	"testing"
)

// scanned says which of the three parts of the standard message were scanned.
type scanned struct{ text, link, image bool }

// The table rows as the brief and legal-check.md state them, written out
// independently of the mode table so that a wrong row fails.
var modeRows = []struct {
	mode       ModeName
	plaintext  scanned // in a chat without end-to-end encryption
	encrypted  scanned // in an OMEMO chat
	consent    bool    // the first image or link needs a consent decision
	recipient  string  // where reports go
	reportsAll bool    // a known image in a plaintext chat is reported
}{
	{ModeOff, scanned{}, scanned{}, false, "none", false},
	{ModeInterim2021, scanned{true, false, true}, scanned{}, false, "law enforcement authorities and organisations acting in the public interest", true},
	{ModeInterim2026, scanned{true, false, true}, scanned{}, false, "law enforcement authorities and organisations acting in the public interest", true},
	{ModeCommission2022, scanned{true, false, true}, scanned{true, false, true}, false, "the EU Centre", true},
	{ModeParliament2023, scanned{false, false, true}, scanned{}, false, "the EU Centre", true},
	{ModeBelgium2024, scanned{false, true, true}, scanned{false, true, true}, true, "the EU Centre", true},
	{ModeDenmark2025, scanned{false, true, true}, scanned{false, true, true}, true, "the EU Centre", true},
	{ModeCouncil2025, scanned{true, false, true}, scanned{}, false, "the EU Centre", true},
}

// standardMessage has a trigger word, a listed link and a listed picture
// (seed 1, re-encoded as JPEG and named .bin). The situation flags are set
// so that every mode's precondition holds.
func standardMessage(t testing.TB, e2ee bool) Message {
	return Message{ID: "std", Account: "alice@example.org", Recipients: []string{"bob@example.org"},
		Body:              "hi blorptangle, see https://blocked.example/demo/1",
		Attachments:       []Attachment{attach("notes.bin", encodeJPEG(t, pattern(1, 256, 256)))},
		EndToEndEncrypted: e2ee, ChildUser: true, Targeted: true, ProviderScans: true}
}

func TestModesBehaveAsTheirTableRows(t *testing.T) {
	for _, row := range modeRows {
		for _, e2ee := range []bool{false, true} {
			name := string(row.mode) + map[bool]string{false: "/plaintext", true: "/omemo"}[e2ee]
			t.Run(name, func(t *testing.T) {
				consent := NewMemoryConsentStore()
				p := newTestPipeline(t, DefaultSettings().WithMode(row.mode), Options{Consent: consent})
				if row.consent {
					if err := p.SetConsent(context.Background(), "alice@example.org", ConsentAccepted, ViaConfig); err != nil {
						t.Fatal(err)
					}
				} else if err := p.SetConsent(context.Background(), "alice@example.org", ConsentAccepted, ViaConfig); err == nil {
					t.Errorf("SetConsent accepted in a mode without consent")
				}
				res := check(t, p, standardMessage(t, e2ee))
				want := row.plaintext
				if e2ee {
					want = row.encrypted
				}
				got := scanned{}
				for _, part := range res.Parts {
					switch part.Kind {
					case PartText:
						got.text = part.Scanned
					case PartLink:
						got.link = part.Scanned
					case PartImage:
						got.image = part.Scanned
					}
					if !part.Scanned && part.NotScannedReason == "" {
						t.Errorf("part %s not scanned without a reason", part.Origin)
					}
				}
				if got != want {
					t.Errorf("scanned %+v, want %+v; parts %+v", got, want, res.Parts)
				}
				if res.ScannedBeforeEncryption != (want != scanned{}) {
					t.Errorf("ScannedBeforeEncryption = %v", res.ScannedBeforeEncryption)
				}
				if res.Consent.Required != (row.consent && want != scanned{}) {
					t.Errorf("consent required = %v, want %v", res.Consent.Required, row.consent)
				}
				m, _ := Lookup(row.mode)
				if !strings.HasPrefix(m.Reports.Recipient, row.recipient) {
					t.Errorf("reports go to %q, want %q", m.Reports.Recipient, row.recipient)
				}
				for _, r := range res.Reports {
					if r.Recipient != m.Reports.Recipient || !r.Simulated {
						t.Errorf("report to %q simulated=%v", r.Recipient, r.Simulated)
					}
				}
				imageReported := false
				for _, r := range res.Reports {
					imageReported = imageReported || r.Points.E.Type == ClassKnown && r.Points.C.Items[0].Kind == PartImage
				}
				if wantReport := row.reportsAll && want.image; imageReported != wantReport {
					t.Errorf("known image reported = %v, want %v", imageReported, wantReport)
				}
				wantAction := ActionAllow
				if len(res.Reports) > 0 {
					wantAction = ActionAllowAndReport
				}
				if res.Decision.Action != wantAction || res.Decision.Rule.Article == "" {
					t.Errorf("decision %+v, want %s with an article", res.Decision, wantAction)
				}
				if !strings.HasPrefix(res.Simulation, "SIMULATION") || !strings.HasPrefix(res.Line(), "SIMULATION") {
					t.Errorf("result does not say SIMULATION")
				}
			})
		}
	}
}

func TestParliamentScansNothingWithoutATargetedOrder(t *testing.T) {
	p := newTestPipeline(t, DefaultSettings().WithMode(ModeParliament2023), Options{})
	msg := standardMessage(t, false)
	msg.Targeted = false
	res := check(t, p, msg)
	if res.Gate.Passed || res.ScannedBeforeEncryption || len(res.Reports) != 0 {
		t.Fatalf("untargeted user scanned: %+v", res)
	}
	if !strings.Contains(res.Gate.Reason, "judicial order") || res.Decision.Rule.ID != RuleGateClosed {
		t.Errorf("gate reason %q, rule %s", res.Gate.Reason, res.Decision.Rule.ID)
	}
	for _, part := range res.Parts {
		if part.Sniffed != nil {
			t.Errorf("attachment was read although nothing is scanned: %+v", part)
		}
	}
}

func TestCouncilScansOnlyWhenTheProviderChooses(t *testing.T) {
	p := newTestPipeline(t, DefaultSettings().WithMode(ModeCouncil2025), Options{})
	msg := standardMessage(t, false)
	msg.ProviderScans = false
	if res := check(t, p, msg); res.ScannedBeforeEncryption || !strings.Contains(res.Gate.Reason, "provider chose not to scan") {
		t.Fatalf("provider off: %+v", res.Gate)
	}
	msg.ProviderScans = true
	if res := check(t, p, msg); !res.ScannedBeforeEncryption {
		t.Fatal("provider on: nothing scanned")
	}
}

func TestCommissionGroomingOnlyWithAChildUser(t *testing.T) {
	p := newTestPipeline(t, DefaultSettings().WithMode(ModeCommission2022), Options{})
	msg := standardMessage(t, true)
	msg.ChildUser = false
	res := check(t, p, msg)
	text := onePart(t, res, PartText)
	if text.Scanned || !strings.Contains(text.NotScannedReason, "Art. 7(7)") {
		t.Fatalf("text without a child user: %+v", text)
	}
	if !onePart(t, res, PartImage).Scanned {
		t.Fatal("image not scanned")
	}
}

func TestE2EEExclusionCitesTheArticle(t *testing.T) {
	p := newTestPipeline(t, DefaultSettings().WithMode(ModeInterim2026), Options{})
	res := check(t, p, standardMessage(t, true))
	if res.Gate.Passed || !strings.Contains(res.Gate.Reason, "Art. 1(3)") || res.Decision.Action != ActionAllow {
		t.Fatalf("gate %+v decision %+v", res.Gate, res.Decision)
	}
}

func TestReportStatusFollowsTheMode(t *testing.T) {
	// Under the interim regime grooming and new material wait for a human
	// (Art. 3(1)(g)(iii)); known material is reported at once.
	p := newTestPipeline(t, DefaultSettings().WithMode(ModeInterim2021), Options{})
	msg := standardMessage(t, false)
	msg.Attachments = append(msg.Attachments, attach("b.png", encodePNG(t, pattern(2, 256, 256))))
	res := check(t, p, msg)
	statuses := map[Class]ReportStatus{}
	for _, r := range res.Reports {
		statuses[r.Points.E.Type] = r.Status
	}
	want := map[Class]ReportStatus{ClassKnown: ReportWouldBeSent, ClassNew: ReportHeldForReview, ClassSolicitation: ReportHeldForReview}
	for c, s := range want {
		if statuses[c] != s {
			t.Errorf("%s: status %q, want %q (all: %v)", c, statuses[c], s, statuses)
		}
	}
	// Under COM(2022) 209 every report goes to the EU Centre at once (Art. 12(1)).
	p = newTestPipeline(t, DefaultSettings().WithMode(ModeCommission2022), Options{})
	for _, r := range check(t, p, msg).Reports {
		if r.Status != ReportWouldBeSent || r.AnnexIII.AwarenessChannel != "detection order" {
			t.Errorf("commission report %s: %s via %s", r.Points.E.Type, r.Status, r.AnnexIII.AwarenessChannel)
		}
	}
}

func TestBelgianNewMaterialNeedsTwoFlagsAndIsPseudonymised(t *testing.T) {
	consent := NewMemoryConsentStore()
	p := newTestPipeline(t, DefaultSettings().WithMode(ModeBelgium2024), Options{Consent: consent})
	if err := p.SetConsent(context.Background(), "alice@example.org", ConsentAccepted, ViaConfig); err != nil {
		t.Fatal(err)
	}
	msg := Message{ID: "n1", Account: "alice@example.org", Recipients: []string{"bob@example.org"}, EndToEndEncrypted: true,
		Attachments: []Attachment{attach("new.png", encodePNG(t, pattern(2, 256, 256)))}}
	first := check(t, p, msg)
	img := onePart(t, first, PartImage)
	if !img.Matched || img.Flags != 1 || len(first.Reports) != 0 || first.Decision.Rule.ID != RuleFlagCounted {
		t.Fatalf("first flag: part %+v reports %d rule %s", img, len(first.Reports), first.Decision.Rule.ID)
	}
	second := check(t, p, msg)
	if len(second.Reports) != 1 {
		t.Fatalf("second flag: %d reports", len(second.Reports))
	}
	r := second.Reports[0]
	if r.Status != ReportPseudonymised || !r.Points.G.Pseudonymous || strings.Contains(r.Points.G.Username, "alice") ||
		r.Points.E.Type != ClassNew || second.Decision.Rule.ID != RuleReportPseudonym {
		t.Fatalf("second flag report: %+v", r)
	}
}
