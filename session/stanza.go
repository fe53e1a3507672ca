package session

import (
	"cmp"
	"encoding/xml"
	"sort"
	"strconv"
	"strings"
	"time"

	"mellium.im/xmpp/jid"
	"mellium.im/xmpp/stanza"
)

// The wire forms of the stanzas the session reads. Decoding is lenient
// (unknown children are skipped); interpretation checks who may say what.

type wireMessage struct {
	XMLName   xml.Name
	ID        string         `xml:"id,attr"`
	From      string         `xml:"from,attr"`
	To        string         `xml:"to,attr"`
	Type      string         `xml:"type,attr"`
	Bodies    []wireText     `xml:"body"`
	OriginID  *wireID        `xml:"urn:xmpp:sid:0 origin-id"`
	StanzaIDs []wireStanzaID `xml:"urn:xmpp:sid:0 stanza-id"`
	Delay     *wireDelay     `xml:"urn:xmpp:delay delay"`
	Request   *struct{}      `xml:"urn:xmpp:receipts request"`
	Received  *wireID        `xml:"urn:xmpp:receipts received"`
	Active    *struct{}      `xml:"http://jabber.org/protocol/chatstates active"`
	Composing *struct{}      `xml:"http://jabber.org/protocol/chatstates composing"`
	Paused    *struct{}      `xml:"http://jabber.org/protocol/chatstates paused"`
	Inactive  *struct{}      `xml:"http://jabber.org/protocol/chatstates inactive"`
	Gone      *struct{}      `xml:"http://jabber.org/protocol/chatstates gone"`
	CarbonIn  *wireCarbon    `xml:"urn:xmpp:carbons:2 received"`
	CarbonOut *wireCarbon    `xml:"urn:xmpp:carbons:2 sent"`
	Result    *wireMAMResult `xml:"urn:xmpp:mam:2 result"`
	OMEMO03   *wireOMEMO     `xml:"eu.siacs.conversations.axolotl encrypted"`
	OMEMO2    *wireOMEMO     `xml:"urn:xmpp:omemo:2 encrypted"`
	OOB       []wireOOB      `xml:"jabber:x:oob x"`
	Error     *stanza.Error  `xml:"error"`
	Event     *wirePEPEvent  `xml:"http://jabber.org/protocol/pubsub#event event"`
}

type wireText struct {
	Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Text string `xml:",chardata"`
}

type wireID struct {
	ID string `xml:"id,attr"`
}

type wireStanzaID struct {
	ID string `xml:"id,attr"`
	By string `xml:"by,attr"`
}

type wireDelay struct {
	Stamp string `xml:"stamp,attr"`
}

type wireCarbon struct {
	Forwarded wireForwarded `xml:"urn:xmpp:forward:0 forwarded"`
}

type wireForwarded struct {
	Delay   *wireDelay   `xml:"urn:xmpp:delay delay"`
	Message *wireMessage `xml:"message"`
}

type wireMAMResult struct {
	QueryID   string        `xml:"queryid,attr"`
	ID        string        `xml:"id,attr"`
	Forwarded wireForwarded `xml:"urn:xmpp:forward:0 forwarded"`
}

type wirePresence struct {
	XMLName  xml.Name
	ID       string        `xml:"id,attr"`
	From     string        `xml:"from,attr"`
	To       string        `xml:"to,attr"`
	Type     string        `xml:"type,attr"`
	Show     string        `xml:"show"`
	Status   []wireText    `xml:"status"`
	Priority string        `xml:"priority"`
	Error    *stanza.Error `xml:"error"`
}

type wireRosterQuery struct {
	XMLName xml.Name         `xml:"jabber:iq:roster query"`
	Ver     *string          `xml:"ver,attr"`
	Items   []wireRosterItem `xml:"item"`
}

