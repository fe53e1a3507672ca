package session

import "context"

// unreadAfterStore announces a conversation's unread count after a
// message was stored: an incoming one that counted, or our own sent from
// another device (a carbon, or found in the archive), which means the chat
// was read there, so the count is cleared.
func (l *link) unreadAfterStore(peer string, dir Direction, source Source, counted bool) {
	ctx := context.Background()
	switch {
	case counted:
	case dir == Outgoing && source != Live:
		n, err := l.st.Unread(ctx, peer)
		if err != nil || n == 0 {
			return
		}
		if err := l.st.MarkRead(ctx, peer); err != nil {
			l.c.notice(Warning, "cannot clear the unread count of "+peer+": "+err.Error())
			return
		}
	default:
		return
	}
	n, err := l.st.Unread(ctx, peer)
	if err != nil {
		return
	}
	l.c.events.emit(UnreadChanged{Peer: peer, Unread: n})
}
