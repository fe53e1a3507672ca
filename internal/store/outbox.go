package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// OutboxEntry is a queued outgoing message with its outbox bookkeeping.
type OutboxEntry struct {
	Message
	// Written is set once the stanza went out on some stream; the server may
	// or may not have it.
	Written  bool
	Attempts int
}

// Enqueue stores an outgoing message and queues it, in one transaction.
func (s *Store) Enqueue(ctx context.Context, m *Message) error {
	if m.Direction != DirOutgoing {
		return fmt.Errorf("store: enqueue of an incoming message from %s", m.Peer)
	}
	return s.Tx(ctx, func(tx *sql.Tx) error {
		if err := insertMessage(ctx, tx, m, false); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO outbox(message_id) VALUES (?)`, m.ID)
		return err
	})
}

// Outbox lists the queued messages, oldest first.
func (s *Store) Outbox(ctx context.Context) ([]OutboxEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+columns("m.")+`, o.written, o.attempts
		FROM outbox o JOIN messages m ON m.id = o.message_id ORDER BY o.message_id`)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxEntry
	for rows.Next() {
		var e OutboxEntry
		var ts int64
		err := rows.Scan(&e.ID, &e.Peer, &e.Resource, &e.Direction, &e.Body, &ts, &e.State, &e.Err,
			&e.OriginID, &e.StanzaID, &e.MsgID, &e.Source, &e.EncScheme, &e.EncDevice, &e.EncTrusted,
			&e.Written, &e.Attempts)
		if err != nil {
			return nil, err
		}
		e.Time = timeMilli(ts)
		out = append(out, e)
	}
	return out, rows.Err()
}

// OutboxNext is the oldest queued message.
func (s *Store) OutboxNext(ctx context.Context) (OutboxEntry, bool, error) {
	// Small queues: reading the list keeps one query shape for both uses.
	all, err := s.Outbox(ctx)
	if err != nil || len(all) == 0 {
		return OutboxEntry{}, false, err
	}
	return all[0], true, nil
}

// MarkWritten records that the message's stanza is about to go out (set
// before writing, so that a crash in between is treated as "maybe sent").
func (s *Store) MarkWritten(ctx context.Context, id int64) error {
	_, err := s.db.ExecContext(ctx, `UPDATE outbox SET written = 1, attempts = attempts + 1 WHERE message_id = ?`, id)
	return err
}

// OutboxDone takes the message out of the outbox and sets its state, in one
// transaction. It reports whether the message was still queued.
func (s *Store) OutboxDone(ctx context.Context, id int64, state int, errText string) (bool, error) {
	var queued bool
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE message_id = ?`, id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		queued = n > 0
		if !queued {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE messages SET state = ?, err = ? WHERE id = ?`, state, errText, id)
		return err
	})
	return queued, err
}

// InOutbox reports whether message id is still queued.
func (s *Store) InOutbox(ctx context.Context, id int64) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM outbox WHERE message_id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}