type wireRosterItem struct {
	JID          string   `xml:"jid,attr"`
	Name         string   `xml:"name,attr"`
	Subscription string   `xml:"subscription,attr"`
	Ask          string   `xml:"ask,attr"`
	Groups       []string `xml:"group"`
}

// msgIn is one message as the receive pipeline sees it: unwrapped from a
// carbon or an archive result, with only the ids our server vouches for.
type msgIn struct {
	source   Source
	from, to jid.JID
	id       string // the stanza's id attribute
	typ      string
	body     string
	hasBody  bool
	originID string
	stanzaID string    // our server's id: a trusted stanza-id, or the archive id
	stamp    time.Time // the delay stamp, zero when live
	request  bool      // a delivery receipt is requested
	receipt  string    // the id this message confirms
	state    ChatState
	errText  string   // the error of a type="error" message
	queryID  string   // the archive query that returned it
	scheme   Scheme   // the end-to-end encryption of the payload, if any
	oob      []string // XEP-0066 URLs (a shared file, see fileOf)
	omemo    *wireOMEMO
	raw      string // the stanza as received, for the inspector
}

// interpret turns a decoded top-level message into a msgIn. own is the
// account's bare JID; false means the message is not for the pipeline
// (a spoofed carbon, a stray archive result, a groupchat or headline).
func interpret(w *wireMessage, own jid.JID) (msgIn, bool) {
	fromServer := w.From == "" || w.From == own.String()
	switch {
	case w.CarbonIn != nil || w.CarbonOut != nil:
		// Carbons come from our own bare JID only (XEP-0280 §11).
		if !fromServer {
			return msgIn{}, false
		}
		c := w.CarbonIn
		if c == nil {
			c = w.CarbonOut
		}
		if c.Forwarded.Message == nil {
			return msgIn{}, false
		}
		m, ok := flatten(c.Forwarded.Message, c.Forwarded.Delay, own)
		m.source = Carbon
		// A sent carbon must be from us, a received one to us.
		if w.CarbonOut != nil && !m.from.Bare().Equal(own) {
			return msgIn{}, false
		}
		if w.CarbonIn != nil && !m.to.Bare().Equal(own) {
			return msgIn{}, false
		}
		return m, ok
	case w.Result != nil:
		if !fromServer || w.Result.Forwarded.Message == nil || w.Result.ID == "" {
			return msgIn{}, false
		}
		m, ok := flatten(w.Result.Forwarded.Message, w.Result.Forwarded.Delay, own)
		m.source = Archive
		m.stanzaID = w.Result.ID
		m.queryID = w.Result.QueryID
		// Archived stanzas may lack addresses on our side of the exchange.
		if m.from.Equal(jid.JID{}) {
			m.from = own
		}
		if m.to.Equal(jid.JID{}) {
			m.to = own
		}
		return m, ok
	}
	m, ok := flatten(w, w.Delay, own)
	m.source = Live
	if m.to.Equal(jid.JID{}) {
		m.to = own
	}
	return m, ok
}

