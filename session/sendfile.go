package session

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"mellium.im/xmpp/jid"

	"github.com/candor-xmpp/candor/e2ee"
	"github.com/candor-xmpp/candor/internal/store"
	"github.com/candor-xmpp/candor/scanhook"
)

// Sending a file, in this order and in this one place:
//
//	prepare (file, upload service, size limit, plaintext policy, leak
//	report) -> scan stage (scanhook SIMULATION, on the plaintext, before
//	anything is encrypted or leaves the machine) -> slot -> encrypt
//	(XEP-0454) and upload (XEP-0363) -> the link into the message
//	pipeline (send.go), queued with the scan verdict
//
// Nothing is half-sent: a failure, a cancellation or a lost connection
// before the upload completed ends the transfer with no message. The
// message itself then goes through the outbox like text, exactly once.

// PrepareFile implements Files.
func (c *Client) PrepareFile(ctx context.Context, req FileRequest) (FilePlan, error) {
	l, err := c.online()
	if err != nil {
		return FilePlan{}, errors.New("not connected: sending a file needs the server (for the upload slot)")
	}
	return c.prepareFile(ctx, l, req)
}

// SendFile implements Files.
func (c *Client) SendFile(ctx context.Context, req FileRequest) (Transfer, error) {
	l, err := c.online()
	if err != nil {
		return Transfer{}, errors.New("not connected: sending a file needs the server (for the upload slot)")
	}
	plan, err := c.prepareFile(ctx, l, req)
	if err != nil {
		return Transfer{}, err
	}
	if err := c.linkCanGo(ctx, plan); err != nil { // omemo_client.go
		return Transfer{}, err
	}
	leak := plan.Leak
	t := Transfer{Peer: plan.To, Upload: true, Name: plan.Name, Total: leak.Size, Path: plan.Path, Leak: &leak}
	return c.files.start(t, func(ctx context.Context, r *transferRun) (Transfer, error) {
		return c.uploadAndSend(ctx, r, l, plan)
	})
}

// prepareFile checks everything that can be checked before uploading.
func (c *Client) prepareFile(ctx context.Context, l *link, req FileRequest) (FilePlan, error) {
	to, err := parseBare(req.To)
	if err != nil {
		return FilePlan{}, err
	}
	path, err := expandPath(req.Path)
	if err != nil {
		return FilePlan{}, err
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return FilePlan{}, fmt.Errorf("%s: no such file", req.Path)
	case err != nil:
		return FilePlan{}, fmt.Errorf("%s: %v", req.Path, unwrapPathErr(err))
	case fi.IsDir():
		return FilePlan{}, fmt.Errorf("%s is a directory; send one file at a time", req.Path)
	case !fi.Mode().IsRegular():
		return FilePlan{}, fmt.Errorf("%s is not a regular file", req.Path)
	case fi.Size() == 0:
		return FilePlan{}, fmt.Errorf("%s is empty: nothing to send", req.Path)
	case fi.Size() > e2ee.MaxFileSize:
		return FilePlan{}, fmt.Errorf("%s is too large to encrypt (%s)", req.Path, HumanSize(fi.Size()))
	}
	mediaType, err := sniffFile(path)
	if err != nil {
		return FilePlan{}, fmt.Errorf("%s: %v", req.Path, err)
	}
	hasOMEMO := c.peerHasOMEMO(to.String())
	if req.Plaintext && hasOMEMO {
		return FilePlan{}, fmt.Errorf("%s uses OMEMO: files to them are always encrypted", to)
	}
	svc, err := c.uploadService(ctx, l)
	if err != nil {
		return FilePlan{}, err
	}
	plan := FilePlan{
		To: to.String(), Path: path, Name: filepath.Base(path), Size: fi.Size(), MediaType: mediaType,
		Encrypted: !req.Plaintext, PeerHasOMEMO: hasOMEMO, Service: svc.jid.String(), MaxSize: svc.maxSize,
	}
	size := plan.Size
	ctype := mediaType
	if plan.Encrypted {
		size = e2ee.EncryptedSize(plan.Size)
		ctype = "application/octet-stream" // ciphertext: the type would only leak
	}
	if svc.maxSize > 0 && size > svc.maxSize {
		extra := ""
		if plan.Size <= svc.maxSize {
			extra = " once encrypted (+16 bytes)"
		}
		return FilePlan{}, fmt.Errorf("%s is %s, more than %s accepts%s (at most %s); nothing was uploaded",
			plan.Name, HumanSize(plan.Size), svc.jid, extra, HumanSize(svc.maxSize))
	}
	if plan.Encrypted && (req.PadSize || c.files.opts.PadSize) {
		plan.pad = planPadding(mediaType, plan.Size, svc.maxSize, size-plan.Size)
		size += plan.pad.add
	}
	name, random := uploadName(plan.Name, c.files.opts.UploadNames)
	c.mu.Lock()
	uploader := c.addr.String()
	c.mu.Unlock()
	plan.Leak = UploadLeak{
		Service: svc.jid.String(), FileName: name, RandomName: random, Size: size, ContentType: ctype,
		Uploader: uploader, Encrypted: plan.Encrypted, LinkEncrypted: hasOMEMO,
		Padded: plan.pad.add, PadFormat: plan.pad.format, PadRefused: plan.pad.refused,
	}
	return plan, nil
}

