package session

import (
	"sync"
)

// wireCapture keeps the raw bytes of received messages, as the XML console
// cut them from the stream, until the handler claims them: the inspector
// shows a message exactly as it arrived. Every top-level <message> the
// stream carries reaches the handler, in order (IQ results never do), so the
// handler takes the oldest piece for each message it decodes, after decoding
// it, when all its bytes have passed the console. A piece that does not
// match the decoded message (by id and sender) means the two got out of
// step: the queue is dropped and the message recorded without its bytes.
type wireCapture struct {
	mu     sync.Mutex
	pieces []piece
}

// maxCaptured bounds the pieces waiting for the handler.
const maxCaptured = 64

// observe is called by the incoming console tee for every piece.
func (w *wireCapture) observe(p piece) {
	if p.Name != "message" {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.pieces) >= maxCaptured {
		w.pieces = nil // out of step; start over
	}
	w.pieces = append(w.pieces, p)
}

// claim takes the oldest piece if it is the message with this id and from
// attribute ("" from: the server or our own account).
func (w *wireCapture) claim(id, from string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.pieces) == 0 {
		return ""
	}
	p := w.pieces[0]
	w.pieces = w.pieces[1:]
	if p.Truncated > 0 || pieceAttr(p.Raw, "id") != id || (from != "" && pieceAttr(p.Raw, "from") != from) {
		w.pieces = nil
		return ""
	}
	return string(p.Raw)
}
