package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// WireRecord is what the session recorded of one message on the wire
// (migrations/0110_omemo_session.sql).
type WireRecord struct {
	MessageID  int64
	Stanza     string
	Version    int
	Recipients string
	Trust      string
	Note       string
}

// PutWire records (or replaces) a message's wire form.
func (s *Store) PutWire(ctx context.Context, w WireRecord) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO message_wire(message_id, stanza, version, recipients, trust, note)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(message_id) DO UPDATE SET stanza = excluded.stanza, version = excluded.version,
			recipients = excluded.recipients, trust = excluded.trust, note = excluded.note`,
		w.MessageID, w.Stanza, w.Version, w.Recipients, w.Trust, w.Note)
	if err != nil {
		return fmt.Errorf("store the wire form of message %d: %w", w.MessageID, err)
	}
	return nil
}

// SetWireStanza records the stanza of a message whose other wire fields
// may already be stored.
func (s *Store) SetWireStanza(ctx context.Context, id int64, stanza string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO message_wire(message_id, stanza) VALUES (?, ?)
		ON CONFLICT(message_id) DO UPDATE SET stanza = excluded.stanza`, id, stanza)
	if err != nil {
		return fmt.Errorf("store the stanza of message %d: %w", id, err)
	}
	return nil
}

// Wire returns a message's wire form; false when none was recorded.
func (s *Store) Wire(ctx context.Context, id int64) (WireRecord, bool, error) {
	w := WireRecord{MessageID: id}
	err := s.db.QueryRowContext(ctx, `SELECT stanza, version, recipients, trust, note FROM message_wire WHERE message_id = ?`, id).
		Scan(&w.Stanza, &w.Version, &w.Recipients, &w.Trust, &w.Note)
	if errors.Is(err, sql.ErrNoRows) {
		return w, false, nil
	}
	return w, err == nil, err
}

// SetEncryption records how a message was protected on the wire.
func (s *Store) SetEncryption(ctx context.Context, id int64, scheme string, device uint32, trusted bool) error {
	_, err := s.db.ExecContext(ctx, `UPDATE messages SET enc_scheme = ?, enc_device = ?, enc_trusted = ? WHERE id = ?`,
		scheme, device, trusted, id)
	return err
}

// Requeue puts a failed outgoing message back into the outbox with a new
// encryption scheme and state, and forgets its old wire form.
func (s *Store) Requeue(ctx context.Context, id int64, scheme string, state int) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE messages SET state = ?, err = '', enc_scheme = ? WHERE id = ? AND direction = 1`,
			state, scheme, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return fmt.Errorf("store: no outgoing message %d", id)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM message_wire WHERE message_id = ?`, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO outbox(message_id) VALUES (?)`, id)
		return err
	})
}

// ChatEncryption is the encryption mode chosen for a chat ("" for the
// default).
func (s *Store) ChatEncryption(ctx context.Context, peer string) (string, error) {
	var mode string
	err := s.db.QueryRowContext(ctx, `SELECT mode FROM chat_encryption WHERE peer = ?`, peer).Scan(&mode)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return mode, err
}

// SetChatEncryption records a chat's encryption mode ("" for the default).
func (s *Store) SetChatEncryption(ctx context.Context, peer, mode string) error {
	if mode == "" {
		_, err := s.db.ExecContext(ctx, `DELETE FROM chat_encryption WHERE peer = ?`, peer)
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO chat_encryption(peer, mode) VALUES (?, ?)
		ON CONFLICT(peer) DO UPDATE SET mode = excluded.mode`, peer, mode)
	return err
}
