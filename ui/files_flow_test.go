package ui

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/preview"
)

func withFiles(t *testing.T) *harness {
	x := withAlice(t, 100, 30)
	x.m.com.Previews = preview.NewCache(preview.Blocks)
	return x
}

// /send opens the confirmation with the leak report; enter sends; the bar
// shows progress with rate and time left, then the outcome, then clears.
func TestSendFileFlow(t *testing.T) {
	x := withFiles(t)
	x.be.SetPlan(session.FilePlan{To: alice, Path: "/home/me/cat.png", Name: "cat.png", Size: 2 << 20, MediaType: "image/png",
		Encrypted: true, Service: "upload.example.org", Leak: session.UploadLeak{Service: "upload.example.org", FileName: "k3j9x2.png",
			RandomName: true, Size: 2<<20 + 16, ContentType: "application/octet-stream", Uploader: "me@example.org", Encrypted: true}})
	x.typeText("/send ~/cat.png")
	x.press("enter")
	if c := x.be.Calls("PrepareFile"); len(c) != 1 || c[0].Args[0].(session.FileRequest) != (session.FileRequest{To: alice, Path: "~/cat.png"}) {
		t.Fatalf("PrepareFile calls %+v", c)
	}
	x.mustShow("Send a file")
	x.mustShow("The upload server learns:")
	x.mustShow(`file name "k3j9x2.png": random`)
	x.mustShow("p sends without encryption")
	x.press("enter")
	if c := x.be.Calls("SendFile"); len(c) != 1 || c[0].Args[0].(session.FileRequest).Plaintext {
		t.Fatalf("SendFile calls %+v", c)
	}
	x.mustNotShow("Send a file")
	x.mustShow("↑ cat.png  asking for an upload slot…")
	started, ok := x.m.transfers.Newest()
	if !ok {
		t.Fatal("the started transfer is not in the bar")
	}
	tr := session.Transfer{ID: started.ID, Peer: alice, Upload: true, Name: "cat.png", Total: 2 << 20, State: session.TransferRunning}
	tr.Done, tr.Rate = 1<<20, 512<<10
	x.send(session.TransferUpdated{Transfer: tr})
	x.mustShow("↑ cat.png")
	x.mustShow("50%")
	x.mustShow("512.0 KiB/s")
	x.mustShow("2s left")
	x.mustShow("esc cancels")
	// esc with compose empty cancels it.
	x.press("esc")
	if c := x.be.Calls("CancelTransfer"); len(c) != 1 || c[0].Args[0] != started.ID {
		t.Fatalf("CancelTransfer calls %+v", c)
	}
	tr.State, tr.Err = session.TransferCancelled, "cancelled"
	x.send(session.TransferUpdated{Transfer: tr})
	x.mustShow("cat.png cancelled: nothing was sent")
	x.fire()
	x.mustNotShow("cat.png cancelled")
	// A late progress event of an ended transfer changes nothing.
	x.send(session.TransferUpdated{Transfer: session.Transfer{ID: started.ID, Upload: true, Name: "cat.png", State: session.TransferRunning}})
	x.mustNotShow("↑ cat.png")
}

// p in the dialog asks for a plaintext plan and shows its warning; enter
// then sends without encryption. A contact with OMEMO is not offered it.
func TestSendFilePlaintextNeedsItsOwnConfirmation(t *testing.T) {
	x := withFiles(t)
	x.typeText("/send /tmp/doc.pdf")
	x.press("enter")
	x.press("p")
	calls := x.be.Calls("PrepareFile")
	if len(calls) != 2 || !calls[1].Args[0].(session.FileRequest).Plaintext {
		t.Fatalf("PrepareFile calls %+v", calls)
	}
	x.mustShow("NOT encrypted")
	x.mustShow("enter sends UNENCRYPTED")
	x.press("enter")
	if c := x.be.Calls("SendFile"); len(c) != 1 || !c[0].Args[0].(session.FileRequest).Plaintext {
		t.Fatalf("SendFile calls %+v", c)
	}

	x.be.Reset()
	x.be.SetPlan(session.FilePlan{To: alice, Path: "/tmp/doc.pdf", Name: "doc.pdf", Encrypted: true, PeerHasOMEMO: true})
	x.typeText("/send /tmp/doc.pdf")
	x.press("enter")
	x.mustNotShow("p sends without encryption")
	x.press("p")
	if n := len(x.be.Calls("PrepareFile")); n != 1 {
		t.Fatalf("p asked for a plaintext plan to a contact with OMEMO (%d calls)", n)
	}
	x.press("esc")
	if n := len(x.be.Calls("SendFile")); n != 0 {
		t.Fatal("esc sent the file")
	}
}

