package conversation

import (
	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/scanview"
)

// The scan badge of sent messages (scanhook, a SIMULATION): verdicts come
// with history pages (HistoryLoaded.Scans) and as MessageScanned events.

// SetScan records the verdict on a message and redraws it.
func (m *Model) SetScan(v session.ScanVerdict) {
	if m.scans == nil {
		m.scans = map[int64]session.ScanVerdict{}
	}
	m.scans[v.MessageID] = v
	if e, ok := m.ids[v.MessageID]; ok {
		e.rows = nil
	}
}

// Scan returns the verdict on a message, when known.
func (m *Model) Scan(id int64) (session.ScanVerdict, bool) {
	v, ok := m.scans[id]
	return v, ok
}

func (m *Model) addScans(vs map[int64]session.ScanVerdict) {
	for _, v := range vs {
		m.SetScan(v)
	}
}

// scanBadge is the badge of an outgoing message, "" for others.
func (m *Model) scanBadge(msg session.Message) (string, string) {
	if msg.Direction != session.Outgoing {
		return "", ""
	}
	var v *session.ScanVerdict
	if s, ok := m.scans[msg.ID]; ok {
		v = &s
	}
	return scanview.Badge(m.com.Theme, v, msg.State)
}

// NewestOutgoing is our newest message in memory.
func (m *Model) NewestOutgoing() (session.Message, bool) {
	for i := len(m.msgs) - 1; i >= 0; i-- {
		if m.msgs[i].msg.Direction == session.Outgoing {
			return m.msgs[i].msg, true
		}
	}
	return session.Message{}, false
}

// OutgoingNear is our message in memory just before (older) or after id.
func (m *Model) OutgoingNear(id int64, older bool) (session.Message, bool) {
	if older {
		for i := len(m.msgs) - 1; i >= 0; i-- {
			if e := m.msgs[i]; e.msg.ID < id && e.msg.Direction == session.Outgoing {
				return e.msg, true
			}
		}
		return session.Message{}, false
	}
	for _, e := range m.msgs {
		if e.msg.ID > id && e.msg.Direction == session.Outgoing {
			return e.msg, true
		}
	}
	return session.Message{}, false
}
