//go:build integration

package session

import (
	"context"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/omemopeer"
	"github.com/candor-xmpp/candor/internal/prosodytest"
)

// An encrypted file's link carries its key: to a contact without OMEMO it
// is refused before anything is uploaded; to a contact with OMEMO the link
// travels in an OMEMO message, and the server's data holds neither the key
// nor the file's content.
func TestIntegrationFileNeedsOMEMO(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t)
	alice := loginE2E(t, srv, srv.CreateUser(t, "alice", "pw-a"), "pw-a")
	srv.CreateUser(t, "carol", "pw-c")
	bobJID := srv.CreateUser(t, "bob", "pw-b")
	photo := writePNG(t, t.TempDir(), "secret.png", 64, 48)

	_, err := alice.SendFile(ctx, FileRequest{To: "carol@localhost", Path: photo})
	if err == nil || !strings.Contains(err.Error(), "no OMEMO device") {
		t.Fatalf("encrypted file to a contact without OMEMO: %v", err)
	}
	if n := len(uploadFiles(t, srv)); n != 0 {
		t.Fatalf("%d files were uploaded anyway", n)
	}

	bob := omemopeer.Start(t)
	bob.Connect(peerConfig(srv, bobJID, "pw-b"))
	tr, err := alice.SendFile(ctx, FileRequest{To: bobJID, Path: photo})
	if err != nil {
		t.Fatal(err)
	}
	done := alice.waitTransfer(t, tr.ID)
	if done.State != TransferFinished {
		t.Fatalf("transfer %+v", done)
	}
	if enc := alice.waitEncrypted(t, done.MessageID); enc.Encryption.Scheme == Plaintext {
		t.Fatalf("the link went as %+v", enc)
	}
	got := bob.Wait("the link", func(e omemopeer.Event) bool { return e.Event == "message" && strings.HasPrefix(e.Body, "aesgcm://") })
	key := got.Body[strings.IndexByte(got.Body, '#')+1:]
	assertNotOnServer(t, srv, key)
}
