//go:build integration

package session

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/prosodytest"
	"github.com/candor-xmpp/candor/internal/xmpppeer"
	"github.com/candor-xmpp/candor/scanhook"
)

// demoLink is on the shipped demo URL list (scanhook/demolists/urls.list).
const demoLink = "https://blocked.example/demo/1"

// scanningPair is alice on Candor with the consent dialog attached, and bob
// on slixmpp.
func scanningPair(t *testing.T) (*prosodytest.Server, *tclient, string, *xmpppeer.Peer) {
	t.Helper()
	srv := prosodytest.Start(t)
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	bobJID := srv.CreateUser(t, "bob", "pw-b")
	alice := newClient(t, "", Options{})
	if err := alice.EnableConsentDialog(); err != nil {
		t.Fatal(err)
	}
	alice.loginSynced(t, account(srv, aliceJID, "pw-a"))
	peer := xmpppeer.Start(t)
	peer.Connect(t, xmpppeer.Config{JID: bobJID, Password: "pw-b", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})
	// The slixmpp peer has no OMEMO: this chat is unencrypted by choice.
	if err := alice.SetChatEncryption(context.Background(), bobJID, false); err != nil {
		t.Fatal(err)
	}
	return srv, alice, bobJID, peer
}

func (c *tclient) waitScanned(t *testing.T, id int64) ScanVerdict {
	t.Helper()
	return c.wait(t, fmt.Sprintf("verdict on message %d", id), func(ev Event) bool {
		s, ok := ev.(MessageScanned)
		return ok && s.Verdict.MessageID == id
	}).(MessageScanned).Verdict
}

