package session

import "context"

// Control is the part of Backend that ends or tidies what Login and the
// conversations started.
type Control interface {
	// Logout disconnects the account, stops reconnecting and closes its
	// store, leaving the client ready for a Login of the same or another
	// account; queued messages stay queued for that account. It fails while
	// a Login is under way. Events keep flowing.
	Logout(ctx context.Context) error
	// CloseConversation hides peer's conversation from Conversations until
	// a newer message arrives; the history is kept.
	CloseConversation(ctx context.Context, peer string) error
	// PendingSubscriptions lists the requests to see our presence that
	// await an answer, by JID.
	PendingSubscriptions() []SubscriptionRequested
}
