package conversation

import (
	"strconv"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
	"github.com/candor-xmpp/candor/ui/preview"
)

// File messages: one line naming the file (never its link), and for an
// image on this machine a preview above it, drawn by the shared preview
// cache. Previews are asked for only for messages on screen (Previews).

// Preview size limits, in cells.
const previewCols, previewRows = 48, 12

// fileLines draws a file message's body in width cells.
func (m *Model) fileLines(msg session.Message, width int) []string {
	t := m.com.Theme
	var out []string
	if key, ok := m.previewKey(msg, width); ok {
		img, state, err := m.com.Previews.Get(key)
		switch state {
		case preview.Done:
			out = append(out, img.Rows...)
		case preview.Failed:
			out = append(out, t.Faint.Render("[no preview: "+common.OneLine(err.Error())+"]"))
		default:
			out = append(out, t.Faint.Render("[drawing the preview…]"))
		}
	}
	return append(out, common.Wrap(m.fileLine(msg), width)...)
}

// fileLine is "▤ photo.png · 2.1 MiB · image/png · encrypted · saved · /open 12".
func (m *Model) fileLine(msg session.Message) string {
	t := m.com.Theme
	f := msg.File
	id := strconv.FormatInt(msg.ID, 10)
	s := "▤ " + t.Bold.Render(common.OneLine(f.Name))
	if f.Size >= 0 {
		s += " · " + session.HumanSize(f.Size)
	}
	if f.MediaType != "" {
		s += " · " + f.MediaType
	}
	if f.Encrypted {
		s += " · " + t.Good.Render("encrypted file")
	} else {
		s += " · " + t.Warn.Render("unencrypted file")
	}
	switch {
	case msg.Direction == session.Outgoing && f.State == session.FileLocal:
		if f.UploadName != "" && f.UploadName != f.Name {
			s += t.Faint.Render(" · the server has it as " + common.OneLine(f.UploadName))
		}
		s += t.Faint.Render(" · #" + id + " /open " + id)
	case m.downloading[msg.ID]:
		s += t.Faint.Render(" · downloading from " + f.Host + "…")
	case f.State == session.FileLocal:
		s += " · " + t.Good.Render("saved") + t.Faint.Render(" · #"+id+" /open "+id)
	case f.State == session.FileFailed:
		s += " · " + t.Bad.Render("✗ "+common.OneLine(f.Err)) + t.Faint.Render(" · /download "+id+" retries")
	default:
		s += t.Faint.Render(" · on " + f.Host + " · #" + id + " /download " + id)
	}
	return s
}

// previewKey names the preview of msg's file, when there is one to draw.
func (m *Model) previewKey(msg session.Message, width int) (preview.Key, bool) {
	f := msg.File
	c := m.com.Previews
	if f == nil || c == nil || c.Mode() == preview.Off || !f.IsImage() || f.State != session.FileLocal || f.LocalPath == "" {
		return preview.Key{}, false
	}
	rows := previewRows
	if c.Mode() == preview.Kitty {
		rows = min(rows, preview.MaxKittyRows)
	}
	return preview.Key{Path: f.LocalPath, Cols: min(width, previewCols), Rows: rows}, true
}

// bodyWidth is the width render gives a message's body.
func (m *Model) bodyWidth() int {
	gutterW := 5 + 1 + 1 + 1
	if m.width >= 40 {
		gutterW += m.nameWidth() + 1
	}
	return max(m.width-gutterW, 8)
}

// Previews lists the previews that messages on screen need and the cache
// lacks, walking the screen as View does: nothing off screen is drawn.
func (m *Model) Previews() []preview.Key {
	c := m.com.Previews
	if c == nil || c.Mode() == preview.Off {
		return nil
	}
	var keys []preview.Key
	b, skip := m.anchor()
	need := m.height
	for i := b; i >= 0 && need > 0; i-- {
		r := m.rows(i)
		if i == b {
			r = r[:len(r)-skip]
		}
		need -= len(r)
		if k, ok := m.previewKey(m.msgs[i].msg, m.bodyWidth()); ok {
			if _, st, _ := c.Get(k); st == preview.Missing {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// PreviewReady redraws the messages showing the file at path.
func (m *Model) PreviewReady(path string) {
	for _, e := range m.msgs {
		if e.msg.File != nil && e.msg.File.LocalPath == path {
			e.rows = nil
		}
	}
}

// SetFile records the new state of a message's file.
func (m *Model) SetFile(id int64, f session.FileInfo) {
	if e, ok := m.ids[id]; ok {
		e.msg.File = &f
		e.rows = nil
	}
}

// SetDownloading marks a message's file as being fetched, or not.
func (m *Model) SetDownloading(id int64, on bool) {
	if m.downloading == nil {
		m.downloading = map[int64]bool{}
	}
	if m.downloading[id] == on {
		return
	}
	if on {
		m.downloading[id] = true
	} else {
		delete(m.downloading, id)
	}
	if e, ok := m.ids[id]; ok {
		e.rows = nil
	}
}

// NewestFile is the newest message in memory whose file matches.
func (m *Model) NewestFile(match func(session.Message) bool) (session.Message, bool) {
	for i := len(m.msgs) - 1; i >= 0; i-- {
		if msg := m.msgs[i].msg; msg.File != nil && match(msg) {
			return msg, true
		}
	}
	return session.Message{}, false
}
