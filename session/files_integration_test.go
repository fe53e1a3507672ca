//go:build integration

package session

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/internal/prosodytest"
	"github.com/candor-xmpp/candor/internal/xmpppeer"
)

// Candor uploads an encrypted photo; the slixmpp peer downloads it and
// decrypts it with python3-cryptography (OpenSSL's AES-GCM, not Go's) and
// gets the same bytes. The server stored only ciphertext, under a random
// name, as the leak report said.
func TestIntegrationFileToSlixmpp(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t)
	alice := login(t, srv, srv.CreateUser(t, "alice", "pw-a"), "pw-a")
	bob := srv.CreateUser(t, "bob", "pw-b")
	peer := xmpppeer.Start(t)
	peer.Connect(t, xmpppeer.Config{JID: bob, Password: "pw-b", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})
	// The slixmpp peer has no OMEMO: this chat is unencrypted by choice, so
	// the link (and its key) goes in the clear.
	if err := alice.SetChatEncryption(ctx, bob, false); err != nil {
		t.Fatal(err)
	}

	photo := writePNG(t, t.TempDir(), "holiday photo.png", 300, 200)
	plan, err := alice.PrepareFile(ctx, FileRequest{To: bob, Path: photo})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Service != srv.UploadDomain() || plan.MaxSize != 10<<20 || !plan.Encrypted || plan.MediaType != "image/png" {
		t.Fatalf("plan %+v", plan)
	}
	leak := plan.Leak
	if !leak.RandomName || strings.Contains(leak.FileName, "holiday") || !strings.HasSuffix(leak.FileName, ".png") ||
		leak.ContentType != "application/octet-stream" || leak.Size != plan.Size+16 || leak.Uploader != "alice@localhost" {
		t.Fatalf("leak report %+v", leak)
	}

	tr, err := alice.SendFile(ctx, FileRequest{To: bob, Path: photo})
	if err != nil {
		t.Fatal(err)
	}
	done := alice.waitTransfer(t, tr.ID)
	if done.State != TransferFinished || done.MessageID == 0 || done.Leak == nil || done.Leak.Host != "localhost" || done.Leak.At.IsZero() {
		t.Fatalf("transfer ended %+v", done)
	}
	got := peer.Wait(t, "the link", func(e xmpppeer.Event) bool { return e.Event == "message" && strings.HasPrefix(e.Body, "aesgcm://") })
	frag := got.Body[strings.IndexByte(got.Body, '#')+1:]
	if len(frag) != 88 || !strings.Contains(got.Body, "/"+done.Leak.FileName+"#") || done.Leak.FileName == leak.FileName {
		t.Fatalf("link %q: want an 88-digit fragment and the slot's name %q (new for every upload)", got.Body, done.Leak.FileName)
	}
	sum, n := peer.Download(t, got.Body)
	if want := sha256File(t, photo); sum != want || n != plan.Size {
		t.Fatalf("peer decrypted %d bytes with SHA-256 %s; want %d, %s", n, sum, plan.Size, want)
	}

	// The server has ciphertext only.
	stored := storedUploads(t, srv)
	if len(stored) != 1 || int64(len(stored[0])) != plan.Size+16 || bytes.Contains(stored[0], []byte("IHDR")) {
		t.Fatalf("the server stored %d files; the first is not the expected ciphertext", len(stored))
	}

	// Our message is an attachment message, shown without its link.
	h := alice.history(t, bob)
	if len(h) != 1 || h[0].File == nil || h[0].File.Name != "holiday photo.png" || h[0].File.State != FileLocal ||
		h[0].File.LocalPath != photo || !h[0].File.Encrypted || h[0].File.Host != "localhost" || h[0].ID != done.MessageID ||
		h[0].File.UploadName != done.Leak.FileName {
		t.Fatalf("history %+v", h)
	}
	convs, _ := alice.Conversations(ctx)
	if len(convs) != 1 || strings.Contains(convs[0].LastBody, frag) {
		t.Fatalf("the conversation list shows the key: %q", convs[0].LastBody)
	}
	alice.waitState(t, done.MessageID, Sent)
}

