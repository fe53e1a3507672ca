package session

import (
	"context"
	"testing"
)

// The send path's added latency with scanning on against off: each
// iteration queues a message (Send, as the UI does) and runs the policy
// stage the outbox runs before encryption (scanStage, keeping the verdict
// and, on a match, appending the simulated report to the sink). The
// difference to "off" is what scanning adds; no network is involved.
func BenchmarkSendPathScan(b *testing.B) {
	cases := []struct {
		name, mode, body string
		accept           bool
	}{
		{"off/link", "off", "see https://blocked.example/demo/1", false},
		{"interim-2021/text", "interim-2021", "are we still on for tomorrow at the station?", false},
		{"belgium-2024/text", "belgium-2024", "are we still on for tomorrow at the station?", false},
		{"belgium-2024/link-unlisted", "belgium-2024", "see https://news.example/today", true},
		{"belgium-2024/link-reported", "belgium-2024", "see https://blocked.example/demo/1", true},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			c, err := New(Options{DataDir: b.TempDir()})
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			go func() {
				for range c.Events() {
				}
			}()
			if err := c.Open(ctx, Account{JID: "alice@example.org"}); err != nil {
				b.Fatal(err)
			}
			if err := c.SetScanMode(tc.mode); err != nil {
				b.Fatal(err)
			}
			if tc.accept {
				if err := c.SetConsent(ctx, "accept"); err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				m, err := c.Send(ctx, SendRequest{To: "bob@example.org", Body: tc.body})
				if err != nil {
					b.Fatal(err)
				}
				res, err := c.scanStage(ctx, outgoing{ID: m.ID, OriginID: m.OriginID, Peer: m.Peer, Body: m.Body}, nil)
				if err != nil {
					b.Fatal(err)
				}
				if (res == nil) != (tc.mode == "off") || res != nil && !res.Decision.SendBody {
					b.Fatalf("%s: unexpected result %+v", tc.name, res)
				}
			}
		})
	}
}
