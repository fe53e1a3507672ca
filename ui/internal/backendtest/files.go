package backendtest

import (
	"context"
	"path/filepath"

	"github.com/candor-xmpp/candor/session"
)

// The Files part of session.Backend: calls are recorded; PrepareFile and
// SendFile answer from the request (Plan, when set, is returned as the
// plan), with Errs by method name as everywhere.

// SetPlan makes PrepareFile return p.
func (b *Backend) SetPlan(p session.FilePlan) {
	b.mu.Lock()
	b.plan = &p
	b.mu.Unlock()
}

func (b *Backend) PrepareFile(ctx context.Context, req session.FileRequest) (session.FilePlan, error) {
	if err := b.record("PrepareFile", req); err != nil {
		return session.FilePlan{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.plan != nil {
		return *b.plan, nil
	}
	return session.FilePlan{To: req.To, Path: req.Path, Name: filepath.Base(req.Path), Encrypted: !req.Plaintext,
		Leak: session.UploadLeak{FileName: "random.png", RandomName: true, ContentType: "application/octet-stream", Encrypted: !req.Plaintext}}, nil
}

func (b *Backend) SendFile(ctx context.Context, req session.FileRequest) (session.Transfer, error) {
	if err := b.record("SendFile", req); err != nil {
		return session.Transfer{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.nextID++
	return session.Transfer{ID: b.nextID, Peer: req.To, Upload: true, Name: filepath.Base(req.Path), Total: -1}, nil
}

func (b *Backend) DownloadFile(ctx context.Context, messageID int64) (session.Transfer, error) {
	if err := b.record("DownloadFile", messageID); err != nil {
		return session.Transfer{}, err
	}
	return session.Transfer{ID: messageID, MessageID: messageID, Total: -1}, nil
}

func (b *Backend) CancelTransfer(id int64) error { return b.record("CancelTransfer", id) }

func (b *Backend) Transfers() []session.Transfer {
	b.record("Transfers")
	return nil
}

func (b *Backend) OpenFile(ctx context.Context, messageID int64) error {
	return b.record("OpenFile", messageID)
}
