package scanhook

import (
	"context"
	"strings"
	"testing"
)

func TestEveryModeSetsEverySwitchWithABasis(t *testing.T) {
	for _, m := range Modes() {
		seen := map[Switch]bool{}
		for _, d := range m.Defaults {
			if d.Basis == "" {
				t.Errorf("%s: switch %s has no basis", m.Name, d.Switch)
			}
			if seen[d.Switch] {
				t.Errorf("%s: switch %s set twice", m.Name, d.Switch)
			}
			seen[d.Switch] = true
		}
		for _, sw := range Switches() {
			if !seen[sw] {
				t.Errorf("%s: switch %s has no default", m.Name, sw)
			}
		}
		if m.Source == "" || m.SourceStatus == "" || m.Summary == "" || m.Audio == "" || m.Reports.Recipient == "" ||
			m.Reports.LegalBasis == "" || m.Consent.Text == "" || m.Precondition.Text == "" {
			t.Errorf("%s: a description field is empty: %+v", m.Name, m)
		}
		for _, p := range m.Contested {
			if len(p.Readings) < 2 {
				t.Errorf("%s: contested point %s has %d readings; contested means at least two", m.Name, p.ID, len(p.Readings))
			}
			for i, r := range p.Readings {
				if r.Sources == "" || r.Says == "" {
					t.Errorf("%s/%s reading %d lacks its source", m.Name, p.ID, i)
				}
			}
			// The default reading is the one in effect with no overrides.
			if st := DefaultSettings().WithMode(m.Name).ContestedStates(m); st[indexOfPoint(m, p.ID)].InEffect != 0 {
				t.Errorf("%s/%s: default settings are not reading 0", m.Name, p.ID)
			}
		}
	}
}

func indexOfPoint(m Mode, id string) int {
	for i, p := range m.Contested {
		if p.ID == id {
			return i
		}
	}
	return -1
}

// The contested points the brief and legal-check.md name must be there.
func TestContestedPointsFromTheSources(t *testing.T) {
	want := map[ModeName][]string{
		ModeBelgium2024:    {"consent-links", "consent-direction"},
		ModeDenmark2025:    {"scope-text", "consent"},
		ModeCommission2022: {"urls-detection"},
	}
	for mode, ids := range want {
		m, _ := Lookup(mode)
		for _, id := range ids {
			if indexOfPoint(m, id) < 0 {
				t.Errorf("%s lacks the contested point %s", mode, id)
			}
		}
	}
}

func TestReadingsChangeBehaviour(t *testing.T) {
	ctx := context.Background()
	const me = "alice@example.org"
	linkMsg := Message{ID: "l", Account: me, Body: "blorptangle https://blocked.example/demo/1", EndToEndEncrypted: true, ChildUser: true}

	t.Run("denmark text scope", func(t *testing.T) {
		s, err := DefaultSettings().WithMode(ModeDenmark2025).WithReading("scope-text", 1)
		if err != nil {
			t.Fatal(err)
		}
		p := newTestPipeline(t, s, Options{})
		if text := onePart(t, check(t, p, linkMsg), PartText); !text.Scanned || !text.Matched {
			t.Fatalf("text reading: %+v", text)
		}
	})
	t.Run("denmark without consent", func(t *testing.T) {
		s, _ := DefaultSettings().WithMode(ModeDenmark2025).WithReading("consent", 1)
		p := newTestPipeline(t, s, Options{})
		res := check(t, p, standardMessage(t, true))
		if res.Consent.Required || !onePart(t, res, PartImage).Scanned {
			t.Fatalf("no-consent reading: consent %+v", res.Consent)
		}
	})
	t.Run("belgium links not gated", func(t *testing.T) {
		s, _ := DefaultSettings().WithMode(ModeBelgium2024).WithReading("consent-links", 1)
		p := newTestPipeline(t, s, Options{})
		if err := p.SetConsent(ctx, me, ConsentDeclined, ViaCommand); err != nil {
			t.Fatal(err)
		}
		res := check(t, p, linkMsg)
		if link := onePart(t, res, PartLink); link.Blocked || !link.Scanned || !res.Decision.SendBody {
			t.Fatalf("link under the images-and-videos-only reading: %+v", link)
		}
	})
	t.Run("belgium consent on receiving", func(t *testing.T) {
		s, _ := DefaultSettings().WithMode(ModeBelgium2024).WithReading("consent-direction", 1)
		p := newTestPipeline(t, s, Options{})
		if err := p.SetConsent(ctx, me, ConsentDeclined, ViaCommand); err != nil {
			t.Fatal(err)
		}
		res := check(t, p, standardMessage(t, true))
		if res.Decision.Action == ActionBlock || !strings.Contains(res.Consent.Note, "receiving") {
			t.Fatalf("receiving reading blocked the sender: %+v / %+v", res.Decision, res.Consent)
		}
	})
	t.Run("commission urls", func(t *testing.T) {
		s, _ := DefaultSettings().WithMode(ModeCommission2022).WithReading("urls-detection", 1)
		p := newTestPipeline(t, s, Options{})
		if link := onePart(t, check(t, p, linkMsg), PartLink); !link.Scanned || !link.Matched {
			t.Fatalf("urls reading: %+v", link)
		}
	})
	t.Run("unknown point", func(t *testing.T) {
		if _, err := DefaultSettings().WithMode(ModeOff).WithReading("scope-text", 0); err == nil ||
			!strings.Contains(err.Error(), "scope-text") {
			t.Errorf("error %v", err)
		}
		if _, err := DefaultSettings().WithMode(ModeDenmark2025).WithReading("scope-text", 7); err == nil {
			t.Error("reading 7 accepted")
		}
	})
}