// The peer uploads (python3-cryptography encrypting) and sends the link;
// Candor downloads the image by itself (it is small and from a contact),
// verifies it, and puts exactly the original bytes in the download folder.
// An unencrypted upload shared with a XEP-0066 element is recognised too
// and fetched on request.
func TestIntegrationFileFromSlixmpp(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t)
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	bob := srv.CreateUser(t, "bob", "pw-b")
	downloads := filepath.Join(t.TempDir(), "Downloads")
	alice := newClient(t, "", Options{Files: FileOptions{DownloadDir: downloads, AutoDownloadMax: 5 << 20}})
	alice.loginSynced(t, account(srv, aliceJID, "pw-a"))
	peer := xmpppeer.Start(t)
	peer.Connect(t, xmpppeer.Config{JID: bob, Password: "pw-b", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})
	// Files are fetched by themselves only from people we know.
	alice.send(t, bob, "send me the cat")
	peer.Wait(t, "alice's message", func(e xmpppeer.Event) bool { return e.Event == "message" && e.Body == "send me the cat" })

	src := t.TempDir()
	photo := writePNG(t, src, "cat.png", 120, 90)
	link := peer.Upload(t, srv.UploadDomain(), photo, true)
	peer.Send(t, aliceJID, link, "")
	added := alice.wait(t, "the file message", func(ev Event) bool {
		m, ok := ev.(MessageAdded)
		return ok && m.Message.File != nil
	}).(MessageAdded).Message
	if f := added.File; f.Name != "cat.png" || !f.Encrypted || f.State != FileRemote || f.MediaType != "image/png" {
		t.Fatalf("file %+v", f)
	}
	upd := alice.waitFile(t, added.ID)
	if upd.File.State != FileLocal || filepath.Dir(upd.File.LocalPath) != downloads || upd.File.Size != fileSize(t, photo) {
		t.Fatalf("after the automatic download: %+v", upd.File)
	}
	if sha256File(t, upd.File.LocalPath) != sha256File(t, photo) {
		t.Fatal("the downloaded file differs from what the peer uploaded")
	}
	assertDir(t, downloads, "cat.png")

	// Unencrypted, with XEP-0066: recognised, not fetched automatically
	// (not an image), fetched on request.
	doc := filepath.Join(src, "notes.txt")
	if err := os.WriteFile(doc, []byte(strings.Repeat("plain notes\n", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	url := peer.Upload(t, srv.UploadDomain(), doc, false)
	peer.SendOOB(t, aliceJID, url)
	oob := alice.wait(t, "the OOB message", func(ev Event) bool {
		m, ok := ev.(MessageAdded)
		return ok && m.Message.Body == url
	}).(MessageAdded).Message
	if oob.File == nil || oob.File.Encrypted || oob.File.Name != "notes.txt" {
		t.Fatalf("OOB message %+v", oob)
	}
	if _, err := alice.DownloadFile(ctx, oob.ID); err != nil {
		t.Fatal(err)
	}
	got := alice.waitFile(t, oob.ID)
	if got.File.State != FileLocal || sha256File(t, got.File.LocalPath) != sha256File(t, doc) {
		t.Fatalf("OOB download %+v", got.File)
	}
	// The same name again gets its own file; nothing is replaced.
	peer.Send(t, aliceJID, link, "")
	again := alice.wait(t, "the second copy", func(ev Event) bool {
		m, ok := ev.(MessageAdded)
		return ok && m.Message.File != nil && m.Message.ID > oob.ID
	}).(MessageAdded).Message
	if second := alice.waitFile(t, again.ID); second.File.LocalPath != filepath.Join(downloads, "cat (2).png") {
		t.Fatalf("second copy at %q", second.File.LocalPath)
	}
	assertDir(t, downloads, "cat (2).png", "cat.png", "notes.txt")
	// A text that merely contains a URL is not a file.
	peer.Send(t, aliceJID, "see "+url, "")
	if m := alice.waitAdded(t, "see "+url); m.File != nil {
		t.Fatal("a URL in a text was taken for a file")
	}
}

// Every way a download can go wrong ends with a one-line reason and
// nothing in the download folder: tampered ciphertext, a truncated file, a
// wrong key, a file gone from the server.
func TestIntegrationFileDownloadFailures(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t)
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	bob := srv.CreateUser(t, "bob", "pw-b")
	downloads := filepath.Join(t.TempDir(), "dl")
	// Prosody sends a truncated file's announced length, then waits: the
	// transfer ends when no data came for StallTimeout.
	alice := newClient(t, "", Options{Files: FileOptions{DownloadDir: downloads, StallTimeout: 2 * time.Second}})
	alice.loginSynced(t, account(srv, aliceJID, "pw-a"))
	peer := xmpppeer.Start(t)
	peer.Connect(t, xmpppeer.Config{JID: bob, Password: "pw-b", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})
	src := t.TempDir()

	upload := func(name string, size int) (link, stored string) {
		path := filepath.Join(src, name)
		if err := os.WriteFile(path, pseudoRandom(name, size), 0o600); err != nil {
			t.Fatal(err)
		}
		before := uploadFiles(t, srv)
		link = peer.Upload(t, srv.UploadDomain(), path, true)
		for f := range uploadFiles(t, srv) {
			if !before[f] {
				return link, f
			}
		}
		t.Fatalf("no new file in %s", srv.UploadDir())
		return "", ""
	}
	cases := []struct {
		name   string
		spoil  func(link, stored string) string
		reason string
	}{
		{"tampered.bin", func(link, stored string) string {
			b, _ := os.ReadFile(stored)
			b[len(b)/2] ^= 0x40
			os.WriteFile(stored, b, 0o600)
			return link
		}, "does not match its key"},
		{"truncated.bin", func(link, stored string) string {
			os.Truncate(stored, 1000)
			return link
		}, "connection lost"},
		{"wrongkey.bin", func(link, stored string) string {
			last := link[len(link)-1]
			return link[:len(link)-1] + map[byte]string{'0': "1"}[last] + map[bool]string{true: "0"}[last != '0']
		}, "does not match its key"},
		{"gone.bin", func(link, stored string) string {
			os.Remove(stored)
			return link
		}, "the file server answered"},
	}
	for _, c := range cases {
		link, stored := upload(c.name, 300_000)
		peer.Send(t, aliceJID, c.spoil(link, stored), "")
		m := alice.wait(t, c.name, func(ev Event) bool {
			a, ok := ev.(MessageAdded)
			return ok && a.Message.File != nil && a.Message.File.Name == c.name
		}).(MessageAdded).Message
		tr, err := alice.DownloadFile(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		end := alice.waitTransfer(t, tr.ID)
		if end.State != TransferFailed || !strings.Contains(end.Err, c.reason) || strings.Contains(end.Err, "\n") {
			t.Fatalf("%s: transfer ended %v: %q", c.name, end.State, end.Err)
		}
		if f := alice.waitFile(t, m.ID).File; f.State != FileFailed || f.Err != end.Err || f.LocalPath != "" {
			t.Fatalf("%s: file %+v", c.name, f)
		}
		assertDir(t, downloads)
	}
}

// Sending fails before anything leaves when it must: a file over the
// server's limit, a server without an upload service, plaintext refused;
// the server's own refusal of a slot and a cancellation stop it after.
// No message is queued in any case, and the server keeps nothing.
func TestIntegrationFileSendFailures(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t, prosodytest.UploadLimit(1<<20), prosodytest.UploadQuota(3<<20))
	alice := login(t, srv, srv.CreateUser(t, "alice", "pw-a"), "pw-a")
	// bob has no OMEMO: this chat is unencrypted by choice (else nothing
	// would be uploaded, see TestIntegrationFileNeedsOMEMO).
	if err := alice.SetChatEncryption(ctx, "bob@localhost", false); err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	write := func(name string, size int) string {
		p := filepath.Join(src, name)
		if err := os.WriteFile(p, pseudoRandom(name, size), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}

	// The limit counts the 16 bytes of the tag.
	for _, size := range []int{2 << 20, 1<<20 - 8} {
		_, err := alice.SendFile(ctx, FileRequest{To: "bob@localhost", Path: write("big", size)})
		if err == nil || !strings.Contains(err.Error(), "more than upload.localhost accepts") || !strings.Contains(err.Error(), "1.0 MiB") {
			t.Fatalf("%d bytes: %v", size, err)
		}
	}
	for _, bad := range []string{filepath.Join(src, "missing.png"), src} {
		if _, err := alice.SendFile(ctx, FileRequest{To: "bob@localhost", Path: bad}); err == nil || !strings.Contains(err.Error(), bad) {
			t.Fatalf("%s: %v", bad, err)
		}
	}

	// Cancelled at once: no message, no stored file. (The slot may have
	// been granted: the quota below leaves room for it.)
	tr, err := alice.SendFile(ctx, FileRequest{To: "bob@localhost", Path: write("cancel", 50_000)})
	if err != nil {
		t.Fatal(err)
	}
	if err := alice.CancelTransfer(tr.ID); err != nil {
		t.Fatal(err)
	}
	if end := alice.waitTransfer(t, tr.ID); end.State != TransferCancelled || end.Err != "cancelled" {
		t.Fatalf("cancelled transfer ended %+v", end)
	}

	// The daily quota (3 MiB) runs out: the service refuses the slot.
	for i := range 4 {
		tr, err := alice.SendFile(ctx, FileRequest{To: "bob@localhost", Path: write("q", 1000_000)})
		if err != nil {
			t.Fatal(err)
		}
		end := alice.waitTransfer(t, tr.ID)
		if i < 3 && end.State != TransferFinished {
			t.Fatalf("upload %d: %+v", i, end)
		}
		if i == 3 && (end.State != TransferFailed || !strings.Contains(end.Err, "upload.localhost refused the upload: resource constraint")) {
			t.Fatalf("over the quota: %v %q", end.State, end.Err)
		}
	}
	if h := alice.history(t, "bob@localhost"); len(h) != 3 {
		t.Fatalf("%d messages queued; want only the 3 completed uploads", len(h))
	}
	if n := len(uploadFiles(t, srv)); n != 3 {
		t.Fatalf("the server keeps %d files; want 3", n)
	}

	// No upload service at all.
	bare := prosodytest.Start(t, prosodytest.WithoutUpload())
	carol := login(t, bare, bare.CreateUser(t, "carol", "pw-c"), "pw-c")
	if _, err := carol.SendFile(ctx, FileRequest{To: "dave@localhost", Path: write("x.png", 100)}); err == nil ||
		!strings.Contains(err.Error(), "no file upload service") {
		t.Fatalf("without upload service: %v", err)
	}
	if h := carol.history(t, "dave@localhost"); len(h) != 0 {
		t.Fatal("a message was queued")
	}
}

// waitTransfer waits for the end of transfer id.
func (c *tclient) waitTransfer(t *testing.T, id int64) Transfer {
	t.Helper()
	return c.wait(t, "the end of the transfer", func(ev Event) bool {
		u, ok := ev.(TransferUpdated)
		return ok && u.Transfer.ID == id && u.Transfer.State.Ended()
	}).(TransferUpdated).Transfer
}

// waitFile waits for the file of message id to change.
func (c *tclient) waitFile(t *testing.T, id int64) FileUpdated {
	t.Helper()
	return c.wait(t, "the file's new state", func(ev Event) bool {
		u, ok := ev.(FileUpdated)
		return ok && u.MessageID == id
	}).(FileUpdated)
}

func writePNG(t testing.TB, dir, name string, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 160, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// pseudoRandom is deterministic content that does not compress.
func pseudoRandom(label string, n int) []byte {
	out := make([]byte, 0, n+32)
	seed := sha256.Sum256([]byte(label))
	for len(out) < n {
		seed = sha256.Sum256(seed[:])
		out = append(out, seed[:]...)
	}
	return out[:n]
}

func sha256File(t testing.TB, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func fileSize(t testing.TB, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// assertDir checks that dir holds exactly the named entries (hidden
// staging included, so it must be gone).
func assertDir(t testing.TB, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, "|") != strings.Join(names, "|") {
		t.Fatalf("%s holds %q; want %q", dir, got, names)
	}
}

// uploadFiles lists the files the upload component stored.
func uploadFiles(t testing.TB, srv *prosodytest.Server) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	entries, _ := os.ReadDir(srv.UploadDir())
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".bin") {
			out[filepath.Join(srv.UploadDir(), e.Name())] = true
		}
	}
	return out
}

func storedUploads(t testing.TB, srv *prosodytest.Server) [][]byte {
	t.Helper()
	var out [][]byte
	for p := range uploadFiles(t, srv) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}
