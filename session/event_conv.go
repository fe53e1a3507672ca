package session

// UnreadChanged is a conversation's new unread count as stored: after a
// message arrived, after MarkRead, and after a read on another device of
// ours (detected when that device sends to the peer: a carbon of our own
// message clears the count, as Conversations and Dino do). Read markers
// (XEP-0333) of other devices are not followed.
type UnreadChanged struct {
	Peer   string
	Unread int
}

// SubscriptionResolved ends a SubscriptionRequested: the requester
// withdrew the request, or another client of ours approved it (a roster
// push shows the new subscription). A denial by another client is not
// visible to us, and requests answered while we were offline are not
// announced: PendingSubscriptions lists what is still open as we know it.
type SubscriptionResolved struct {
	JID string
	// Approved is set when another client of ours approved the request.
	Approved bool
}

func (UnreadChanged) isEvent()        {}
func (SubscriptionResolved) isEvent() {}
