package session

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
	"mellium.im/xmpp/stanza"
)

// Older history on demand (XEP-0313 with XEP-0059 <before/>): one page of
// a conversation's messages from before the oldest one stored. They arrive
// as archive results through the handler and the receive pipeline like
// catch-up copies (deduplicated, decrypted once, stored, announced), with
// two differences: they are stored with ids below every stored id, so that
// they sort before the conversation's messages (ids order a conversation),
// and they never move the archive position the login catch-up resumes
// from.

// LoadOlderResult is what one LoadOlder brought.
type LoadOlderResult struct {
	Added int // messages stored that were not there before
	// Complete: the archive holds nothing older with this peer; asking
	// again returns at once.
	Complete bool
}

// olderPage is how many messages one LoadOlder asks for.
const olderPage = 50

// clockSlack is how far past the oldest stored message's time a query by
// time reaches.
const clockSlack = 2 * time.Second

// Markers for the receive worker, around one older-history query.
type (
	olderBegin struct {
		query string // the query id its results carry
		max   int    // how many results to expect at most
	}
	olderEnd struct {
		query string
		done  chan olderOutcome
	}
	olderOutcome struct {
		added int
		err   error
	}
)

// olderBatch is the worker's state of one older-history query: the block
// of ids reserved for its messages, used in the order they arrive (the
// archive sends a page oldest first).
type olderBatch struct {
	next, end int64 // the next free id, and the end of the block
	added     int
	err       error // the ids could not be reserved: store nothing
}

// LoadOlder implements Backend.
func (c *Client) LoadOlder(ctx context.Context, peer string) (LoadOlderResult, error) {
	j, err := parseBare(peer)
	if err != nil {
		return LoadOlderResult{}, err
	}
	st, err := c.store()
	if err != nil {
		return LoadOlderResult{}, err
	}
	done, err := st.ArchiveStartReached(ctx, j.String())
	if err != nil {
		return LoadOlderResult{}, err
	}
	if done {
		return LoadOlderResult{Complete: true}, nil
	}
	return c.older.run(ctx, j.String(), func() (LoadOlderResult, error) {
		l, err := c.online()
		if err != nil {
			return LoadOlderResult{}, fmt.Errorf("older messages with %s: %w", j, err)
		}
		res, err := l.loadOlder(ctx, j)
		if err != nil {
			return res, fmt.Errorf("older messages with %s: %s", j, oneLine(err.Error()))
		}
		if res.Complete {
			if err := st.SetArchiveStartReached(context.Background(), j.String(), c.clock.Now()); err != nil {
				c.notice(Warning, err.Error())
			}
		}
		return res, nil
	})
}

// olderLoads lets one older-history load run per conversation: a second
// call for the same peer waits for the first and gets its result.
type olderLoads struct {
	mu   sync.Mutex
	runs map[string]*olderRun
}

type olderRun struct {
	done chan struct{}
	res  LoadOlderResult
	err  error
}

func newOlderLoads() *olderLoads { return &olderLoads{runs: map[string]*olderRun{}} }

func (o *olderLoads) run(ctx context.Context, peer string, load func() (LoadOlderResult, error)) (LoadOlderResult, error) {
	o.mu.Lock()
	r, running := o.runs[peer]
	if !running {
		r = &olderRun{done: make(chan struct{})}
		o.runs[peer] = r
	}
	o.mu.Unlock()
	if running {
		select {
		case <-r.done:
			return r.res, r.err
		case <-ctx.Done():
			return LoadOlderResult{}, fmt.Errorf("older messages with %s: %w", peer, ctx.Err())
		}
	}
	defer func() {
		o.mu.Lock()
		delete(o.runs, peer)
		o.mu.Unlock()
		close(r.done)
	}()
	r.res, r.err = load()
	return r.res, r.err
}

// loadOlder asks the archive for the page before the oldest message stored
// with peer and waits until the worker has stored it.
func (l *link) loadOlder(ctx context.Context, peer jid.JID) (LoadOlderResult, error) {
	oldest, found, err := l.st.OldestMessage(ctx, peer.String())
	if err != nil {
		return LoadOlderResult{}, err
	}
	q := olderQuery{with: peer, max: olderPage}
	switch {
	case found && oldest.StanzaID != "":
		q.before = oldest.StanzaID
	case found:
		// Not confirmed by the archive (yet): go by its time instead, a
		// little past it, as the server's clock may run ahead of ours; the
		// copies of stored messages this brings are deduplicated.
		q.end = oldest.Time.Add(clockSlack)
	}
	fin, added, err := l.queryOlder(ctx, q)
	if err != nil && q.before != "" && isCondition(err, stanza.ItemNotFound) {
		// The archive does not know that id (expired, or not an archive
		// id after all): go by time.
		q.before, q.end = "", oldest.Time.Add(clockSlack)
		fin, added, err = l.queryOlder(ctx, q)
	}
	if err != nil {
		return LoadOlderResult{Added: added}, l.olderFailed(ctx, err)
	}
	return LoadOlderResult{Added: added, Complete: fin.Complete}, nil
}

