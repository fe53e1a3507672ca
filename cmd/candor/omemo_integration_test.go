//go:build integration

package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/omemopeer"
	"github.com/candor-xmpp/candor/internal/prosodytest"
)

// runCandor runs the binary and returns its output.
func runCandor(bin, stdin string, args ...string) (string, string, error) {
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	return out.String(), errOut.String(), err
}

// The headless commands with OMEMO against python-omemo: send encrypts by
// default, listen decrypts and says how, omemo shows the fingerprint and
// devices and records trust; a rejected device gets nothing.
func TestIntegrationHeadlessOMEMO(t *testing.T) {
	bin := buildCandor(t)
	srv := prosodytest.Start(t)
	alice := srv.CreateUser(t, "alice", "alice-pw")
	bob := srv.CreateUser(t, "bob", "bob-pw")
	cfg := writeConfig(t, srv, alice, "alice-pw")
	data := t.TempDir()
	flags := []string{"--config", cfg, "--data-dir", data}

	peer := omemopeer.Start(t)
	bobDev := peer.Connect(omemopeer.Config{JID: bob, Password: "bob-pw", Addr: srv.C2SAddr(), CAFile: srv.CAFile()})

	out, stderr, err := runCandor(bin, "", append([]string{"omemo", "fingerprint", "--json"}, flags...)...)
	if err != nil {
		t.Fatalf("omemo fingerprint: %v: %s", err, stderr)
	}
	var own struct {
		JID         string `json:"jid"`
		DeviceID    uint32 `json:"device_id"`
		Fingerprint string `json:"fingerprint"`
		URI         string `json:"uri"`
	}
	if err := json.Unmarshal([]byte(out), &own); err != nil {
		t.Fatalf("omemo fingerprint printed %q: %v", out, err)
	}
	wantURI := "xmpp:" + alice + "?omemo-sid-" + itoa(own.DeviceID) + "=" + strings.ReplaceAll(own.Fingerprint, " ", "")
	if own.JID != alice || len(own.Fingerprint) != 71 || own.URI != wantURI {
		t.Fatalf("fingerprint %+v, want URI %s", own, wantURI)
	}

	if _, stderr, err := runCandor(bin, "", append([]string{"send"}, append(flags, bob, "encrypted by candor send")...)...); err != nil {
		t.Fatalf("candor send: %v: %s", err, stderr)
	}
	if got := peer.WaitMessage("encrypted by candor send"); got.DeviceID != own.DeviceID {
		t.Fatalf("bob got %+v from device %d", got, own.DeviceID)
	}

	// listen prints what bob sends, with how it was protected.
	listen := startListen(t, bin, flags...)
	peer.Send(alice, "omemo 2 to listen", omemopeer.OMEMO2)
	peer.Send(alice, "legacy to listen", omemopeer.Legacy)
	for _, want := range []struct{ body, enc string }{{"omemo 2 to listen", "omemo:2"}, {"legacy to listen", "omemo:0.3"}} {
		m := listen.next(t, omemopeer.Timeout)
		if m.Body != want.body || m.Encryption != want.enc || m.DeviceID != bobDev.DeviceID || m.Trusted == nil || !*m.Trusted ||
			m.Trust != "blind" || m.Error != "" {
			t.Fatalf("listen printed %+v, want %+v", m, want)
		}
	}
	listen.interrupt(t)

	// Devices, then trust decisions by fingerprint.
	devices := func() []deviceJSON {
		out, stderr, err := runCandor(bin, "", append([]string{"omemo", "devices", "--json"}, append(flags, bob)...)...)
		if err != nil {
			t.Fatalf("omemo devices: %v: %s", err, stderr)
		}
		var devs []deviceJSON
		if err := json.Unmarshal([]byte(out), &devs); err != nil {
			t.Fatalf("omemo devices printed %q: %v", out, err)
		}
		return devs
	}
	if d := devices(); len(d) != 1 || d[0].DeviceID != bobDev.DeviceID || d[0].Fingerprint != bobDev.Fingerprint || d[0].Trust != "blind" {
		t.Fatalf("devices %+v, bob is %+v", d, bobDev)
	}
	if _, stderr, err := runCandor(bin, "", append([]string{"omemo", "trust"}, append(flags, bob, strings.ReplaceAll(bobDev.Fingerprint, " ", ""))...)...); err != nil {
		t.Fatalf("omemo trust: %v: %s", err, stderr)
	}
	if d := devices(); d[0].Trust != "verified" {
		t.Fatalf("after trust: %+v", d)
	}
	_, stderr, err = runCandor(bin, "", append([]string{"omemo", "trust"}, append(flags, bob, strings.Repeat("ab", 32))...)...)
	assertOneLineFailure(t, err, stderr, "candor: no known device of "+bob)
	if _, stderr, err := runCandor(bin, "", append([]string{"omemo", "untrust", "--offline"}, append(flags, bob, bobDev.Fingerprint)...)...); err != nil {
		t.Fatalf("omemo untrust: %v: %s", err, stderr)
	}
	_, stderr, err = runCandor(bin, "", append([]string{"send"}, append(flags, bob, "to a rejected device")...)...)
	assertOneLineFailure(t, err, stderr, "candor: not sent: no trusted OMEMO device of "+bob)
	if got := peer.Events(func(e omemopeer.Event) bool { return strings.Contains(e.Body, "rejected device") }); len(got) != 0 {
		t.Fatalf("the rejected device got %+v", got)
	}

	assertNotOnDisk(t, srv.DataDir(), "encrypted by candor send", "omemo 2 to listen", "legacy to listen")
}

func itoa(n uint32) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// assertNotOnDisk fails if any text is in a file under dir.
func assertNotOnDisk(t *testing.T, dir string, texts ...string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for _, s := range texts {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%q is in %s", s, path)
			}
		}
		return nil
	})
	if err != nil || files == 0 {
		t.Fatalf("nothing checked under %s: %v", dir, err)
	}
}
