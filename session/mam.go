package session

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/stanza"
)

// Archive catch-up (XEP-0313). At every login the session asks its own
// archive for everything after the newest archive id it knows, a page at a
// time, oldest first. The results arrive as messages through the handler and
// the receive pipeline like any other copy and are deduplicated there; page
// markers on the same channel move the stored position only after the
// page's messages are stored.
//
// The first login knows no position and fetches only the newest page.

// Markers for the receive worker.
type (
	catchUpBegin struct{}              // hold live messages
	catchUpPage  struct{ last string } // the page up to last is stored
	catchUpFirst struct{}              // what follows is old history
	catchUpEnd   struct {              // release held messages
		done chan struct{}
		ok   bool   // the archive was read to its end
		err  string // why not
	}
)

const (
	nsRSM       = "http://jabber.org/protocol/rsm" // XEP-0059 result set management
	archivePage = 100                              // messages asked per page
	firstSync   = 100                              // messages fetched at the very first login
	maxPages    = 1000                             // pages per catch-up, a bound against a looping server
)

// catchUpPending tells the worker a catch-up is coming (called before our
// presence goes out).
func (l *link) catchUpPending() { l.push(catchUpBegin{}) }

// catchUp runs the catch-up and always ends it, releasing held messages and
// waiting until the worker has stored everything it fetched.
func (l *link) catchUp() {
	ok, errText := l.fetchArchive()
	done := make(chan struct{})
	if l.push(catchUpEnd{done: done, ok: ok, err: errText}) {
		select {
		case <-done:
		case <-l.ctx.Done():
		}
	}
}

// fetchArchive pages through the archive from the stored position; ok means
// it reached the end.
func (l *link) fetchArchive() (ok bool, errText string) {
	defer func() {
		if r := recover(); r != nil {
			ok, errText = false, fmt.Sprintf("internal error: %v", r)
		}
	}()
	ctx := l.ctx
	pos, err := l.st.ArchivePosition(ctx)
	if err != nil {
		return false, "cannot read the archive position: " + err.Error()
	}
	if pos == "" {
		return l.firstSync(ctx)
	}
	for range maxPages {
		fin, err := l.queryArchive(ctx, l.c.archivePage, pos, false)
		if err != nil {
			if isCondition(err, stanza.ItemNotFound) {
				// The archive forgot our position (expired, or reset).
				l.c.notice(Warning, "the server's archive no longer has our last position; fetched only the newest messages")
				return l.firstSync(ctx)
			}
			return false, l.archiveFailed(err)
		}
		if fin.Set.Last != "" {
			pos = fin.Set.Last
			l.push(catchUpPage{last: pos})
		}
		if fin.Complete || fin.Set.Last == "" {
			return true, ""
		}
	}
	return false, "archive catch-up stopped after " + strconv.Itoa(maxPages) + " pages; older messages may be missing"
}

// firstSync fetches the newest page of the archive and starts the position
// there.
func (l *link) firstSync(ctx context.Context) (bool, string) {
	l.push(catchUpFirst{})
	fin, err := l.queryArchive(ctx, firstSync, "", true)
	if err != nil {
		return false, l.archiveFailed(err)
	}
	if fin.Set.Last != "" {
		l.push(catchUpPage{last: fin.Set.Last})
	}
	return true, ""
}

// archiveFailed explains a failed archive query.
func (l *link) archiveFailed(err error) string {
	if l.ctx.Err() != nil {
		return "disconnected"
	}
	if isCondition(err, stanza.FeatureNotImplemented) || isCondition(err, stanza.ServiceUnavailable) {
		l.noMAM = true
		return "the server keeps no message archive; messages sent while offline may be missing"
	}
	return "archive catch-up failed: " + oneLine(err.Error())
}

func isCondition(err error, cond stanza.Condition) bool {
	var se stanza.Error
	return errors.As(err, &se) && se.Condition == cond
}

// wireFin is the end of an archive query.
type wireFin struct {
	XMLName  xml.Name `xml:"urn:xmpp:mam:2 fin"`
	Complete bool     `xml:"complete,attr"`
	Set      struct {
		First string `xml:"first"`
		Last  string `xml:"last"`
		Count string `xml:"count"`
	} `xml:"http://jabber.org/protocol/rsm set"`
}

// queryArchive asks our archive for up to max messages after the archive
// id after, or (last) for the newest page. The messages arrive through the
// handler before the answer does.
func (l *link) queryArchive(ctx context.Context, max int, after string, last bool) (wireFin, error) {
	id := newID()
	l.trackQuery(id, true)
	defer l.trackQuery(id, false)
	var page []xml.TokenReader
	page = append(page, xmlstream.Wrap(xmlstream.Token(xml.CharData(strconv.Itoa(max))), xml.StartElement{Name: xml.Name{Local: "max"}}))
	switch {
	case last:
		page = append(page, xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Local: "before"}}))
	case after != "":
		page = append(page, xmlstream.Wrap(xmlstream.Token(xml.CharData(after)), xml.StartElement{Name: xml.Name{Local: "after"}}))
	}
	return l.askArchive(ctx, id, xmlstream.Wrap(xmlstream.MultiReader(page...), xml.StartElement{Name: xml.Name{Space: nsRSM, Local: "set"}}))
}

// askArchive sends a MAM query with id and its children (a form, an RSM
// set) and returns its <fin/>.
func (l *link) askArchive(ctx context.Context, id string, children ...xml.TokenReader) (wireFin, error) {
	query := xmlstream.Wrap(xmlstream.MultiReader(children...),
		xml.StartElement{Name: xml.Name{Space: nsMAM, Local: "query"}, Attr: []xml.Attr{{Name: xml.Name{Local: "queryid"}, Value: id}}},
	)
	ctx, cancel := l.requestContext(ctx)
	defer cancel()
	var fin wireFin
	err := l.s.UnmarshalIQ(ctx, stanza.IQ{Type: stanza.SetIQ}.Wrap(query), &fin)
	return fin, err
}