var errNoArchive = errors.New("the server keeps no message archive")

// olderFailed explains a failed older-history query in one line.
func (l *link) olderFailed(ctx context.Context, err error) error {
	switch {
	case l.ctx.Err() != nil:
		return errOffline
	case ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled):
		return errors.New("cancelled")
	case errors.Is(err, context.DeadlineExceeded):
		return errors.New("the server did not answer in time")
	case isCondition(err, stanza.FeatureNotImplemented) || isCondition(err, stanza.ServiceUnavailable):
		return errNoArchive
	}
	return err
}

// olderQuery is one query back in time.
type olderQuery struct {
	with   jid.JID
	max    int
	before string    // the archive id to page back from; "" for the newest
	end    time.Time // when set (and before is ""): only messages up to then
}

// queryOlder runs q, bracketed by the worker's markers, and returns the
// archive's <fin/> and how many of its messages were stored.
func (l *link) queryOlder(ctx context.Context, q olderQuery) (wireFin, int, error) {
	id := newID()
	l.trackQuery(id, true)
	defer l.trackQuery(id, false)
	if !l.push(olderBegin{query: id, max: q.max}) {
		return wireFin{}, 0, errOffline
	}
	fin, qerr := l.sendOlderQuery(ctx, id, q)
	// The results came before the answer and are queued ahead of the end
	// marker: once it is processed, they are stored.
	done := make(chan olderOutcome, 1)
	if !l.push(olderEnd{query: id, done: done}) {
		return wireFin{}, 0, errOffline
	}
	var out olderOutcome
	select {
	case out = <-done:
	case <-l.ctx.Done():
		return wireFin{}, 0, errOffline
	}
	if qerr != nil {
		return fin, out.added, qerr
	}
	return fin, out.added, out.err
}

func (l *link) sendOlderQuery(ctx context.Context, id string, q olderQuery) (wireFin, error) {
	field := func(name, value string) xml.TokenReader {
		return xmlstream.Wrap(
			xmlstream.Wrap(xmlstream.Token(xml.CharData(value)), xml.StartElement{Name: xml.Name{Local: "value"}}),
			xml.StartElement{Name: xml.Name{Local: "field"}, Attr: []xml.Attr{{Name: xml.Name{Local: "var"}, Value: name}}},
		)
	}
	fields := []xml.TokenReader{field("FORM_TYPE", nsMAM), field("with", q.with.String())}
	if q.before == "" && !q.end.IsZero() {
		fields = append(fields, field("end", q.end.UTC().Format(time.RFC3339Nano)))
	}
	form := xmlstream.Wrap(xmlstream.MultiReader(fields...), xml.StartElement{
		Name: xml.Name{Space: nsDataForms, Local: "x"}, Attr: []xml.Attr{{Name: xml.Name{Local: "type"}, Value: "submit"}},
	})
	var before xml.TokenReader
	if q.before != "" {
		before = xmlstream.Token(xml.CharData(q.before))
	}
	set := xmlstream.Wrap(xmlstream.MultiReader(
		xmlstream.Wrap(xmlstream.Token(xml.CharData(strconv.Itoa(q.max))), xml.StartElement{Name: xml.Name{Local: "max"}}),
		xmlstream.Wrap(before, xml.StartElement{Name: xml.Name{Local: "before"}}),
	), xml.StartElement{Name: xml.Name{Space: nsRSM, Local: "set"}})
	return l.askArchive(ctx, id, form, set)
}

// The worker's side (run by the receive worker only).

// beginOlder reserves the ids for a query's messages. Like a catch-up, it
// keeps the prekeys old messages may use and holds back OMEMO replies
// until the last query back in time ends.
func (l *link) beginOlder(v olderBegin) {
	b := &olderBatch{}
	first, err := l.st.ReserveOlderIDs(context.Background(), v.max, l.olderFloor)
	if err != nil {
		b.err = err
	} else {
		b.next, b.end = first, first+int64(v.max)
		l.olderFloor = first
	}
	if !l.catchingUp && len(l.older) == 0 {
		l.beginCatchUp()
	}
	l.older[v.query] = b
}

func (l *link) endOlder(v olderEnd) {
	b := l.older[v.query]
	delete(l.older, v.query)
	if !l.catchingUp && len(l.older) == 0 {
		l.endCatchUp()
	}
	if b == nil {
		v.done <- olderOutcome{}
		return
	}
	v.done <- olderOutcome{added: b.added, err: b.err}
}

// olderBatchOf is the older-history query m answers, nil for any other
// message.
func (l *link) olderBatchOf(m msgIn) *olderBatch {
	if m.source != Archive || m.queryID == "" {
		return nil
	}
	return l.older[m.queryID]
}

// olderID is the id to store m under, or false when it must not be stored:
// the ids could not be reserved, or the server sent more than asked for.
func (b *olderBatch) olderID() (int64, bool) {
	if b.err != nil || b.next >= b.end {
		return 0, false
	}
	return b.next, true
}
