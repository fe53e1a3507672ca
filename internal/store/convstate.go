package store

import (
	"context"
	"fmt"
)

// CloseConversation records that the user closed peer's conversation: it
// is left out of OpenConversations until a newer message arrives. Closing
// a conversation without messages is remembered the same way.
func (s *Store) CloseConversation(ctx context.Context, peer string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO closed_conversations(peer, last_id)
		VALUES (?, coalesce((SELECT last_id FROM conversations WHERE peer = ?), 0))
		ON CONFLICT(peer) DO UPDATE SET last_id = excluded.last_id`, peer, peer)
	if err != nil {
		return fmt.Errorf("store %s: closing the conversation with %s: %w", s.path, peer, err)
	}
	return nil
}

// ClosedConversations returns the conversations closed and not reopened
// by a newer message since, by peer.
func (s *Store) ClosedConversations(ctx context.Context) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT cc.peer FROM closed_conversations cc
		LEFT JOIN conversations c ON c.peer = cc.peer
		WHERE coalesce(c.last_id, 0) <= cc.last_id`)
	if err != nil {
		return nil, fmt.Errorf("store %s: closed conversations: %w", s.path, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("store %s: closed conversations: %w", s.path, err)
		}
		out[p] = true
	}
	return out, rows.Err()
}

// Unread returns peer's unread count (0 for an unknown conversation).
func (s *Store) Unread(ctx context.Context, peer string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT coalesce((SELECT unread FROM conversations WHERE peer = ?), 0)`, peer).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store %s: unread count of %s: %w", s.path, peer, err)
	}
	return n, nil
}
