package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/candor-xmpp/candor/scanhook"
)

// Store implements scanhook's consent store: the decision in effect per
// account and mode, and an append-only audit log of every decision.
var _ scanhook.ConsentStore = (*Store)(nil)

// Consent implements scanhook.ConsentStore.
func (s *Store) Consent(ctx context.Context, account string, mode scanhook.ModeName) (scanhook.ConsentRecord, error) {
	rec := scanhook.ConsentRecord{Account: account, Mode: mode, State: scanhook.ConsentUndecided}
	var state, covers, at, via string
	err := s.db.QueryRowContext(ctx,
		`SELECT state, covers, decided_at, via FROM scan_consent WHERE account = ? AND mode = ?`,
		account, string(mode)).Scan(&state, &covers, &at, &via)
	if errors.Is(err, sql.ErrNoRows) {
		return rec, nil
	}
	if err != nil {
		return rec, fmt.Errorf("store %s: consent of %s under %s: %w", s.path, account, mode, err)
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return rec, fmt.Errorf("store %s: consent of %s under %s: bad time %q", s.path, account, mode, at)
	}
	rec.State, rec.Covers, rec.DecidedAt, rec.Via = scanhook.ConsentState(state), splitCovers(covers), t, scanhook.ConsentVia(via)
	return rec, nil
}

// RecordConsent implements scanhook.ConsentStore: the state and the audit
// row are written in one transaction.
func (s *Store) RecordConsent(ctx context.Context, ev scanhook.ConsentEvent) error {
	if err := scanhook.ValidateConsentEvent(ev); err != nil {
		return fmt.Errorf("store %s: %w", s.path, err)
	}
	at := ev.At.Format(time.RFC3339Nano)
	covers := strings.Join(ev.Covers, ",")
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO scan_consent (account, mode, state, covers, decided_at, via)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (account, mode) DO UPDATE SET state = excluded.state, covers = excluded.covers,
				decided_at = excluded.decided_at, via = excluded.via`,
			ev.Account, string(ev.Mode), string(ev.Decision), covers, at, string(ev.Via)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO scan_consent_log
			(at, account, mode, decision, covers, via, request_id, message_id, question)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			at, ev.Account, string(ev.Mode), string(ev.Decision), covers, string(ev.Via),
			ev.RequestID, ev.MessageID, ev.Question)
		return err
	})
	if err != nil {
		return fmt.Errorf("store %s: recording consent of %s under %s: %w", s.path, ev.Account, ev.Mode, err)
	}
	return nil
}

// ConsentLog implements scanhook.ConsentStore (newest first).
func (s *Store) ConsentLog(ctx context.Context, account string, limit int) ([]scanhook.ConsentEvent, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := s.db.QueryContext(ctx, `SELECT at, mode, decision, covers, via, request_id, message_id, question
		FROM scan_consent_log WHERE account = ? ORDER BY id DESC LIMIT ?`, account, limit)
	if err != nil {
		return nil, fmt.Errorf("store %s: consent log of %s: %w", s.path, account, err)
	}
	defer rows.Close()
	var out []scanhook.ConsentEvent
	for rows.Next() {
		var at, mode, decision, covers, via string
		ev := scanhook.ConsentEvent{Account: account}
		if err := rows.Scan(&at, &mode, &decision, &covers, &via, &ev.RequestID, &ev.MessageID, &ev.Question); err != nil {
			return nil, fmt.Errorf("store %s: consent log of %s: %w", s.path, account, err)
		}
		t, err := time.Parse(time.RFC3339Nano, at)
		if err != nil {
			return nil, fmt.Errorf("store %s: consent log of %s: bad time %q", s.path, account, at)
		}
		ev.At, ev.Mode, ev.Decision = t, scanhook.ModeName(mode), scanhook.ConsentState(decision)
		ev.Covers, ev.Via = splitCovers(covers), scanhook.ConsentVia(via)
		out = append(out, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store %s: consent log of %s: %w", s.path, account, err)
	}
	return out, nil
}

func splitCovers(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
