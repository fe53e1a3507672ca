package session

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/candor-xmpp/candor/e2ee"
	"github.com/candor-xmpp/candor/internal/store"
	"github.com/candor-xmpp/candor/scanhook"
)

// Recognising files in incoming messages, and keeping their links (which
// for aesgcm:// hold the key) out of everything that is shown.

// wireOOB is a XEP-0066 out-of-band data element.
type wireOOB struct {
	URL string `xml:"url"`
}

// maxLinkLen bounds a link recognised as a file.
const maxLinkLen = 4096

// fileOf recognises a message body that shares a file: an aesgcm:// link
// as the whole body (XEP-0454; further lines may only be data: thumbnails,
// which are ignored), or an https URL that the message also names in a
// XEP-0066 element. Anything else is text: a URL typed in a chat is not a
// file to fetch.
func fileOf(body string, oob []string) *store.File {
	first, rest, _ := strings.Cut(strings.TrimSpace(body), "\n")
	first = strings.TrimSpace(first)
	if first == "" || len(first) > maxLinkLen {
		return nil
	}
	for _, line := range strings.Split(rest, "\n") {
		if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "data:") {
			return nil
		}
	}
	if https, _, err := e2ee.ParseAESGCMURL(first); err == nil {
		u, err := url.Parse(https)
		if err != nil {
			return nil
		}
		return &store.File{URL: first, Name: nameFromURL(u), Size: -1, MediaType: typeByName(nameFromURL(u)), Encrypted: true}
	}
	if rest != "" {
		return nil
	}
	for _, o := range oob {
		if strings.TrimSpace(o) != first {
			continue
		}
		u, err := url.Parse(first)
		if err != nil || !strings.EqualFold(u.Scheme, "https") || u.Host == "" || u.User != nil {
			return nil
		}
		return &store.File{URL: first, Name: nameFromURL(u), Size: -1, MediaType: typeByName(nameFromURL(u))}
	}
	return nil
}

// nameFromURL is the file name a link suggests: its last path segment,
// made safe.
func nameFromURL(u *url.URL) string {
	return safeFileName(path.Base(u.Path))
}

// safeFileName makes a name from the network usable as a file name in the
// download folder: no directories, no control characters, not hidden,
// not too long (keeping the extension).
func safeFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || r == '/' || r == '\\' || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimLeft(strings.TrimSpace(name), ".")
	const maxName = 120
	if len(name) > maxName {
		ext := path.Ext(name)
		if len(ext) > 16 || !utf8.ValidString(ext) {
			ext = ""
		}
		stem := name[:maxName-len(ext)]
		for !utf8.ValidString(stem) {
			stem = stem[:len(stem)-1]
		}
		name = stem + ext
	}
	if name == "" {
		return "file"
	}
	return name
}

// typeByName guesses a media type from a file name's extension: what the
// receiver knows before downloading. After a download the content decides.
func typeByName(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".mp4", ".m4v":
		return "video/mp4"
	case ".webm":
		return "video/webm"
	case ".mov":
		return "video/quicktime"
	case ".mp3":
		return "audio/mpeg"
	case ".ogg", ".oga", ".opus":
		return "audio/ogg"
	case ".m4a":
		return "audio/mp4"
	case ".pdf":
		return "application/pdf"
	case ".txt":
		return "text/plain"
	case ".zip":
		return "application/zip"
	}
	return ""
}

// RedactLinks hides the key of any aesgcm:// link in text (everything
// after the '#'), for places that show message text outside a chat:
// conversation lists, notifications, logs.
func RedactLinks(text string) string {
	var b strings.Builder
	for {
		i := indexFold(text, "aesgcm://")
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i])
		text = text[i:]
		end := strings.IndexFunc(text, unicode.IsSpace)
		if end < 0 {
			end = len(text)
		}
		link := text[:end]
		if h := strings.IndexByte(link, '#'); h >= 0 {
			link = link[:h+1] + "…"
		}
		b.WriteString(link)
		text = text[end:]
	}
}

func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// fileInfo is a stored file as the UI sees it: no link.
func fileInfo(f store.File) *FileInfo {
	host := ""
	raw := f.URL
	if f.Encrypted {
		if https, _, err := e2ee.ParseAESGCMURL(raw); err == nil {
			raw = https
		} else {
			raw = ""
		}
	}
	if u, err := url.Parse(raw); err == nil {
		host = u.Hostname()
	}
	return &FileInfo{
		Name: f.Name, Size: f.Size, MediaType: f.MediaType, Encrypted: f.Encrypted, Host: host,
		LocalPath: f.LocalPath, State: FileState(f.State), Err: f.Err, UploadName: f.UploadName,
	}
}

// withFile attaches a stored file to a message for the UI.
func withFile(m Message, f *store.File) Message {
	if f != nil {
		m.File = fileInfo(*f)
	}
	return m
}

// attachFiles gives the messages of a history page their files.
func attachFiles(ctx context.Context, st *store.Store, ms []Message) ([]Message, error) {
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	files, err := st.FilesOf(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("files of a history page: %v", err)
	}
	for i := range ms {
		if f, ok := files[ms[i].ID]; ok {
			ms[i].File = fileInfo(f)
		}
	}
	return ms, nil
}

// queuedFile is what the message of an upload is queued with: the file's
// row, and scanhook's verdict on its plaintext (nil when scanning is off).
type queuedFile struct {
	row     store.File
	verdict *scanhook.Result
}

func (q *queuedFile) fileRow() *store.File {
	if q == nil {
		return nil
	}
	return &q.row
}

// enqueue queues an outgoing message, with its file and verdict if it has
// them, in one transaction.
func enqueue(ctx context.Context, st *store.Store, m *store.Message, file *queuedFile) error {
	if file == nil {
		return st.Enqueue(ctx, m)
	}
	var v *store.ScanVerdict
	if file.verdict != nil {
		row, err := verdictRow(0, file.verdict)
		if err != nil {
			return err
		}
		v = &row
	}
	return st.EnqueueFile(ctx, m, &file.row, v)
}
