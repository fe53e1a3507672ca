package main

import (
	"context"
	"fmt"

	"github.com/candor-xmpp/candor/session"
)

// fileWaiter holds back, with --download, each incoming message that
// shares a file until the file is saved or failed, so that the printed
// line carries the local path or the reason.
type fileWaiter struct {
	client  *session.Client
	on      bool
	pending map[int64]session.Message
}

func newFileWaiter(c *session.Client, on bool) *fileWaiter {
	return &fileWaiter{client: c, on: on, pending: map[int64]session.Message{}}
}

// hold starts the download of m's file and reports whether m waits for it.
func (w *fileWaiter) hold(ctx context.Context, m session.Message) bool {
	if !w.on || m.File == nil || m.File.State == session.FileLocal {
		return false
	}
	if _, err := w.client.DownloadFile(ctx, m.ID); err != nil {
		f := *m.File
		f.State, f.Err = session.FileFailed, err.Error()
		m.File = &f
		// An automatic download may have finished first: its FileUpdated
		// is still to come, and says so.
	}
	w.pending[m.ID] = m
	return true
}

// release returns the held message once its file's download ended.
func (w *fileWaiter) release(ev session.FileUpdated) (session.Message, bool) {
	m, ok := w.pending[ev.MessageID]
	if !ok || ev.File.State == session.FileRemote {
		return session.Message{}, false
	}
	delete(w.pending, ev.MessageID)
	f := ev.File
	m.File = &f
	return m, true
}

// listenedFile is the JSON form of a message's file. The link is never
// printed: for aesgcm:// it holds the key.
type listenedFile struct {
	Name      string `json:"name"`
	Size      int64  `json:"size,omitempty"`
	Type      string `json:"type,omitempty"`
	Encrypted bool   `json:"encrypted"`
	Host      string `json:"host,omitempty"`
	Path      string `json:"path,omitempty"`
	Error     string `json:"error,omitempty"`
}

func fileJSON(f *session.FileInfo) *listenedFile {
	if f == nil {
		return nil
	}
	out := &listenedFile{Name: f.Name, Type: f.MediaType, Encrypted: f.Encrypted, Host: f.Host, Error: f.Err}
	if f.Size >= 0 {
		out.Size = f.Size
	}
	if f.State == session.FileLocal {
		out.Path = f.LocalPath
	}
	return out
}

// textBody is a message's text for the plain output: a file is named,
// never its link.
func textBody(m session.Message) string {
	if m.File == nil {
		return session.RedactLinks(m.Body)
	}
	f := m.File
	switch {
	case f.State == session.FileLocal:
		return fmt.Sprintf("[file] %s (%s) saved as %s", f.Name, session.HumanSize(f.Size), f.LocalPath)
	case f.Err != "":
		return fmt.Sprintf("[file] %s from %s: %s", f.Name, f.Host, f.Err)
	}
	return fmt.Sprintf("[file] %s on %s", f.Name, f.Host)
}
