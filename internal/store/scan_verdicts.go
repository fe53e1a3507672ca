package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ScanVerdict is scanhook's verdict on one outgoing message (SIMULATION),
// stored with the message. The store keeps Result as opaque JSON: the
// session decodes it for the scan inspector.
type ScanVerdict struct {
	MessageID int64
	Mode      string
	// Action is "allow", "allow-and-report" or "block".
	Action   string
	Scanned  bool // some part was scanned before encryption
	Reported bool // a simulated report was written to the local sink
	Summary  string
	// Reason is the one-line block reason ("" unless blocked).
	Reason string
	// Result is the whole scanhook.Result as JSON; ScanVerdicts leaves it
	// empty.
	Result []byte
	At     time.Time
}

func checkVerdict(v ScanVerdict) error {
	if v.MessageID == 0 {
		return fmt.Errorf("scan verdict: no message id")
	}
	switch v.Action {
	case "allow", "allow-and-report", "block":
	default:
		return fmt.Errorf("scan verdict of message %d: unknown action %q", v.MessageID, v.Action)
	}
	if len(v.Result) == 0 {
		return fmt.Errorf("scan verdict of message %d: no result", v.MessageID)
	}
	return nil
}

func saveVerdict(ctx context.Context, tx *sql.Tx, v ScanVerdict) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO scan_verdicts
		(message_id, mode, action, scanned, reported, summary, reason, result, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (message_id) DO UPDATE SET mode = excluded.mode, action = excluded.action,
			scanned = excluded.scanned, reported = excluded.reported, summary = excluded.summary,
			reason = excluded.reason, result = excluded.result, at = excluded.at`,
		v.MessageID, v.Mode, v.Action, v.Scanned, v.Reported, v.Summary, v.Reason, string(v.Result), v.At.UnixMilli())
	return err
}

// SaveScanVerdict stores (or replaces) the verdict on a message.
func (s *Store) SaveScanVerdict(ctx context.Context, v ScanVerdict) error {
	if err := checkVerdict(v); err != nil {
		return fmt.Errorf("store %s: %w", s.path, err)
	}
	err := s.Tx(ctx, func(tx *sql.Tx) error { return saveVerdict(ctx, tx, v) })
	if err != nil {
		return fmt.Errorf("store %s: scan verdict of message %d: %w", s.path, v.MessageID, err)
	}
	return nil
}

// BlockQueued stores a blocking verdict and takes the message out of the
// outbox as failed with reason, in one transaction: a blocked message is
// never sent, even after a crash. A message no longer queued is left as it
// is; the result reports whether it was still queued.
func (s *Store) BlockQueued(ctx context.Context, v ScanVerdict, state int, reason string) (bool, error) {
	if err := checkVerdict(v); err != nil {
		return false, fmt.Errorf("store %s: %w", s.path, err)
	}
	var queued bool
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE message_id = ?`, v.MessageID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if queued = n > 0; !queued {
			return nil // it left the outbox already: nothing changes
		}
		if err := saveVerdict(ctx, tx, v); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE messages SET state = ?, err = ? WHERE id = ?`, state, reason, v.MessageID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store %s: blocking message %d: %w", s.path, v.MessageID, err)
	}
	return queued, nil
}

const verdictColumns = `message_id, mode, action, scanned, reported, summary, reason, at`

func scanVerdictRow(r scanner, withResult bool) (ScanVerdict, error) {
	var v ScanVerdict
	var at int64
	dest := []any{&v.MessageID, &v.Mode, &v.Action, &v.Scanned, &v.Reported, &v.Summary, &v.Reason, &at}
	var result string
	if withResult {
		dest = append(dest, &result)
	}
	if err := r.Scan(dest...); err != nil {
		return v, err
	}
	v.At = time.UnixMilli(at)
	if withResult {
		v.Result = []byte(result)
	}
	return v, nil
}

// ScanVerdict returns the verdict on a message, with its Result; found is
// false when the message was not scanned (scanning was off, or it is not
// ours).
func (s *Store) ScanVerdict(ctx context.Context, messageID int64) (v ScanVerdict, found bool, err error) {
	v, err = scanVerdictRow(s.db.QueryRowContext(ctx,
		`SELECT `+verdictColumns+`, result FROM scan_verdicts WHERE message_id = ?`, messageID), true)
	if errors.Is(err, sql.ErrNoRows) {
		return ScanVerdict{}, false, nil
	}
	if err != nil {
		return ScanVerdict{}, false, fmt.Errorf("store %s: scan verdict of message %d: %w", s.path, messageID, err)
	}
	return v, true, nil
}

// ScanVerdicts returns the verdicts on the messages with the given ids that
// have one, by id, without their Result (for badges).
func (s *Store) ScanVerdicts(ctx context.Context, ids []int64) (map[int64]ScanVerdict, error) {
	out := map[int64]ScanVerdict{}
	for len(ids) > 0 {
		n := min(len(ids), 500) // SQLite's bound on parameters is far above this
		batch := ids[:n]
		ids = ids[n:]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		q := `SELECT ` + verdictColumns + ` FROM scan_verdicts WHERE message_id IN (?` +
			strings.Repeat(", ?", len(batch)-1) + `)`
		rows, err := s.db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("store %s: scan verdicts: %w", s.path, err)
		}
		for rows.Next() {
			v, err := scanVerdictRow(rows, false)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("store %s: scan verdicts: %w", s.path, err)
			}
			out[v.MessageID] = v
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("store %s: scan verdicts: %w", s.path, err)
		}
	}
	return out, nil
}
