package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// DedupeKey is what identifies a message across the copies that reach us:
// live, as a carbon, from the archive, and our own messages echoed back.
type DedupeKey struct {
	Peer      string
	Direction int
	OriginID  string // chosen by the sender
	StanzaID  string // assigned by our server (only ids it vouches for)
	Body      string
	Time      time.Time
}

// fallbackWindow is how far apart two id-less copies of one message may be
// stamped (the live arrival time against the archive's time).
const fallbackWindow = 2 * time.Second

// FindDuplicate returns the stored message that k is another copy of, if any:
//
//   - the same stanza-id (ids our server assigned are unique);
//   - else the same origin-id from the same side of the same conversation,
//     whatever the stanza-ids: a sender that sends a message again (after a
//     lost connection) keeps its origin-id, and our server gives the second
//     copy a new stanza-id;
//   - else, for a copy without an origin-id, a stored message without an
//     origin-id with the same peer, direction and body stamped within two
//     seconds, where exactly one of the two has a stanza-id: the one message
//     seen once without and once with the server's id. Two copies that both
//     lack (or both have) stanza-ids are never merged this way, so a user who
//     sends "ok" twice sees it twice.
func (s *Store) FindDuplicate(ctx context.Context, k DedupeKey) (Message, bool, error) {
	if k.StanzaID != "" {
		m, err := scanMessage(s.db.QueryRowContext(ctx, `SELECT `+messageColumns+` FROM messages WHERE stanza_id = ?`, k.StanzaID))
		if err == nil {
			return m, true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return Message{}, false, err
		}
	}
	if k.OriginID != "" {
		m, err := scanMessage(s.db.QueryRowContext(ctx, `SELECT `+messageColumns+` FROM messages
			WHERE peer = ? AND origin_id = ? AND direction = ?
			ORDER BY id LIMIT 1`, k.Peer, k.OriginID, k.Direction))
		if err == nil {
			return m, true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return Message{}, false, err
		}
		// A sender that sets origin-ids sets them on every copy: no fallback.
		return Message{}, false, nil
	}
	if k.Time.IsZero() {
		return Message{}, false, nil
	}
	withID := k.StanzaID != ""
	m, err := scanMessage(s.db.QueryRowContext(ctx, `SELECT `+messageColumns+` FROM messages
		WHERE peer = ? AND ts BETWEEN ? AND ? AND direction = ? AND body = ?
		AND origin_id IS NULL AND (stanza_id IS NULL) = ?
		ORDER BY id LIMIT 1`,
		k.Peer, k.Time.Add(-fallbackWindow).UnixMilli(), k.Time.Add(fallbackWindow).UnixMilli(),
		k.Direction, k.Body, withID))
	if errors.Is(err, sql.ErrNoRows) {
		return Message{}, false, nil
	}
	if err != nil {
		return Message{}, false, err
	}
	return m, true, nil
}
