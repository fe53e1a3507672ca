//go:build integration

package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/internal/prosodytest"
	"github.com/candor-xmpp/candor/internal/tmuxtest"
)

// A new user sends a photo from the TUI: /send with tab completing the
// path, the dialog with what the upload server learns, enter; the bar
// reports it sent. On the other side, a second Candor in its own terminal
// fetches it (/download), and the photo shows as a half-block preview,
// saved in the download folder byte for byte.
func TestIntegrationTUISendsAPhoto(t *testing.T) {
	bin := buildCandor(t)
	srv := prosodytest.Start(t)
	alice := srv.CreateUser(t, "alice", "alice-pw")
	bob := srv.CreateUser(t, "bob", "bob-pw")
	aliceCfg := writeConfig(t, srv, alice, "alice-pw")
	bobCfg := writeConfig(t, srv, bob, "bob-pw")
	bobDownloads := filepath.Join(t.TempDir(), "bob-downloads")
	appendConfig(t, bobCfg, "[files]\ndownload_dir = \""+bobDownloads+"\"\nauto_download = \"0\"\n")

	pics := t.TempDir()
	photo := filepath.Join(pics, "photo of the sea.png")
	writeTestPNG(t, photo, 320, 240)

	const wait = 30 * time.Second
	a := tmuxtest.Start(t, 120, 40, nil, bin, "--config", aliceCfg, "--data-dir", t.TempDir())
	b := tmuxtest.Start(t, 120, 40, nil, bin, "--config", bobCfg, "--data-dir", t.TempDir())
	a.WaitFor(wait, "online")
	b.WaitFor(wait, "online")

	a.Type("/msg " + bob)
	a.Keys("Enter")
	a.Type("/send " + pics + "/photo")
	a.Keys("Tab")
	a.WaitFor(wait, "/send "+photo)
	a.Keys("Enter")
	a.WaitFor(wait, "Send a file", "The upload server learns:", "random, but the extension is real", "Stays private:")
	a.Keys("Enter")
	screen := a.WaitFor(wait, "✓ photo of the sea.png sent", "▤ photo of the sea.png")
	if strings.Count(screen, "▀") < 100 {
		t.Fatalf("the sender sees no preview of the photo:\n%s", screen)
	}
	// The server got a random name, which is all the receiver learns too.
	m := regexp.MustCompile(`the upload server saw: name ([a-z0-9]{16}\.png),`).FindStringSubmatch(screen)
	if m == nil {
		t.Fatalf("the bar does not say what the server saw:\n%s", screen)
	}
	name := m[1]

	b.WaitFor(wait, "▤ "+name, "/download 1")
	b.Keys("BTab") // from compose back to the conversation: d downloads there
	b.WaitUntil(wait, "the conversation focused", func(s string) bool { return strings.Contains(s, "↑↓ scroll") })
	b.Keys("d")
	screen = b.WaitFor(wait, "✓ "+name+" saved", "encrypted file · saved")
	if strings.Count(screen, "▀") < 100 {
		t.Fatalf("the receiver sees no preview:\n%s", screen)
	}
	if strings.Contains(screen, "aesgcm") {
		t.Fatalf("the link shows:\n%s", screen)
	}
	want, _ := os.ReadFile(photo)
	got, err := os.ReadFile(filepath.Join(bobDownloads, name))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("the downloaded photo differs (%v)", err)
	}
	if testing.Verbose() {
		t.Logf("bob's screen:\n%s", screen)
	}
	for _, p := range []*tmuxtest.Pane{a, b} {
		p.Keys("C-c")
		p.WaitFor(wait, "[exited 0]")
	}
}

func writeTestPNG(t *testing.T, path string, w, h int) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(40 + y/2), uint8(120 + x/4), 200, 255}) // a sea-ish gradient
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}