// flatten reads the fields of one (possibly forwarded) message.
func flatten(w *wireMessage, delay *wireDelay, own jid.JID) (msgIn, bool) {
	m := msgIn{id: w.ID, typ: w.Type}
	switch w.Type {
	case "", "normal", "chat", "error":
	default:
		return m, false // groupchat and headline are not one-to-one chat
	}
	var err error
	if w.From != "" {
		if m.from, err = jid.Parse(w.From); err != nil {
			return m, false
		}
	}
	if w.To != "" {
		if m.to, err = jid.Parse(w.To); err != nil {
			return m, false
		}
	}
	if m.body, m.hasBody = pickText(w.Bodies); m.hasBody && w.Type == "error" {
		m.hasBody = false // an error echoes our body back: not a message
	}
	if w.OriginID != nil {
		m.originID = w.OriginID.ID
	}
	for _, sid := range w.StanzaIDs {
		// Only our server's ids are trusted: anyone can write a stanza-id.
		if sid.By == own.String() && sid.ID != "" {
			m.stanzaID = sid.ID
		}
	}
	// The forwarder's stamp (the archive's, a carbon's) is the one it
	// vouches for; else the message's own (offline delivery).
	if delay == nil {
		delay = w.Delay
	}
	if delay != nil {
		if t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(delay.Stamp)); err == nil {
			m.stamp = t
		}
	}
	// An OMEMO element with a payload is a message whatever its fallback
	// body says; one without is a key transport message, not for display.
	switch omemo := cmp.Or(w.OMEMO2, w.OMEMO03); {
	case omemo == nil:
	case omemo.Payload != nil:
		m.omemo = omemo
		m.scheme, m.hasBody = OMEMO03, true
		if w.OMEMO2 != nil {
			m.scheme = OMEMO2
		}
	default:
		m.hasBody, m.omemo = false, omemo
	}
	for _, o := range w.OOB {
		if len(m.oob) < 4 {
			m.oob = append(m.oob, o.URL)
		}
	}
	m.request = w.Request != nil
	if w.Received != nil {
		m.receipt = w.Received.ID
	}
	switch {
	case w.Composing != nil:
		m.state = StateComposing
	case w.Paused != nil:
		m.state = StatePaused
	case w.Inactive != nil:
		m.state = StateInactive
	case w.Gone != nil:
		m.state = StateGone
	case w.Active != nil:
		m.state = StateActive
	}
	if w.Type == "error" {
		m.errText = describeStanzaError(w.Error)
	}
	return m, true
}

// pickText chooses among language variants: the one without xml:lang, else
// the first.
func pickText(ts []wireText) (string, bool) {
	if len(ts) == 0 {
		return "", false
	}
	for _, t := range ts {
		if t.Lang == "" {
			return t.Text, true
		}
	}
	return ts[0].Text, true
}

// describeStanzaError is a one-line reason for a stanza error.
func describeStanzaError(e *stanza.Error) string {
	if e == nil {
		return "the server returned an error"
	}
	cond := string(e.Condition)
	if cond == "" {
		cond = "error"
	}
	cond = strings.ReplaceAll(cond, "-", " ")
	if text := errorText(e.Text); text != "" {
		return oneLine(cond + ": " + text)
	}
	return cond
}

// presIn is a decoded presence.
type presIn struct {
	from     jid.JID
	typ      string
	presence Presence
	priority int
	status   string
}

func interpretPresence(w *wirePresence) (presIn, bool) {
	p := presIn{typ: w.Type}
	if w.From == "" {
		return p, false
	}
	var err error
	if p.from, err = jid.Parse(w.From); err != nil {
		return p, false
	}
	p.status, _ = pickText(w.Status)
	p.status = strings.Join(strings.Fields(p.status), " ")
	if pr, err := strconv.Atoi(strings.TrimSpace(w.Priority)); err == nil && pr >= -128 && pr <= 127 {
		p.priority = pr
	}
	switch w.Type {
	case "":
		show := Show(strings.TrimSpace(w.Show))
		if _, ok := showRank[show]; !ok {
			show = ShowOnline
		}
		p.presence = Presence{Available: true, Show: show, Status: p.status}
	case "unavailable", "error":
		p.presence = Presence{Status: p.status}
	case "subscribe", "subscribed", "unsubscribe", "unsubscribed":
	default:
		return p, false
	}
	return p, true
}

// errorText picks a stanza error's text: without language, else English,
// else the first by language tag.
func errorText(texts map[string]string) string {
	for _, lang := range []string{"", "en"} {
		if t := strings.TrimSpace(texts[lang]); t != "" {
			return t
		}
	}
	langs := make([]string, 0, len(texts))
	for lang := range texts {
		langs = append(langs, lang)
	}
	sort.Strings(langs)
	for _, lang := range langs {
		if t := strings.TrimSpace(texts[lang]); t != "" {
			return t
		}
	}
	return ""
}
