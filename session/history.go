package session

import (
	"context"
	"fmt"
)

// maxHistoryPage bounds one History call.
const maxHistoryPage = 1000

// History implements Backend.
func (c *Client) History(ctx context.Context, peer string, before int64, limit int) ([]Message, error) {
	j, err := parseBare(peer)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		return nil, nil
	}
	if limit > maxHistoryPage {
		limit = maxHistoryPage
	}
	st, err := c.store()
	if err != nil {
		return nil, err
	}
	ms, err := st.History(ctx, j.String(), before, limit)
	if err != nil {
		return nil, fmt.Errorf("history with %s: %v", j, err)
	}
	out := make([]Message, len(ms))
	for i, m := range ms {
		out[i] = fromStore(m)
	}
	return attachFiles(ctx, st, out)
}

// Conversations implements Backend.
func (c *Client) Conversations(ctx context.Context) ([]Conversation, error) {
	st, err := c.store()
	if err != nil {
		return nil, err
	}
	cs, err := st.Conversations(ctx)
	if err != nil {
		return nil, err
	}
	closed, err := st.ClosedConversations(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Conversation, 0, len(cs))
	for _, cv := range cs {
		if !closed[cv.Peer] {
			out = append(out, Conversation{Peer: cv.Peer, Last: cv.Last, Unread: cv.Unread, LastBody: RedactLinks(cv.LastBody)})
		}
	}
	return out, nil
}

// MarkRead implements Backend.
func (c *Client) MarkRead(ctx context.Context, peer string) error {
	j, err := parseBare(peer)
	if err != nil {
		return err
	}
	st, err := c.store()
	if err != nil {
		return err
	}
	if err := st.MarkRead(ctx, j.String()); err != nil {
		return err
	}
	c.events.emit(UnreadChanged{Peer: j.String()})
	return nil
}
