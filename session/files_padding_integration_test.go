//go:build integration

package session

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"os"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/prosodytest"
	"github.com/candor-xmpp/candor/internal/xmpppeer"
)

// With pad_size the upload server stores a Padmé-sized ciphertext, the
// leak report says the size is a class and not exact, and the slixmpp
// peer decrypts (with OpenSSL's AES-GCM) the photo followed by zeros,
// which still decodes to the same picture. A file of a type that cannot
// carry padding goes exact, and the plan says why.
func TestIntegrationFilePaddedUpload(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t)
	alice := login(t, srv, srv.CreateUser(t, "alice", "pw-a"), "pw-a")
	bob := srv.CreateUser(t, "bob", "pw-b")
	peer := xmpppeer.Start(t)
	peer.Connect(t, xmpppeer.Config{JID: bob, Password: "pw-b", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})
	if err := alice.SetChatEncryption(ctx, bob, false); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	photo := writePNG(t, dir, "photo.png", 257, 131)
	original, err := os.ReadFile(photo)
	if err != nil {
		t.Fatal(err)
	}
	req := FileRequest{To: bob, Path: photo, PadSize: true}
	plan, err := alice.PrepareFile(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	size := int64(len(original))
	if plan.Size != size || plan.Leak.Padded != padme(size)-size || plan.Leak.Padded == 0 || plan.Leak.Size != padme(size)+16 {
		t.Fatalf("plan for %d bytes: %+v", size, plan.Leak)
	}
	learns, private := plan.Leak.Lines()
	if !strings.Contains(strings.Join(learns, "\n"), "not the file's exact size") || !strings.Contains(strings.Join(private, "\n"), "the exact size") {
		t.Fatalf("leak report learns %q, private %q", learns, private)
	}

	tr, err := alice.SendFile(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if done := alice.waitTransfer(t, tr.ID); done.State != TransferFinished {
		t.Fatalf("transfer ended %+v", done)
	}
	link := peer.Wait(t, "the link", func(e xmpppeer.Event) bool { return e.Event == "message" && strings.HasPrefix(e.Body, "aesgcm://") })
	sum, n := peer.Download(t, link.Body)
	padded := append(append([]byte{}, original...), make([]byte, plan.Leak.Padded)...)
	if want := sha256.Sum256(padded); sum != hex.EncodeToString(want[:]) || n != padme(size) {
		t.Fatalf("peer decrypted %d bytes with SHA-256 %s; want the photo and %d zeros", n, sum, plan.Leak.Padded)
	}
	if _, _, err := image.Decode(bytes.NewReader(padded)); err != nil {
		t.Fatalf("the padded photo does not decode: %v", err)
	}
	stored := storedUploads(t, srv)
	if len(stored) != 1 || int64(len(stored[0])) != padme(size)+16 {
		t.Fatalf("the server stored %d files, not one of %d bytes", len(stored), padme(size)+16)
	}

	// A type whose readers would choke on extra bytes stays exact.
	notes := dir + "/notes.txt"
	if err := os.WriteFile(notes, []byte(strings.Repeat("exact size, please\n", 50)), 0o600); err != nil {
		t.Fatal(err)
	}
	plan, err = alice.PrepareFile(ctx, FileRequest{To: bob, Path: notes, PadSize: true})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Leak.Padded != 0 || plan.Leak.Size != plan.Size+16 || !strings.Contains(plan.Leak.PadRefused, "text/plain") {
		t.Fatalf("text file plan %+v", plan.Leak)
	}
}
