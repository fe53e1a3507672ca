package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// File is the file a message carries (table files). State holds the value
// of session.FileState; the store does not interpret it.
type File struct {
	MessageID  int64
	URL        string // the link as sent or received (aesgcm:// holds the key)
	Name       string
	Size       int64 // plaintext bytes, -1 when not known
	MediaType  string
	Encrypted  bool
	LocalPath  string
	State      int
	Err        string
	UploadName string
}

const fileColumns = `message_id, url, name, size, media_type, encrypted, local_path, state, err, upload_name`

func scanFile(r scanner) (File, error) {
	var f File
	err := r.Scan(&f.MessageID, &f.URL, &f.Name, &f.Size, &f.MediaType, &f.Encrypted, &f.LocalPath, &f.State, &f.Err, &f.UploadName)
	return f, err
}

func insertFile(ctx context.Context, tx *sql.Tx, f *File) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO files(`+fileColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.MessageID, f.URL, f.Name, f.Size, f.MediaType, f.Encrypted, f.LocalPath, f.State, f.Err, f.UploadName)
	if err != nil {
		return fmt.Errorf("store file of message %d: %w", f.MessageID, err)
	}
	return nil
}

// EnqueueFile queues an outgoing message that carries f, in one
// transaction: the message never goes out without its file's record, nor
// without v, the scan verdict on the file's plaintext (nil when scanning
// was off), which spares the link a scan of its own in the outbox.
func (s *Store) EnqueueFile(ctx context.Context, m *Message, f *File, v *ScanVerdict) error {
	if m.Direction != DirOutgoing {
		return fmt.Errorf("store: enqueue of an incoming message from %s", m.Peer)
	}
	return s.Tx(ctx, func(tx *sql.Tx) error {
		if err := insertMessage(ctx, tx, m, false); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox(message_id) VALUES (?)`, m.ID); err != nil {
			return err
		}
		f.MessageID = m.ID
		if err := insertFile(ctx, tx, f); err != nil {
			return err
		}
		if v == nil {
			return nil
		}
		v.MessageID = m.ID
		if err := checkVerdict(*v); err != nil {
			return err
		}
		return saveVerdict(ctx, tx, *v)
	})
}

// InsertMessageFile stores a received message that carries f, in one
// transaction (see InsertMessage).
func (s *Store) InsertMessageFile(ctx context.Context, m *Message, unread bool, f *File) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		if err := insertMessage(ctx, tx, m, unread); err != nil {
			return err
		}
		f.MessageID = m.ID
		return insertFile(ctx, tx, f)
	})
}

// ErrNoFile: the message carries no file.
var ErrNoFile = errors.New("store: the message carries no file")

// File returns the file of a message.
func (s *Store) File(ctx context.Context, messageID int64) (File, error) {
	f, err := scanFile(s.db.QueryRowContext(ctx, `SELECT `+fileColumns+` FROM files WHERE message_id = ?`, messageID))
	if errors.Is(err, sql.ErrNoRows) {
		return File{}, fmt.Errorf("message %d: %w", messageID, ErrNoFile)
	}
	return f, err
}

// FilesOf returns the files of those of the messages that carry one.
func (s *Store) FilesOf(ctx context.Context, ids []int64) (map[int64]File, error) {
	out := map[int64]File{}
	// SQLite binds at most 32766 variables; History pages are far smaller,
	// but go in batches anyway.
	for len(ids) > 0 {
		n := min(len(ids), 500)
		batch := ids[:n]
		ids = ids[n:]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		rows, err := s.db.QueryContext(ctx, `SELECT `+fileColumns+` FROM files WHERE message_id IN (?`+
			strings.Repeat(", ?", len(batch)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("files: %w", err)
		}
		for rows.Next() {
			f, err := scanFile(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[f.MessageID] = f
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// UpdateFile records a file's download state, local copy, size, type and
// error.
func (s *Store) UpdateFile(ctx context.Context, f File) error {
	res, err := s.db.ExecContext(ctx, `UPDATE files SET size = ?, media_type = ?, local_path = ?, state = ?, err = ?
		WHERE message_id = ?`, f.Size, f.MediaType, f.LocalPath, f.State, f.Err, f.MessageID)
	if err != nil {
		return fmt.Errorf("update file of message %d: %w", f.MessageID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("message %d: %w", f.MessageID, ErrNoFile)
	}
	return nil
}

// HasEncryptedFrom reports whether peer ever sent us an end-to-end
// encrypted message: evidence that they use OMEMO.
func (s *Store) HasEncryptedFrom(ctx context.Context, peer string) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM messages WHERE peer = ? AND direction = ? AND enc_scheme != '' LIMIT 1`,
		peer, DirIncoming).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}