// peerHasOMEMO reports whether messages to peer are OMEMO-encrypted by
// this client. It decides two things: plaintext uploads are refused to
// such a peer, and the leak report says whether the aesgcm:// link (and so
// its key) travels end-to-end encrypted.
//
// INTEGRATION SEAM (omemo branch): it is scanhook's chatEncrypted, the one
// place where the session says whether a chat is encrypted; the omemo work
// replaces that body. Until the encrypt stage encrypts, no message is, and
// saying otherwise would make the leak report lie: so today it is false.
func (c *Client) peerHasOMEMO(peer string) bool { return c.chatEncrypted(peer) }

// scanFileStage is the scan stage of sending a file: scanhook's scanStage
// (SIMULATION) on the plaintext, before any byte is encrypted or leaves
// the machine (scanning.md §5). A blocked file, or one that could not be
// checked while scanning is on, returns an error: the transfer fails with
// that reason and nothing is uploaded. The verdict it returns (nil when
// scanning is off) is kept with the link's message in the transaction
// that queues it, so that the outbox never scans the link, whose fragment
// is the key.
func (c *Client) scanFileStage(ctx context.Context, to string, att scanhook.Attachment) (*scanhook.Result, error) {
	// Its own id: the link's message does not exist yet (and concurrent
	// checks are told apart by it).
	res, err := c.scanStage(ctx, outgoing{Peer: to, OriginID: newID()}, []scanhook.Attachment{att})
	switch {
	case err != nil:
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		return nil, fmt.Errorf("SIMULATION scanhook could not check the file, so it was not sent: %v", err)
	case res == nil:
		return nil, nil
	case !res.AttachmentAllowed(0) || !res.Decision.SendBody:
		return nil, errors.New(blockReason(res))
	}
	return res, nil
}

