package store

import (
	"context"
	"database/sql"
	"errors"
)

// Keys of sync_state.
const (
	syncRosterVersion = "roster.ver"
	syncArchiveID     = "mam.last_id"
)

func (s *Store) syncState(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM sync_state WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func setSyncState(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO sync_state(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// ArchivePosition is the id of the newest archived message we have caught up
// to ("" before the first catch-up).
func (s *Store) ArchivePosition(ctx context.Context) (string, error) {
	return s.syncState(ctx, syncArchiveID)
}

// SetArchivePosition records the newest archived message caught up to.
func (s *Store) SetArchivePosition(ctx context.Context, id string) error {
	return s.Tx(ctx, func(tx *sql.Tx) error { return setSyncState(ctx, tx, syncArchiveID, id) })
}
