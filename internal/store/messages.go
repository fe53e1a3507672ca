package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Message directions as stored (the values of session.Direction).
const (
	DirIncoming = 0
	DirOutgoing = 1
)

// Message is one stored chat message. The integer fields hold the values of
// the session package's enums; the store does not interpret them except
// Direction.
type Message struct {
	ID         int64
	Peer       string // bare JID
	Resource   string
	Direction  int
	Body       string
	Time       time.Time
	State      int
	Err        string
	OriginID   string
	StanzaID   string
	MsgID      string
	Source     int
	EncScheme  string
	EncDevice  uint32
	EncTrusted bool
}

// messageColumns is the select list scanMessage reads.
var messageColumns = columns("")

// columns lists the message columns, qualified by prefix ("m."), with the
// nullable ids read as "".
func columns(prefix string) string {
	cols := []string{"id", "peer", "resource", "direction", "body", "ts", "state", "err",
		"origin_id", "stanza_id", "msg_id", "source", "enc_scheme", "enc_device", "enc_trusted"}
	for i, c := range cols {
		cols[i] = prefix + c
		if strings.HasSuffix(c, "_id") {
			cols[i] = "coalesce(" + cols[i] + ", '')"
		}
	}
	return strings.Join(cols, ", ")
}

type scanner interface{ Scan(...any) error }

func scanMessage(r scanner) (Message, error) {
	var m Message
	var ts int64
	err := r.Scan(&m.ID, &m.Peer, &m.Resource, &m.Direction, &m.Body, &ts, &m.State, &m.Err,
		&m.OriginID, &m.StanzaID, &m.MsgID, &m.Source, &m.EncScheme, &m.EncDevice, &m.EncTrusted)
	m.Time = timeMilli(ts)
	return m, err
}

func timeMilli(ms int64) time.Time { return time.UnixMilli(ms) }

// nullable stores "" as NULL, so that the partial unique indexes ignore it.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// ErrDuplicate is returned by InsertMessage when a message with the same
// stanza-id is already stored.
var ErrDuplicate = errors.New("store: message already stored")

// InsertMessage stores m, sets m.ID and moves its conversation's newest
// message; unread adds one to the conversation's unread count. A message
// with its ID already set keeps it: older history, stored below every
// other message (older.go).
func (s *Store) InsertMessage(ctx context.Context, m *Message, unread bool) error {
	return s.Tx(ctx, func(tx *sql.Tx) error { return insertMessage(ctx, tx, m, unread) })
}

func insertMessage(ctx context.Context, tx *sql.Tx, m *Message, unread bool) error {
	if m.Peer == "" {
		return errors.New("store: message without a peer")
	}
	var id any // NULL: the next id
	if m.ID != 0 {
		id = m.ID
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO messages(id, peer, resource, direction, body, ts, state, err,
		origin_id, stanza_id, msg_id, source, enc_scheme, enc_device, enc_trusted)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, m.Peer, m.Resource, m.Direction, m.Body, m.Time.UnixMilli(), m.State, m.Err,
		nullable(m.OriginID), nullable(m.StanzaID), nullable(m.MsgID), m.Source,
		m.EncScheme, m.EncDevice, m.EncTrusted)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE constraint failed: messages.stanza_id") {
			return ErrDuplicate
		}
		return fmt.Errorf("store message with %s: %w", m.Peer, err)
	}
	if m.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	add := 0
	if unread {
		add = 1
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO conversations(peer, last_id, unread) VALUES (?, ?, ?)
		ON CONFLICT(peer) DO UPDATE SET last_id = max(last_id, excluded.last_id), unread = unread + excluded.unread`,
		m.Peer, m.ID, add)
	return err
}

// Message returns the message with local id.
func (s *Store) Message(ctx context.Context, id int64) (Message, error) {
	return scanMessage(s.db.QueryRowContext(ctx, `SELECT `+messageColumns+` FROM messages WHERE id = ?`, id))
}

// History returns up to limit messages with peer whose id is below before
// (0: the newest), oldest first. Ids of older history are negative.
func (s *Store) History(ctx context.Context, peer string, before int64, limit int) ([]Message, error) {
	if limit <= 0 {
		return nil, nil
	}
	if before == 0 {
		before = 1<<63 - 1
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+messageColumns+` FROM messages
		WHERE peer = ? AND id < ? ORDER BY id DESC LIMIT ?`, peer, before, limit)
	if err != nil {
		return nil, fmt.Errorf("history with %s: %w", peer, err)
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// SetState changes a message's delivery state (and its error text).
func (s *Store) SetState(ctx context.Context, id int64, state int, errText string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE messages SET state = ?, err = ? WHERE id = ?`, state, errText, id)
	return err
}

// SetStanzaID records the server's id of a message stored without one (our
// own message, seen again in the archive). It does nothing when the message
// already has one or another message holds it.
func (s *Store) SetStanzaID(ctx context.Context, id int64, stanzaID string) error {
	if stanzaID == "" {
		return nil
	}
	_, err := s.db.ExecContext(ctx, `UPDATE OR IGNORE messages SET stanza_id = ? WHERE id = ? AND stanza_id IS NULL`, stanzaID, id)
	return err
}

// OutgoingByMsgID finds our message to peer whose stanza id attribute (or
// origin-id) is msgID: what a delivery receipt refers to.
func (s *Store) OutgoingByMsgID(ctx context.Context, peer, msgID string) (Message, bool, error) {
	m, err := scanMessage(s.db.QueryRowContext(ctx, `SELECT `+messageColumns+` FROM messages
		WHERE peer = ? AND msg_id = ? AND direction = 1 ORDER BY id DESC LIMIT 1`, peer, msgID))
	if errors.Is(err, sql.ErrNoRows) {
		return Message{}, false, nil
	}
	return m, err == nil, err
}

// HasOutgoing reports whether we ever wrote to peer.
func (s *Store) HasOutgoing(ctx context.Context, peer string) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM messages WHERE peer = ? AND direction = 1 LIMIT 1`, peer).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// Conversation is one peer's newest message and unread count.
type Conversation struct {
	Peer     string
	Last     time.Time
	LastBody string
	Unread   int
}

// Conversations lists the conversations, the one with the most recent
// message first.
func (s *Store) Conversations(ctx context.Context) ([]Conversation, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.peer, m.ts, m.body, c.unread
		FROM conversations c JOIN messages m ON m.id = c.last_id
		ORDER BY m.ts DESC, c.last_id DESC`)
	if err != nil {
		return nil, fmt.Errorf("conversations: %w", err)
	}
	defer rows.Close()
	var out []Conversation
	for rows.Next() {
		var c Conversation
		var ts int64
		if err := rows.Scan(&c.Peer, &ts, &c.LastBody, &c.Unread); err != nil {
			return nil, err
		}
		c.Last = time.UnixMilli(ts)
		out = append(out, c)
	}
	return out, rows.Err()
}

// MarkRead clears peer's unread count.
func (s *Store) MarkRead(ctx context.Context, peer string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE conversations SET unread = 0 WHERE peer = ?`, peer)
	return err
}
