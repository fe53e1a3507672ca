package session

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/e2ee"
	"github.com/candor-xmpp/candor/internal/store"
)

// fileClient is a Client with an open store (no server) whose HTTP
// trusts srv's certificate.
func fileClient(t *testing.T, srv *httptest.Server, opts FileOptions) (*Client, *recorder) {
	t.Helper()
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if srv != nil {
		b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
		if err := os.WriteFile(ca, b, 0o600); err != nil {
			t.Fatal(err)
		}
	} else {
		ca = ""
	}
	c, err := New(Options{DataDir: dir, Files: opts})
	if err != nil {
		t.Fatal(err)
	}
	rec := record(c)
	t.Cleanup(func() { c.Close() })
	if err := c.Open(context.Background(), Account{JID: "alice@example.org", CAFile: ca}); err != nil {
		t.Fatal(err)
	}
	return c, rec
}

func endOf(t *testing.T, rec *recorder, id int64) Transfer {
	t.Helper()
	return rec.wait(t, "the end of the transfer", func(ev Event) bool {
		u, ok := ev.(TransferUpdated)
		return ok && u.Transfer.ID == id && u.Transfer.State.Ended()
	}).(TransferUpdated).Transfer
}

// A transfer ends cancelled, stalled (no byte for the stall timeout: a
// lost connection) or with the panic of its work as a one-line failure.
func TestTransferEnds(t *testing.T) {
	c, rec := fileClient(t, nil, FileOptions{StallTimeout: 300 * time.Millisecond})
	block := func(ctx context.Context, r *transferRun) (Transfer, error) {
		<-ctx.Done()
		return Transfer{}, ctx.Err()
	}
	tr, err := c.files.start(Transfer{Name: "a"}, block)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Transfers(); len(got) != 1 || got[0].ID != tr.ID {
		t.Fatalf("Transfers = %+v", got)
	}
	if err := c.CancelTransfer(tr.ID); err != nil {
		t.Fatal(err)
	}
	if end := endOf(t, rec, tr.ID); end.State != TransferCancelled || end.Err != "cancelled" {
		t.Fatalf("cancelled: %+v", end)
	}
	if err := c.CancelTransfer(tr.ID); err == nil {
		t.Fatal("cancelled a transfer that had ended")
	}

	// No byte moves: the stall timeout ends it as a lost connection.
	tr, _ = c.files.start(Transfer{Name: "b"}, block)
	if end := endOf(t, rec, tr.ID); end.State != TransferFailed || !strings.HasPrefix(end.Err, "connection lost: no data") {
		t.Fatalf("stalled: %+v", end)
	}

	tr, _ = c.files.start(Transfer{Name: "c"}, func(context.Context, *transferRun) (Transfer, error) { panic("boom") })
	if end := endOf(t, rec, tr.ID); end.State != TransferFailed || end.Err != "internal error: boom" {
		t.Fatalf("panicked: %+v", end)
	}

	// Close cancels what runs and waits for it.
	tr, _ = c.files.start(Transfer{Name: "d"}, block)
	c.Close()
	if _, err := c.files.start(Transfer{Name: "e"}, block); err == nil {
		t.Fatal("a transfer started after Close")
	}
	if got := c.Transfers(); len(got) != 0 {
		t.Fatalf("after Close: %+v", got)
	}
}

// putFile against a real HTTPS server: headers and body arrive; errors and
// a connection closed mid-body become one-line reasons.
func TestPutFile(t *testing.T) {
	var got struct {
		auth, ctype string
		body        []byte
	}
	mux := http.NewServeMux()
	mux.HandleFunc("PUT /ok", func(w http.ResponseWriter, r *http.Request) {
		got.auth, got.ctype = r.Header.Get("Authorization"), r.Header.Get("Content-Type")
		got.body, _ = io.ReadAll(r.Body)
		w.WriteHeader(http.StatusCreated)
	})
	mux.HandleFunc("PUT /full", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		io.WriteString(w, "quota\nexceeded")
	})
	mux.HandleFunc("PUT /hangup", func(w http.ResponseWriter, r *http.Request) {
		io.CopyN(io.Discard, r.Body, 1000)
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	})
	srv := httptest.NewTLSServer(mux)
	defer srv.Close()
	c, _ := fileClient(t, srv, FileOptions{})
	put := func(path string, body []byte) error {
		u, _ := url.Parse(srv.URL + path)
		s := slot{put: u, get: u, header: http.Header{"Authorization": {"Bearer x"}}}
		return c.putFile(context.Background(), s, bytes.NewReader(body), int64(len(body)), "application/octet-stream")
	}
	body := bytes.Repeat([]byte("z"), 100_000)
	if err := put("/ok", body); err != nil || got.auth != "Bearer x" || got.ctype != "application/octet-stream" || !bytes.Equal(got.body, body) {
		t.Fatalf("put: %v; server got %q %q %d bytes", err, got.auth, got.ctype, len(got.body))
	}
	if err := put("/full", body); err == nil || err.Error() != "the upload server answered 413 Request Entity Too Large (the file is larger than it accepts): quota" {
		t.Fatalf("413: %v", err)
	}
	if err := put("/hangup", bytes.Repeat([]byte("z"), 4<<20)); err == nil || !strings.HasPrefix(err.Error(), "connection lost") {
		t.Fatalf("hang-up: %v", err)
	}
}

