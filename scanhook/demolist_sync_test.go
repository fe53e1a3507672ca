package scanhook

import (
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/scanhook/demo"
	"github.com/candor-xmpp/candor/scanhook/pdq"
)

// The embedded PDQ list must carry scanhook/demo's list unchanged, so that
// the generated demo material matches what the speaker expects.
func TestEmbeddedPDQListCarriesTheDemoList(t *testing.T) {
	card, _, err := pdq.HashImage(demo.TestCard())
	if err != nil {
		t.Fatal(err)
	}
	logo, _, err := pdq.HashImage(demo.Logo())
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]ListEntry{}
	for _, e := range mustDemoLists(t).PDQ.Entries {
		byID[e.ID] = e
	}
	for _, want := range demo.List(card, logo) {
		got, ok := byID[want.ID]
		if !ok || got.Value != want.Hash || got.Label != want.Label || got.Class != ClassKnown {
			t.Errorf("%s: embedded %+v, demo package %+v", want.ID, got, want)
		}
	}
}

// The crafted false positive of scanhook/demo (a landscape pushed towards
// the test card's hash) is reported as the test card, and the test card's
// evasions behave as the demo package says.
func TestDemoMaterialThroughThePipeline(t *testing.T) {
	m, err := demo.Generate()
	if err != nil {
		t.Fatal(err)
	}
	p := newTestPipeline(t, DefaultSettings().WithMode(ModeCommission2022), Options{Lists: mustDemoLists(t)})
	for name, c := range map[string]struct {
		png  []byte
		want string
	}{
		"test card":      {encodePNG(t, m.TestCard), "DEMO-004"},
		"logo":           {encodePNG(t, m.Logo), "DEMO-005"},
		"false positive": {encodePNG(t, m.FalsePositive), "DEMO-004"},
		"landscape":      {encodePNG(t, m.Landscape), ""},
	} {
		res := check(t, p, Message{ID: name, Account: alice, EndToEndEncrypted: true,
			Attachments: []Attachment{attach(strings.ReplaceAll(name, " ", "-")+".png", c.png)}})
		img := onePart(t, res, PartImage)
		got := ""
		if img.Matched {
			got = img.Nearest.EntryID
		}
		if got != c.want {
			t.Errorf("%s matched %q, want %q (nearest %+v)", name, got, c.want, img.Nearest)
		}
	}
}
