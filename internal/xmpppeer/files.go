package xmpppeer

import (
	"testing"
	"time"
)

// FileTimeout bounds one upload or download by the peer.
const FileTimeout = 5 * time.Minute

// Upload puts the file at path on the upload service (XEP-0363), encrypted
// with XEP-0454 by python3-cryptography unless encrypt is false, and
// returns the link to send: aesgcm:// with the key, or the https URL.
func (p *Peer) Upload(t testing.TB, service, path string, encrypt bool) string {
	t.Helper()
	e := p.tryFor(t, map[string]any{"cmd": "upload", "service": service, "path": path, "encrypt": encrypt}, FileTimeout)
	if e.Error != "" {
		t.Fatalf("xmpppeer: upload: %s", e.Error)
	}
	return e.Link
}

// Download fetches a link and returns the SHA-256 (hex) and size of the
// plaintext, decrypting an aesgcm:// link with python3-cryptography.
func (p *Peer) Download(t testing.TB, link string) (sha256 string, size int64) {
	t.Helper()
	sha, n, err := p.TryDownload(t, link)
	if err != "" {
		t.Fatalf("xmpppeer: download: %s", err)
	}
	return sha, n
}

// TryDownload is Download that returns the peer's error instead of
// failing the test.
func (p *Peer) TryDownload(t testing.TB, link string) (sha256 string, size int64, err string) {
	t.Helper()
	e := p.tryFor(t, map[string]any{"cmd": "download", "link": link}, FileTimeout)
	return e.SHA256, e.Size, e.Error
}

// SendOOB sends a chat message whose body is url, with a XEP-0066 element
// naming it (how clients share unencrypted uploads).
func (p *Peer) SendOOB(t testing.TB, to, url string) string {
	t.Helper()
	return p.do(t, map[string]any{"cmd": "send", "to": to, "body": url, "oob": url}).ID
}