// Downloads against a real HTTPS server: limits with and without a length,
// redirects to http, errors; nothing is left in the download folder, and
// a good file arrives whole.
func TestDownloadLimits(t *testing.T) {
	key, _ := e2ee.NewFileKey(nil)
	plain := bytes.Repeat([]byte("photo "), 50_000)
	var enc bytes.Buffer
	e2ee.EncryptFile(&enc, bytes.NewReader(plain), key)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /f/photo.jpg", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(enc.Len()))
		w.Write(enc.Bytes())
	})
	mux.HandleFunc("GET /chunked/photo.jpg", func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < enc.Len(); i += 4096 {
			w.Write(enc.Bytes()[i:min(i+4096, enc.Len())])
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("GET /redirect/photo.jpg", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://insecure.example/photo.jpg", http.StatusFound)
	})
	srv := httptest.NewTLSServer(mux)
	defer srv.Close()
	dl := filepath.Join(t.TempDir(), "dl")
	c, rec := fileClient(t, srv, FileOptions{DownloadDir: dl, MaxDownload: int64(len(plain)) - 1})
	st, _ := c.store()

	message := func(path string) int64 {
		link, err := e2ee.FormatAESGCMURL(srv.URL+path, key)
		if err != nil {
			t.Fatal(err)
		}
		m := &store.Message{Peer: "bob@example.org", Body: link, Time: time.Now()}
		if err := st.InsertMessageFile(context.Background(), m, false, fileOf(link, nil)); err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	for path, want := range map[string]string{
		"/f/photo.jpg":        "more than the download limit",
		"/chunked/photo.jpg":  "larger than the download limit",
		"/redirect/photo.jpg": "redirected to a http: URL",
		"/missing/photo.jpg":  "the file server answered 404 Not Found (the file is gone: expired or deleted)",
	} {
		tr, err := c.DownloadFile(context.Background(), message(path))
		if err != nil {
			t.Fatal(err)
		}
		if end := endOf(t, rec, tr.ID); end.State != TransferFailed || !strings.Contains(end.Err, want) {
			t.Errorf("%s: %v %q; want %q", path, end.State, end.Err, want)
		}
		assertEmpty(t, dl)
	}

	// An automatic download of a file over its limit leaves it alone.
	id := message("/chunked/photo.jpg")
	tr, err := c.startDownload(context.Background(), id, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if end := endOf(t, rec, tr.ID); end.State != TransferCancelled || !strings.Contains(end.Err, "automatic download limit") {
		t.Fatalf("automatic: %+v", end)
	}
	if f, _ := st.File(context.Background(), id); f.State != int(FileRemote) || f.Err != "" {
		t.Fatalf("after a skipped automatic download: %+v", f)
	}

	c.files.opts.MaxDownload = 10 << 20
	id = message("/chunked/photo.jpg")
	tr, _ = c.DownloadFile(context.Background(), id)
	if end := endOf(t, rec, tr.ID); end.State != TransferFinished {
		t.Fatalf("good download: %+v", end)
	}
	if b, _ := os.ReadFile(filepath.Join(dl, "photo.jpg")); !bytes.Equal(b, plain) {
		t.Fatal("the file differs")
	}
	if _, err := c.DownloadFile(context.Background(), id); err == nil || !strings.Contains(err.Error(), "already here") {
		t.Fatalf("second download: %v", err)
	}
	if err := c.OpenFile(context.Background(), message("/f/photo.jpg")); err == nil || !strings.Contains(err.Error(), "not downloaded yet") {
		t.Fatalf("open before download: %v", err)
	}
}

// OpenFile hands the opener the local plaintext's path, and nothing else.
func TestOpenFileGivesThePath(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "args")
	script := filepath.Join(dir, "opener")
	os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s\\n' \"$@\" > "+out+".tmp && mv "+out+".tmp "+out+"\n"), 0o700)
	c, _ := fileClient(t, nil, FileOptions{Opener: []string{script, "--flag"}})
	st, _ := c.store()
	local := filepath.Join(dir, "pic.png")
	os.WriteFile(local, []byte("x"), 0o600)
	key := strings.Repeat("ab", 44)
	m := &store.Message{Peer: "bob@example.org", Body: "aesgcm://h.example/pic.png#" + key, Time: time.Now()}
	f := fileOf(m.Body, nil)
	f.State, f.LocalPath = int(FileLocal), local
	if err := st.InsertMessageFile(context.Background(), m, false, f); err != nil {
		t.Fatal(err)
	}
	if err := c.OpenFile(context.Background(), m.ID); err != nil {
		t.Fatal(err)
	}
	var got []byte
	for range 100 {
		if got, _ = os.ReadFile(out); len(got) > 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if string(got) != "--flag\n"+local+"\n" {
		t.Fatalf("the opener got %q", got)
	}
	os.Remove(local)
	if err := c.OpenFile(context.Background(), m.ID); err == nil || !strings.Contains(err.Error(), "no longer at") {
		t.Fatalf("open of a removed file: %v", err)
	}
}

func assertEmpty(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("%s holds %q", dir, names)
	}
}
