package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Older history: messages fetched from the server's archive that are older
// than anything stored for their conversation. They must sort before the
// conversation's stored messages, and conversations are ordered by local
// id, so they are stored with ids below every id in use: ReserveOlderIDs
// hands out a block of them, and InsertMessage keeps a Message.ID set by
// the caller.

// OldestMessage returns the first message of peer's conversation (the one
// with the lowest id), if any.
func (s *Store) OldestMessage(ctx context.Context, peer string) (Message, bool, error) {
	m, err := scanMessage(s.db.QueryRowContext(ctx, `SELECT `+messageColumns+` FROM messages
		WHERE peer = ? ORDER BY id LIMIT 1`, peer))
	if errors.Is(err, sql.ErrNoRows) {
		return Message{}, false, nil
	}
	if err != nil {
		return Message{}, false, fmt.Errorf("store %s: oldest message with %s: %w", s.path, peer, err)
	}
	return m, true, nil
}

// ReserveOlderIDs returns the lowest of n free ids below every id in use
// and below floor (the lowest id reserved before, 0 for none); the block
// is [first, first+n). Ids are never 0, so 0 can keep meaning "none".
// Only one goroutine may reserve (the caller keeps floor).
func (s *Store) ReserveOlderIDs(ctx context.Context, n int, floor int64) (int64, error) {
	var lowest sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT min(id) FROM messages`).Scan(&lowest); err != nil {
		return 0, fmt.Errorf("store %s: lowest message id: %w", s.path, err)
	}
	top := min(floor, 0)
	if lowest.Valid {
		top = min(top, lowest.Int64)
	}
	return top - int64(n), nil
}

// ArchiveStartReached reports whether peer's archive was read back to its
// beginning.
func (s *Store) ArchiveStartReached(ctx context.Context, peer string) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM archive_start WHERE peer = ?`, peer).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store %s: archive start of %s: %w", s.path, peer, err)
	}
	return true, nil
}

// SetArchiveStartReached records that peer's archive was read back to its
// beginning.
func (s *Store) SetArchiveStartReached(ctx context.Context, peer string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO archive_start(peer, at) VALUES (?, ?)
		ON CONFLICT(peer) DO NOTHING`, peer, at.UnixMilli())
	if err != nil {
		return fmt.Errorf("store %s: recording the archive start of %s: %w", s.path, peer, err)
	}
	return nil
}