func (c *tclient) reports(t *testing.T) []scanhook.Report {
	t.Helper()
	path := filepath.Join(AccountDir(c.dir, c.Account().JID), scanhook.ReportsFile)
	r, err := scanhook.ReadReports(path)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func reportFor(reports []scanhook.Report, originID string) *scanhook.Report {
	for i := range reports {
		if reports[i].Points.D.MessageID == originID {
			return &reports[i]
		}
	}
	return nil
}

// Every mode through the real send path: with consent given where a mode
// asks for it, the demo link reaches the slixmpp peer untouched; the
// verdict is kept (none in mode off); a match is reported to the
// account's local sink, under the message's origin-id.
func TestIntegrationScanModesThroughTheSendPath(t *testing.T) {
	ctx := context.Background()
	_, alice, bob, peer := scanningPair(t)
	reported := map[string]bool{}
	for _, mode := range ScanModes() {
		if err := alice.SetScanMode(mode.Name); err != nil {
			t.Fatal(err)
		}
		if cs, err := alice.ConsentStatus(ctx); err != nil {
			t.Fatal(err)
		} else if cs.Applies {
			if err := alice.SetConsent(ctx, "accept"); err != nil {
				t.Fatal(err)
			}
		}
		body := mode.Name + " " + demoLink
		out := alice.send(t, bob, body)
		got := peer.Wait(t, body, func(e xmpppeer.Event) bool { return e.Event == "message" && e.Body == body })
		if got.OriginID != out.OriginID {
			t.Fatalf("%s: peer got %+v", mode.Name, got)
		}
		alice.waitState(t, out.ID, Sent)
		in, err := alice.InspectScan(ctx, out.ID)
		if mode.Name == "off" {
			if !errors.Is(err, ErrNotScanned) {
				t.Fatalf("off: inspect gave %+v, %v", in, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", mode.Name, err)
		}
		v := alice.waitScanned(t, out.ID)
		if in.Mode != mode.Name || v.Action == ScanBlocked || in.Verdict.Action != v.Action || in.Body != body {
			t.Fatalf("%s: verdict %+v, inspection %+v", mode.Name, v, in.Verdict)
		}
		r := reportFor(alice.reports(t), out.OriginID)
		if v.Reported != (r != nil) || v.Reported != (len(in.Reports) == 1) {
			t.Fatalf("%s: reported %v, report in the sink %v, in the result %d", mode.Name, v.Reported, r != nil, len(in.Reports))
		}
		if r != nil {
			reported[mode.Name] = true
			if !r.Simulated || r.Mode != scanhook.ModeName(mode.Name) || r.Indicators.Match.EntryID != "DEMO-URL-001" {
				t.Fatalf("%s: report %+v", mode.Name, r)
			}
		}
	}
	// The modes that match links against the URL list reported the link.
	for _, m := range []string{"belgium-2024", "denmark-2025"} {
		if !reported[m] {
			t.Fatalf("%s did not report the listed link", m)
		}
	}
}

// In a consent mode, a link without consent is blocked before anything is
// sent: the message fails with the reason, the peer never receives it, and
// text still goes. After accepting, the link goes and is reported. The
// verdicts outlive a restart of the client.
func TestIntegrationScanConsentDeclinedBlocksLinksNotText(t *testing.T) {
	ctx := context.Background()
	srv, alice, bob, peer := scanningPair(t)
	if err := alice.SetScanMode("belgium-2024"); err != nil {
		t.Fatal(err)
	}
	link := alice.send(t, bob, "look "+demoLink)
	req := alice.wait(t, "consent request", func(ev Event) bool { _, ok := ev.(ConsentRequested); return ok }).(ConsentRequested).Request
	if req.MessageID != link.ID || req.Peer != bob {
		t.Fatalf("request %+v for message %d", req, link.ID)
	}
	if err := alice.ResolveConsent(ctx, req.ID, false); err != nil {
		t.Fatal(err)
	}
	failed := alice.wait(t, "the block", func(ev Event) bool {
		u, ok := ev.(MessageUpdated)
		return ok && u.ID == link.ID && u.State == Failed
	}).(MessageUpdated)
	if !strings.Contains(failed.Err, "consent-block") || !strings.Contains(failed.Err, demoLink) || !strings.HasPrefix(failed.Err, "SIMULATION") {
		t.Fatalf("block reason %q", failed.Err)
	}

	text := alice.send(t, bob, "text still goes")
	peer.Wait(t, "the text", func(e xmpppeer.Event) bool { return e.Event == "message" && e.Body == "text still goes" })
	// The outbox keeps order: had the link gone out, it would be here now.
	if got := peer.Events(func(e xmpppeer.Event) bool { return e.Event == "message" && strings.Contains(e.Body, demoLink) }); len(got) != 0 {
		t.Fatalf("the blocked link reached the peer: %+v", got)
	}
	if r := alice.reports(t); len(r) != 0 {
		t.Fatalf("reports for unscanned parts: %+v", r)
	}

	if err := alice.SetConsent(ctx, "accept"); err != nil {
		t.Fatal(err)
	}
	again := alice.send(t, bob, "again "+demoLink)
	peer.Wait(t, "the link", func(e xmpppeer.Event) bool { return e.Event == "message" && e.Body == "again "+demoLink })
	if v := alice.waitScanned(t, again.ID); v.Action != ScanReported {
		t.Fatalf("accepted link verdict %+v", v)
	}
	if reportFor(alice.reports(t), again.OriginID) == nil {
		t.Fatal("no report in the sink for the listed link")
	}
	cs, err := alice.ConsentStatus(ctx)
	if err != nil || cs.State != "accepted" || len(cs.Log) != 2 || cs.Log[1].Decision != "declined" || cs.Log[1].RequestID != req.ID {
		t.Fatalf("audit log %+v, %v", cs, err)
	}

	// After a restart the badges and the inspector still know.
	dir, acct := alice.dir, account(srv, alice.Account().JID, "pw-a")
	alice.Close()
	back := newClient(t, dir, Options{})
	back.loginSynced(t, acct)
	vs, err := back.ScanVerdicts(ctx, []int64{link.ID, text.ID, again.ID})
	if err != nil || vs[link.ID].Action != ScanBlocked || vs[text.ID].Action != ScanAllow || vs[again.ID].Action != ScanReported {
		t.Fatalf("verdicts after a restart: %+v, %v", vs, err)
	}
	in, err := back.InspectScan(ctx, link.ID)
	if err != nil || in.Consent.State != "declined" || in.Rule.ID != "consent-block" {
		t.Fatalf("inspection after a restart: %+v, %v", in, err)
	}
	h := back.history(t, bob)
	if h[0].State != Failed || h[0].Err != failed.Err {
		t.Fatalf("blocked message after a restart: %+v", h[0])
	}
}
