package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/candor-xmpp/candor/e2ee"
	"github.com/candor-xmpp/candor/internal/store"
)

// Downloading a received file: GET (https only), decrypt as a stream into
// a hidden staging folder beside the download folder's files, verify the
// tag, and only then link the plaintext into the download folder under a
// name no other file has. A tampered, truncated or oversized file, a wrong
// key, a lost connection or a cancellation leave nothing behind.

var errTooLarge = errors.New("too large")

// skipError ends an automatic download that the limit rules out: the file
// stays on the server, for /download.
type skipError struct{ reason string }

func (e *skipError) Error() string { return e.reason }

func skipped(format string, args ...any) error { return &skipError{fmt.Sprintf(format, args...)} }

// DownloadFile implements Files.
func (c *Client) DownloadFile(ctx context.Context, messageID int64) (Transfer, error) {
	return c.startDownload(ctx, messageID, 0)
}

// startDownload starts the download of a message's file; autoMax > 0 marks
// an automatic download of at most autoMax bytes.
func (c *Client) startDownload(ctx context.Context, messageID int64, autoMax int64) (Transfer, error) {
	st, err := c.store()
	if err != nil {
		return Transfer{}, err
	}
	f, err := st.File(ctx, messageID)
	if errors.Is(err, store.ErrNoFile) {
		return Transfer{}, fmt.Errorf("message %d carries no file", messageID)
	}
	if err != nil {
		return Transfer{}, err
	}
	m, err := st.Message(ctx, messageID)
	if err != nil {
		return Transfer{}, err
	}
	if f.State == int(FileLocal) && f.LocalPath != "" {
		if _, err := os.Stat(f.LocalPath); err == nil {
			return Transfer{}, fmt.Errorf("%s is already here: %s", f.Name, f.LocalPath)
		}
	}
	t := Transfer{Peer: m.Peer, MessageID: messageID, Name: f.Name, Total: -1}
	return c.files.start(t, func(ctx context.Context, r *transferRun) (Transfer, error) {
		return c.download(ctx, r, st, f, m.Peer, autoMax)
	})
}

// download runs one download and records its outcome on the file.
func (c *Client) download(ctx context.Context, r *transferRun, st *store.Store, f store.File, peer string, autoMax int64) (t Transfer, err error) {
	defer func() {
		var skip *skipError
		if err == nil || errors.As(err, &skip) {
			return
		}
		reason := err
		if cause := context.Cause(ctx); cause != nil {
			reason = cause
		}
		f.State, f.Err = int(FileFailed), oneLine(reason.Error())
		if errors.Is(reason, errCancelled) || errors.Is(reason, errShutdown) {
			f.State, f.Err = int(FileRemote), ""
		}
		c.fileChanged(st, f, peer)
	}()
	limit := c.files.opts.MaxDownload
	if autoMax > 0 {
		limit = min(limit, autoMax+e2ee.FileTagSize)
	}
	httpsURL, key := f.URL, e2ee.FileKey{}
	if f.Encrypted {
		if httpsURL, key, err = e2ee.ParseAESGCMURL(f.URL); err != nil {
			return Transfer{}, err
		}
	}
	dir := c.downloadDir()
	staging, err := c.files.enterStaging(dir)
	if err != nil {
		return Transfer{}, err
	}
	leave := sync.OnceFunc(func() { c.files.leaveStaging(staging) })
	defer leave()

	hc, err := c.httpClient()
	if err != nil {
		return Transfer{}, err
	}
	defer hc.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, httpsURL, nil)
	if err != nil {
		return Transfer{}, fmt.Errorf("bad link: %v", err)
	}
	if req.URL.Scheme != "https" {
		return Transfer{}, errors.New("not an https link; refusing to download")
	}
	resp, err := hc.Do(req)
	if err != nil {
		return Transfer{}, httpError(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Transfer{}, statusError("file", resp)
	}
	if resp.ContentLength > limit {
		if autoMax > 0 {
			return Transfer{}, skipped("%s is %s, more than the automatic download limit (%s); /download fetches it",
				f.Name, HumanSize(resp.ContentLength), HumanSize(autoMax))
		}
		return Transfer{}, fmt.Errorf("%s is %s, more than the download limit (%s)", f.Name, HumanSize(resp.ContentLength), HumanSize(limit))
	}
	c.files.update(r, func(t *Transfer) { t.Total, t.State = resp.ContentLength, TransferRunning })
	body := countingReader{r: &capReader{r: resp.Body, left: limit}, run: r}

	staged, err := os.CreateTemp(staging, "*-"+f.Name)
	if err != nil {
		return Transfer{}, err
	}
	stagedPath := staged.Name()
	staged.Close()
	defer os.Remove(stagedPath) // after placing, the download folder holds a link to it
	var n int64
	if f.Encrypted {
		n, err = e2ee.DecryptFile(stagedPath, body, key)
	} else {
		n, err = copyToFile(stagedPath, body)
	}
	if err != nil {
		return Transfer{}, downloadError(err, limit, autoMax)
	}
	media, err := sniffFile(stagedPath)
	if err != nil {
		return Transfer{}, err
	}
	final, err := placeFile(stagedPath, dir, f.Name)
	if err != nil {
		return Transfer{}, err
	}
	os.Remove(stagedPath)
	leave() // before anyone hears of the file: the folder is then as it stays
	f.State, f.Err, f.LocalPath, f.Size, f.MediaType = int(FileLocal), "", final, n, media
	c.fileChanged(st, f, peer)
	return Transfer{Peer: peer, MessageID: f.MessageID, Name: f.Name, Total: r.moved.Load(), Done: r.moved.Load(), Path: final}, nil
}