// A received image: its link never shows; once downloaded it is previewed
// in half-blocks above its line, and /open hands over the message.
func TestFileMessageRendering(t *testing.T) {
	x := withFiles(t)
	key := strings.Repeat("9f", 44)
	link := "aesgcm://up.example.org/x/cat.png#" + key
	msg := x.be.Store(session.Message{Peer: alice, Direction: session.Incoming, Body: link, Time: t0,
		File: &session.FileInfo{Name: "cat.png", Size: -1, MediaType: "image/png", Encrypted: true, Host: "up.example.org"}})
	x.send(session.MessageAdded{Message: msg})
	x.mustShow("▤ cat.png · image/png · encrypted file · on up.example.org")
	x.mustNotShow(key[:16])
	x.mustNotShow("aesgcm")

	x.send(session.TransferUpdated{Transfer: session.Transfer{ID: 3, Peer: alice, MessageID: msg.ID, Name: "cat.png", Total: 1000, Done: 10, State: session.TransferRunning}})
	x.mustShow("downloading from")
	x.mustShow("↓ cat.png")

	path := writeTestPNG(t, 120, 60)
	x.send(session.TransferUpdated{Transfer: session.Transfer{ID: 3, Peer: alice, MessageID: msg.ID, Name: "cat.png", Total: 1000, Done: 1000, State: session.TransferFinished, Path: path}})
	x.send(session.FileUpdated{MessageID: msg.ID, Peer: alice, File: session.FileInfo{Name: "cat.png", Size: 1234, MediaType: "image/png", Encrypted: true,
		Host: "up.example.org", State: session.FileLocal, LocalPath: path}})
	x.mustShow("encrypted file · saved")
	if n := strings.Count(x.text(), "▀"); n < 48*12 {
		t.Fatalf("%d half-blocks on screen; want the 48×12 preview:\n%s", n, x.text())
	}
	// The colours are the image's: red on the left (top rows).
	if !strings.Contains(x.m.View().Content, "38;2;255;0;0") {
		t.Fatal("the preview lacks the image's red")
	}
	x.typeText("/open")
	x.press("enter")
	if c := x.be.Calls("OpenFile"); len(c) != 1 || c[0].Args[0] != msg.ID {
		t.Fatalf("OpenFile calls %+v", c)
	}
}

// Previews are drawn only for messages on screen.
func TestPreviewsOnlyForVisibleMessages(t *testing.T) {
	x := withFiles(t)
	path := writeTestPNG(t, 40, 40)
	local := func() *session.FileInfo {
		return &session.FileInfo{Name: "p.png", Size: 10, MediaType: "image/png", State: session.FileLocal, LocalPath: path}
	}
	const bob = "bob@example.org"
	x.be.Store(session.Message{Peer: bob, Direction: session.Outgoing, Body: "x", Time: t0, File: local()})
	for i := range 40 {
		x.be.Store(session.Message{Peer: bob, Direction: session.Incoming, Body: "filler " + string(rune('a'+i%26)), Time: t0})
	}
	x.typeText("/msg " + bob)
	x.press("enter")
	x.mustShow("filler n")
	if st := x.m.com.Previews.StateOf(path); st != preview.Missing {
		t.Fatalf("a preview off screen was drawn (%v)", st)
	}
	x.press("pgup", "pgup", "pgup", "pgup")
	if st := x.m.com.Previews.StateOf(path); st != preview.Done {
		t.Fatalf("the preview scrolled into view was not drawn (%v)", st)
	}
}

func writeTestPNG(t *testing.T, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{255, 0, 0, 255}
			if x >= w/2 {
				c = color.RGBA{0, 0, 255, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	p := filepath.Join(t.TempDir(), "img.png")
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
