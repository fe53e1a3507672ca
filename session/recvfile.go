package session

import (
	"context"
	"strings"

	"github.com/candor-xmpp/candor/internal/store"
)

// The receive pipeline's file stage: after decryption (the link of an
// OMEMO message is in the decrypted body), the body is checked for a
// shared file, stored with its message in one transaction, and small
// images from people we know are fetched at once.

// insertReceived stores a received message, with its file if it has one.
func (l *link) insertReceived(ctx context.Context, sm *store.Message, unread bool, file *store.File) error {
	if file == nil {
		return l.st.InsertMessage(ctx, sm, unread)
	}
	return l.st.InsertMessageFile(ctx, sm, unread, file)
}

// autoDownload starts the download of an image that just arrived, when
// automatic downloads are on, the sender is a contact (or someone we wrote
// to: fetching tells their server our IP address), and the message is
// news rather than old history. Larger files are left for /download.
func (l *link) autoDownload(msg Message, m msgIn) {
	max := l.c.files.opts.AutoDownloadMax
	if max <= 0 || msg.File == nil || msg.Direction != Incoming || !strings.HasPrefix(msg.File.MediaType, "image/") {
		return
	}
	if m.source == Archive && l.oldHistory {
		return
	}
	if !l.knows(msg.Peer) {
		return
	}
	if _, err := l.c.startDownload(context.Background(), msg.ID, max); err != nil {
		l.c.notice(Warning, "automatic download of "+msg.File.Name+": "+err.Error())
	}
}
