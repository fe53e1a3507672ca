package backendtest

import (
	"context"

	"github.com/candor-xmpp/candor/session"
)

// olderPage is how many messages LoadOlder brings at a time, as the real
// backend does.
const olderPage = 50

// SetArchive gives peer's server archive msgs, oldest first: the messages
// older than everything stored, which LoadOlder brings a page at a time.
func (b *Backend) SetArchive(peer string, msgs []session.Message) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.archive == nil {
		b.archive = map[string][]session.Message{}
	}
	b.archive[peer] = append([]session.Message(nil), msgs...)
}

// LoadOlder moves the newest page of peer's archive in front of its
// history, with IDs below every stored one, as the real store does.
func (b *Backend) LoadOlder(ctx context.Context, peer string) (session.LoadOlderResult, error) {
	if err := b.record("LoadOlder", peer); err != nil {
		return session.LoadOlderResult{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	arch := b.archive[peer]
	n := min(olderPage, len(arch))
	page := arch[len(arch)-n:]
	if n > 0 {
		b.archive[peer] = arch[:len(arch)-n]
	}
	lowest := int64(0)
	for _, msgs := range b.history {
		if len(msgs) > 0 {
			lowest = min(lowest, msgs[0].ID)
		}
	}
	older := make([]session.Message, n)
	for i, msg := range page {
		msg.ID = lowest - int64(n) + int64(i)
		msg.Peer = peer
		older[i] = msg
	}
	b.history[peer] = append(older, b.history[peer]...)
	return session.LoadOlderResult{Added: n, Complete: len(b.archive[peer]) == 0}, nil
}