// fileChanged stores a file's new state and tells the UI.
func (c *Client) fileChanged(st *store.Store, f store.File, peer string) {
	if err := st.UpdateFile(context.Background(), f); err != nil {
		c.notice(Warning, fmt.Sprintf("cannot record the state of %s: %v", f.Name, err))
	}
	c.events.emit(FileUpdated{MessageID: f.MessageID, Peer: peer, File: *fileInfo(f)})
}

// downloadError words a failed download.
func downloadError(err error, limit, autoMax int64) error {
	switch {
	case errors.Is(err, e2ee.ErrFileAuthentication):
		return errors.New("the file does not match its key (tampered with, truncated, or a wrong key); nothing was kept")
	case errors.Is(err, e2ee.ErrFileTruncated):
		return errors.New("the file is shorter than its authentication tag (truncated); nothing was kept")
	case errors.Is(err, errTooLarge):
		if autoMax > 0 {
			return skipped("larger than the automatic download limit (%s); /download fetches it", HumanSize(autoMax))
		}
		return fmt.Errorf("the file is larger than the download limit (%s); nothing was kept", HumanSize(limit))
	case errors.Is(err, context.Canceled):
		return err
	}
	return httpError(err)
}

// capReader fails once more than left bytes arrive.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, errTooLarge
	}
	return n, err
}

// copyToFile writes r to a temporary file renamed to dst once complete.
func copyToFile(dst string, r io.Reader) (n int64, err error) {
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".*.part")
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if n, err = io.CopyBuffer(tmp, r, make([]byte, 64<<10)); err != nil {
		return 0, err
	}
	if err = tmp.Close(); err != nil {
		return 0, err
	}
	return n, os.Rename(tmp.Name(), dst)
}

// enterStaging makes sure the download folder and its hidden staging
// folder exist for a download, which calls leaveStaging when done. The last
// download to leave removes the folder (only if empty: it may be another
// process's too), so concurrent downloads never lose it under their feet.
func (fm *fileManager) enterStaging(dir string) (string, error) {
	fm.mu.Lock()
	defer fm.mu.Unlock()
	staging, err := makeStaging(dir)
	if err == nil {
		fm.staging++
	}
	return staging, err
}

func (fm *fileManager) leaveStaging(staging string) {
	fm.mu.Lock()
	defer fm.mu.Unlock()
	if fm.staging--; fm.staging == 0 {
		os.Remove(staging)
	}
}

// makeStaging creates the download folder and its hidden staging folder.
func makeStaging(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("download folder %s: %v", dir, unwrapPathErr(err))
	}
	staging := filepath.Join(dir, ".candor-partial")
	if err := os.Mkdir(staging, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return "", fmt.Errorf("download folder %s: %v", dir, unwrapPathErr(err))
	}
	return staging, nil
}

// placeFile links the verified staged file into dir under name, or under
// "name (2)" and so on: an existing file is never replaced, and no partial
// file ever shows there.
func placeFile(staged, dir, name string) (string, error) {
	stem, ext := name, filepath.Ext(name)
	if len(ext) < len(name) {
		stem = strings.TrimSuffix(name, ext)
	} else {
		ext = ""
	}
	for i := 1; i <= 1000; i++ {
		candidate := name
		if i > 1 {
			candidate = fmt.Sprintf("%s (%d)%s", stem, i, ext)
		}
		dst := filepath.Join(dir, candidate)
		err := os.Link(staged, dst)
		if err == nil {
			return dst, nil
		}
		if errors.Is(err, os.ErrExist) {
			continue
		}
		// No hard links here (some file systems): rename, if still free.
		if _, serr := os.Lstat(dst); errors.Is(serr, os.ErrNotExist) {
			if rerr := os.Rename(staged, dst); rerr == nil {
				return dst, nil
			}
		}
		return "", fmt.Errorf("cannot save %s in %s: %v", name, dir, unwrapPathErr(err))
	}
	return "", fmt.Errorf("cannot save %s in %s: too many files of that name", name, dir)
}