func TestTesterSwitchesSingleScopeItems(t *testing.T) {
	s := DefaultSettings().WithMode(ModeCommission2022).WithSwitch(SwitchImages, false)
	p := newTestPipeline(t, s, Options{})
	res := check(t, p, standardMessage(t, true))
	img := onePart(t, res, PartImage)
	if img.Scanned || !strings.Contains(img.NotScannedReason, "switched off by the tester") {
		t.Fatalf("image with images off: %+v", img)
	}
	if !onePart(t, res, PartText).Scanned {
		t.Error("text stopped being scanned")
	}
	var state SwitchState
	for _, st := range res.Switches {
		if st.Switch == SwitchImages {
			state = st
		}
	}
	if state.On || !state.Default || !state.Overridden {
		t.Errorf("switch state %+v", state)
	}
	// Setting it back removes the override; changing mode clears overrides.
	if back := s.WithSwitch(SwitchImages, true); len(back.Overrides) != 0 {
		t.Errorf("overrides after switching back: %v", back.Overrides)
	}
	if next := s.WithMode(ModeBelgium2024); len(next.Overrides) != 0 {
		t.Errorf("overrides survive a mode change: %v", next.Overrides)
	}
}

func TestModeSwitchAtRunTime(t *testing.T) {
	p := newTestPipeline(t, DefaultSettings(), Options{})
	msg := standardMessage(t, false)
	if res := check(t, p, msg); res.ScannedBeforeEncryption || res.Decision.Rule.ID != RuleModeOff {
		t.Fatalf("off: %+v", res.Decision)
	}
	if err := p.SetMode(ModeInterim2021); err != nil {
		t.Fatal(err)
	}
	if res := check(t, p, msg); !res.ScannedBeforeEncryption || res.Mode != ModeInterim2021 {
		t.Fatalf("after SetMode: %+v", res.Decision)
	}
	if err := p.SetMode("chat-control-3000"); err == nil {
		t.Fatal("bad mode accepted")
	}
	if p.Settings().Mode != ModeInterim2021 {
		t.Fatal("a refused mode changed the settings")
	}
	if st := p.Status(); !strings.HasPrefix(st.Banner, "SIMULATION") || st.E2EEScanned {
		t.Errorf("status %+v", st)
	}
}

func TestParseMode(t *testing.T) {
	for _, name := range ModeNames() {
		got, err := ParseMode(" " + strings.ToUpper(string(name)) + " ")
		if err != nil || got != name {
			t.Errorf("ParseMode(%q) = %q, %v", name, got, err)
		}
	}
	_, err := ParseMode("chatcontrol")
	if err == nil {
		t.Fatal("unknown mode parsed")
	}
	for _, name := range ModeNames() {
		if !strings.Contains(err.Error(), string(name)) {
			t.Errorf("error %q does not list %s", err, name)
		}
	}
	if !strings.Contains(err.Error(), `"chatcontrol"`) {
		t.Errorf("error %q does not name the input", err)
	}
	if len(ModeNames()) != 8 || ModeNames()[0] != ModeOff || DefaultSettings().Mode != ModeOff {
		t.Errorf("modes %v; off must be first and the default", ModeNames())
	}
}

func TestLookupHandsOutCopies(t *testing.T) {
	m, _ := Lookup(ModeBelgium2024)
	m.Defaults[0].On = !m.Defaults[0].On
	m.Contested[0].Readings[0].Sets[SwitchConsentLinks] = false
	again, _ := Lookup(ModeBelgium2024)
	if again.Defaults[0].On == m.Defaults[0].On || !again.Contested[0].Readings[0].Sets[SwitchConsentLinks] {
		t.Fatal("changing a looked-up mode changed the table")
	}
}

func TestSettingsValidate(t *testing.T) {
	bad := []Settings{
		func() Settings { s := DefaultSettings(); s.PDQThreshold = 300; return s }(),
		func() Settings { s := DefaultSettings(); s.PDQThreshold = -1; return s }(),
		func() Settings { s := DefaultSettings(); s.QualityMin = 101; return s }(),
		func() Settings { s := DefaultSettings(); s.TextThreshold = 0; return s }(),
		func() Settings { s := DefaultSettings(); s.Mode = "nope"; return s }(),
		func() Settings { s := DefaultSettings(); s.Overrides = map[Switch]bool{"bogus": true}; return s }(),
	}
	for i, s := range bad {
		if err := s.Validate(); err == nil {
			t.Errorf("%d: %+v validated", i, s)
		}
	}
	if _, err := ParseSwitch("nonsense"); err == nil || !strings.Contains(err.Error(), "consent-links") {
		t.Errorf("ParseSwitch error %v does not list the switches", err)
	}
}

func TestContestedBasisNamesTheReadingInEffect(t *testing.T) {
	s := DefaultSettings().WithMode(ModeDenmark2025)
	m, _ := Lookup(ModeDenmark2025)
	if got := reasonFor(m, s, SwitchConsent); !strings.Contains(got, "reading in effect: yes") {
		t.Errorf("default reading: %q", got)
	}
	s, _ = s.WithReading("consent", 1)
	if got := reasonFor(m, s, SwitchConsent); !strings.Contains(got, "no consent rule is documented") {
		t.Errorf("second reading: %q", got)
	}
}
