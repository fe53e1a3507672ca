//go:build integration

package session

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/xmpppeer"
	"github.com/candor-xmpp/candor/scanhook"
)

// With scanhook on (SIMULATION, belgium-2024: images need consent), a file
// is scanned in plaintext before it is encrypted: declined, it is blocked
// before any byte is uploaded and no message goes; accepted, it is scanned,
// uploaded and sent, its verdict kept with the link's message so that the
// outbox does not scan the link (whose fragment is the key) again, and the
// key appears in no report.
func TestIntegrationFileScannedBeforeEncryption(t *testing.T) {
	ctx := context.Background()
	srv, alice, bob, peer := scanningPair(t)
	if err := alice.SetScanMode("belgium-2024"); err != nil {
		t.Fatal(err)
	}
	photo := writePNG(t, t.TempDir(), "beach.png", 200, 150)

	tr, err := alice.SendFile(ctx, FileRequest{To: bob, Path: photo})
	if err != nil {
		t.Fatal(err)
	}
	req := alice.wait(t, "consent request", func(ev Event) bool { _, ok := ev.(ConsentRequested); return ok }).(ConsentRequested).Request
	if err := alice.ResolveConsent(ctx, req.ID, false); err != nil {
		t.Fatal(err)
	}
	end := alice.waitTransfer(t, tr.ID)
	if end.State != TransferFailed || !strings.HasPrefix(end.Err, "SIMULATION scanhook belgium-2024 blocked") || !strings.Contains(end.Err, "beach.png") {
		t.Fatalf("declined: %v %q", end.State, end.Err)
	}
	if n := len(uploadFiles(t, srv)); n != 0 {
		t.Fatalf("a blocked file reached the server (%d files)", n)
	}
	if h := alice.history(t, bob); len(h) != 0 {
		t.Fatalf("a blocked file was sent: %+v", h)
	}

	if err := alice.SetConsent(ctx, "accept"); err != nil {
		t.Fatal(err)
	}
	tr, err = alice.SendFile(ctx, FileRequest{To: bob, Path: photo})
	if err != nil {
		t.Fatal(err)
	}
	done := alice.waitTransfer(t, tr.ID)
	if done.State != TransferFinished {
		t.Fatalf("accepted: %+v", done)
	}
	v := alice.waitScanned(t, done.MessageID)
	if !v.Scanned || v.Action == ScanBlocked {
		t.Fatalf("verdict %+v", v)
	}
	got := peer.Wait(t, "the link", func(e xmpppeer.Event) bool { return e.Event == "message" && strings.HasPrefix(e.Body, "aesgcm://") })
	if sum, _ := peer.Download(t, got.Body); sum != sha256File(t, photo) {
		t.Fatal("the peer decrypted something else")
	}
	alice.waitState(t, done.MessageID, Sent)
	if n := len(alice.all(func(ev Event) bool {
		s, ok := ev.(MessageScanned)
		return ok && s.Verdict.MessageID == done.MessageID
	})); n != 1 {
		t.Fatalf("the link's message was scanned %d times; want once, as a file", n)
	}
	in, err := alice.InspectScan(ctx, done.MessageID)
	if err != nil || in.Mode != "belgium-2024" {
		t.Fatalf("inspection %+v, %v", in, err)
	}
	key := got.Body[strings.IndexByte(got.Body, '#')+1:]
	sink := filepath.Join(AccountDir(alice.dir, alice.Account().JID), scanhook.ReportsFile)
	if b, err := os.ReadFile(sink); err == nil && strings.Contains(string(b), key) {
		t.Fatal("the key is in a report")
	}
}
