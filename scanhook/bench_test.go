package scanhook

import (
	"context"
	"testing"
)

// BenchmarkPipeline measures the latency the hook adds to one outgoing
// message in each mode: a text-only message, a message with a link, and a
// message with a 512x512 PNG (decoded and PDQ-hashed when the mode scans
// images), each in a plaintext and an OMEMO chat (the parliament-2023 and
// council-2025 preconditions set). Consent is accepted beforehand; reports go to no sink, so the
// figures are the scanning itself, not disk writes.
func BenchmarkPipeline(b *testing.B) {
	img := encodePNG(b, pattern(3, 512, 512))
	messages := []struct {
		name string
		msg  Message
	}{
		{"text", Message{ID: "b", Account: alice, Body: "see you at the station at eight, bring the map"}},
		{"link", Message{ID: "b", Account: alice, Body: "see https://news.example/article/42?ref=chat"}},
		{"image512", Message{ID: "b", Account: alice, Body: "photo", Attachments: []Attachment{attach("p.png", img)}}},
	}
	ctx := context.Background()
	for _, name := range ModeNames() {
		p := newTestPipeline(b, DefaultSettings().WithMode(name), Options{})
		if m, _ := Lookup(name); DefaultSettings().WithMode(name).On(m, SwitchConsent) {
			if err := p.SetConsent(ctx, alice, ConsentAccepted, ViaConfig); err != nil {
				b.Fatal(err)
			}
		}
		for _, chat := range []string{"plaintext", "omemo"} {
			for _, tc := range messages {
				msg := tc.msg
				msg.EndToEndEncrypted = chat == "omemo"
				msg.Targeted, msg.ProviderScans, msg.ChildUser = true, true, true
				b.Run(string(name)+"/"+chat+"/"+tc.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if _, err := p.Check(ctx, msg); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}