// uploadAndSend is the transfer itself: steps after prepareFile.
func (c *Client) uploadAndSend(ctx context.Context, r *transferRun, l *link, plan FilePlan) (Transfer, error) {
	// Step: open the file planned, and notice if it changes under us.
	f, err := os.Open(plan.Path)
	if err != nil {
		return Transfer{}, fmt.Errorf("cannot read %s: %v", plan.Path, unwrapPathErr(err))
	}
	defer f.Close()
	before, err := f.Stat()
	if err != nil || before.Size() != plan.Size {
		return Transfer{}, fmt.Errorf("%s changed since it was chosen; not sent", plan.Name)
	}

	// Step: scan, on the plaintext.
	att := scanhook.Attachment{Name: plan.Name, DeclaredType: plan.MediaType,
		Open: func() (io.ReadCloser, error) { return os.Open(plan.Path) }}
	verdict, err := c.scanFileStage(ctx, plan.To, att)
	if err != nil {
		return Transfer{}, err
	}

	// Step: slot.
	svcJID, err := jid.Parse(plan.Service)
	if err != nil {
		return Transfer{}, err
	}
	svc := uploadService{jid: svcJID, maxSize: plan.MaxSize}
	leak := plan.Leak
	s, err := l.requestSlot(ctx, svc, leak.FileName, leak.Size, leak.ContentType)
	if err != nil {
		return Transfer{}, err
	}
	leak.Host = s.get.Hostname()
	c.files.update(r, func(t *Transfer) { t.State, t.Leak = TransferRunning, &leak })

	// Step: encrypt and upload, streaming in constant memory.
	var body io.Reader = f
	if plan.pad.add > 0 {
		body = io.MultiReader(f, plan.pad.trailer())
	}
	var key e2ee.FileKey
	if plan.Encrypted {
		if key, err = e2ee.NewFileKey(nil); err != nil {
			return Transfer{}, err
		}
		if body, err = e2ee.NewFileEncrypter(body, key); err != nil {
			return Transfer{}, err
		}
	}
	if err := c.putFile(ctx, s, countingReader{r: body, run: r}, leak.Size, leak.ContentType); err != nil {
		return Transfer{}, err
	}
	if after, err := f.Stat(); err != nil || after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
		return Transfer{}, fmt.Errorf("%s changed during the upload; not sent", plan.Name)
	}
	leak.At = c.clock.Now()

	// Step: the link, through the message pipeline.
	link := s.get.String()
	if plan.Encrypted {
		if link, err = e2ee.FormatAESGCMURL(link, key); err != nil {
			return Transfer{}, err
		}
	}
	file := &queuedFile{verdict: verdict, row: store.File{URL: link, Name: plan.Name, Size: plan.Size, MediaType: plan.MediaType,
		Encrypted: plan.Encrypted, LocalPath: plan.Path, State: int(FileLocal), UploadName: leak.FileName}}
	msg, err := c.send(context.WithoutCancel(ctx), SendRequest{To: plan.To, Body: link}, file)
	if err != nil {
		return Transfer{}, fmt.Errorf("uploaded, but the message was not queued: %v", err)
	}
	if verdict != nil {
		c.events.emit(MessageScanned{Peer: plan.To, Verdict: verdictOf(msg.ID, verdict)})
	}
	return Transfer{Peer: plan.To, Upload: true, MessageID: msg.ID, Name: plan.Name, Total: leak.Size,
		Done: leak.Size, Path: plan.Path, Leak: &leak}, nil
}

// putFile uploads size bytes of body to the slot.
func (c *Client) putFile(ctx context.Context, s slot, body io.Reader, size int64, ctype string) error {
	hc, err := c.httpClient()
	if err != nil {
		return err
	}
	defer hc.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, s.put.String(), body)
	if err != nil {
		return err
	}
	req.ContentLength = size
	req.Header = s.header.Clone()
	req.Header.Set("Content-Type", ctype)
	resp, err := hc.Do(req)
	if err != nil {
		return httpError(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
		return statusError("upload", resp)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return nil
}

// uploadName is the name the upload server is told, and whether it is
// random.
func uploadName(name string, mode NameMode) (string, bool) {
	if mode == NameOriginal {
		return safeFileName(name), false
	}
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	var b [16]byte
	rand.Read(b[:])
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	out := string(b[:])
	if ext := strings.ToLower(filepath.Ext(name)); mode != NameOpaque && isPlainExt(ext) {
		out += ext
	}
	return out, true
}

func isPlainExt(ext string) bool {
	if len(ext) < 2 || len(ext) > 9 || ext[0] != '.' {
		return false
	}
	for _, r := range ext[1:] {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// sniffFile reads the start of a file to learn its media type (and that it
// can be read).
func sniffFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", unwrapPathErr(err)
	}
	defer f.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return "", err
	}
	t := http.DetectContentType(head[:n])
	if t == "application/octet-stream" {
		if byName := typeByName(path); byName != "" && !strings.HasPrefix(byName, "image/") {
			t = byName // a container the sniffer does not know; images must sniff as images
		}
	}
	t, _, _ = strings.Cut(t, ";")
	return t, nil
}

// expandPath expands a leading ~ and makes the path absolute.
func expandPath(p string) (string, error) {
	p = strings.TrimSpace(p)
	if p == "" {
		return "", errors.New("no file given")
	}
	if p == "~" || strings.HasPrefix(p, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("%s: no home directory: %v", p, err)
		}
		p = filepath.Join(home, strings.TrimPrefix(p, "~"))
	}
	return filepath.Abs(p)
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
