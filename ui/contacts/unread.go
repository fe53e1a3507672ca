package contacts

// SetUnread sets peer's count as the backend stored it (UnreadChanged),
// listing the chat when it has unread messages.
func (m *Model) SetUnread(peer string, n int) {
	if n <= 0 {
		delete(m.unread, peer)
		return
	}
	m.AddChat(peer)
	m.unread[peer] = n
}
