//go:build integration

package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/internal/prosodytest"
	"github.com/candor-xmpp/candor/internal/xmpppeer"
)

// A 256 MiB file goes out with "candor send --file" and comes back with
// "candor listen --download", and the independent peer decrypts it in
// between (python3-cryptography's streaming AES-GCM): all three see the
// same SHA-256, and neither Candor process's peak memory (the kernel's
// maxrss for the process) comes near the file's size.
func TestIntegrationLargeFileMemory(t *testing.T) {
	const size = 256 << 20
	const rssLimit = 100 << 20 // well under the file's size
	bin := buildCandor(t)
	srv := prosodytest.Start(t, prosodytest.UploadLimit(size+(1<<20)))
	alice := srv.CreateUser(t, "alice", "alice-pw")
	bob := srv.CreateUser(t, "bob", "bob-pw")
	cfg := writeConfig(t, srv, alice, "alice-pw")
	data := t.TempDir()
	downloads := filepath.Join(t.TempDir(), "dl")
	appendConfig(t, cfg, "[files]\ndownload_dir = \""+downloads+"\"\n")

	peer := xmpppeer.Start(t)
	peer.Connect(t, xmpppeer.Config{JID: bob, Password: "bob-pw", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})

	big := filepath.Join(t.TempDir(), "big.bin")
	want := writeRandom(t, big, size)

	// The slixmpp peer has no OMEMO: this chat is unencrypted by choice.
	if out, err := exec.Command(bin, "omemo", "encryption", "--config", cfg, "--data-dir", data, bob, "off").CombinedOutput(); err != nil {
		t.Fatalf("candor omemo encryption: %v: %s", err, out)
	}
	t0 := time.Now()
	send := exec.Command(bin, "send", "--config", cfg, "--data-dir", data, "--timeout", "2m", "--file", big, bob)
	var sendErr bytes.Buffer
	send.Stderr = &sendErr
	if err := send.Run(); err != nil {
		t.Fatalf("candor send --file: %v\n%s", err, sendErr.String())
	}
	t.Logf("send took %v", time.Since(t0))
	t0 = time.Now()
	sendRSS := maxRSS(send.ProcessState)
	t.Logf("candor send --file of %d MiB: peak RSS %.1f MiB", size>>20, float64(sendRSS)/(1<<20))
	if sendRSS > rssLimit || sendRSS <= 0 {
		t.Errorf("candor send's peak RSS is %d bytes", sendRSS)
	}
	for _, s := range []string{"what the upload server learns (before the upload)", "what the upload server learns (after the upload)", "100%", "big.bin sent to " + bob} {
		if !strings.Contains(sendErr.String(), s) {
			t.Errorf("send's output lacks %q:\n%s", s, sendErr.String())
		}
	}

	got := peer.Wait(t, "the link", func(e xmpppeer.Event) bool { return e.Event == "message" && strings.HasPrefix(e.Body, "aesgcm://") })
	sum, n := peer.Download(t, got.Body)
	t.Logf("peer download took %v", time.Since(t0))
	t0 = time.Now()
	if sum != want || n != size {
		t.Fatalf("the peer decrypted %d bytes, SHA-256 %s; want %s", n, sum, want)
	}

	listen := startListen(t, bin, "--download", "--config", cfg, "--data-dir", data)
	peer.Send(t, alice, got.Body, "")
	m := listen.next(t, xmpppeer.FileTimeout)
	if m.File == nil || m.File.Path == "" || m.File.Error != "" || strings.Contains(m.Body, got.Body[strings.IndexByte(got.Body, '#'):]) {
		t.Fatalf("listen printed %+v", m)
	}
	if filepath.Dir(m.File.Path) != downloads || sha256Of(t, m.File.Path) != want {
		t.Fatalf("downloaded %s: not the file sent", m.File.Path)
	}
	t.Logf("listen download took %v", time.Since(t0))
	listen.interrupt(t)
	listenRSS := maxRSS(listen.cmd.ProcessState)
	t.Logf("candor listen --download of %d MiB: peak RSS %.1f MiB", size>>20, float64(listenRSS)/(1<<20))
	if listenRSS > rssLimit || listenRSS <= 0 {
		t.Errorf("candor listen's peak RSS is %d bytes", listenRSS)
	}
}

// maxRSS is a finished process's peak resident set, in bytes (Linux
// reports kilobytes).
func maxRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return -1
	}
	return ru.Maxrss * 1024
}

func appendConfig(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := io.WriteString(f, "\n"+text); err != nil {
		t.Fatal(err)
	}
}

// writeRandom writes n pseudo-random bytes and returns their SHA-256.
func writeRandom(t *testing.T, path string, n int64) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	src := rand.NewChaCha8([32]byte{'c', 'a', 'n', 'd', 'o', 'r'})
	if _, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(src, n)); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func sha256Of(t *testing.T, path string) string {
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

// A file the server would refuse is refused before any upload, with one
// line that says why; so is a file that does not exist.
func TestIntegrationSendFileRefused(t *testing.T) {
	bin := buildCandor(t)
	srv := prosodytest.Start(t, prosodytest.UploadLimit(1<<20))
	alice := srv.CreateUser(t, "alice", "alice-pw")
	cfg := writeConfig(t, srv, alice, "alice-pw")
	big := filepath.Join(t.TempDir(), "big.bin")
	writeRandom(t, big, 2<<20)
	for _, c := range []struct{ path, want string }{
		{big, "big.bin is 2.0 MiB, more than upload.localhost accepts (at most 1.0 MiB); nothing was uploaded"},
		{big + ".missing", "big.bin.missing: no such file"},
	} {
		cmd := exec.Command(bin, "send", "--config", cfg, "--data-dir", t.TempDir(), "--file", c.path, "bob@localhost")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		if err == nil || !strings.Contains(stderr.String(), c.want) || strings.Count(strings.TrimSpace(stderr.String()), "\n") != 0 {
			t.Errorf("%s: %v; stderr %q", c.path, err, stderr.String())
		}
	}
	if entries, _ := os.ReadDir(srv.UploadDir()); len(entries) != 0 {
		t.Fatalf("the server got %d files", len(entries))
	}
}
