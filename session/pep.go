package session

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
	"mellium.im/xmpp/stanza"
)

// Personal eventing (XEP-0163 over XEP-0060) as OMEMO needs it: fetching
// items, and publishing with publish-options, which mellium's pubsub
// package lacks. When a node already exists with another access model the
// server answers precondition-not-met; we then reconfigure the node and
// publish again (XEP-0060 §7.1.5, what Conversations and slixmpp-omemo do).

const (
	nsPubsub          = "http://jabber.org/protocol/pubsub"
	nsPubsubOwner     = "http://jabber.org/protocol/pubsub#owner"
	nsPubsubErrors    = "http://jabber.org/protocol/pubsub#errors"
	nsPubsubEvent     = "http://jabber.org/protocol/pubsub#event"
	nsDataForms       = "jabber:x:data"
	formPublishOpts   = "http://jabber.org/protocol/pubsub#publish-options"
	formNodeConfig    = "http://jabber.org/protocol/pubsub#node_config"
	maxPEPResultBytes = 4 << 20 // what one items result may hold
)

// iqError is an error answer to an IQ, with the pubsub-specific condition
// that mellium's stanza.Error drops.
type iqError struct {
	Condition string // RFC 6120 condition, such as item-not-found
	App       string // application condition, such as precondition-not-met
	Text      string
}

func (e *iqError) Error() string {
	s := strings.ReplaceAll(e.Condition, "-", " ")
	if e.App != "" {
		s += " (" + e.App + ")"
	}
	if e.Text != "" {
		s += ": " + e.Text
	}
	return s
}

// isIQCondition reports whether err is an iqError with condition cond.
func isIQCondition(err error, cond string) bool {
	var e *iqError
	return errors.As(err, &e) && (e.Condition == cond || e.App == cond)
}

// wireIQReply is an IQ answer: its type, an error, and the payload.
type wireIQError struct {
	Conditions []struct {
		XMLName xml.Name
		Text    string `xml:",chardata"`
	} `xml:",any"`
}

// pubsubIQ sends an IQ of type typ to to (the zero JID: our own account) with
// payload, and decodes the answer's payload into v (nil: ignore it). An error
// answer is an *iqError.
func (l *link) pubsubIQ(ctx context.Context, typ stanza.IQType, to jid.JID, payload any, v any) error {
	ctx, cancel := l.requestContext(ctx)
	defer cancel()
	resp, err := l.s.EncodeIQElement(ctx, payload, stanza.IQ{Type: typ, To: to})
	if err != nil {
		return err
	}
	defer resp.Close()
	d := xml.NewTokenDecoder(xmlstream.LimitReader(resp, maxPEPResultBytes))
	start, err := nextStart(d)
	if err != nil {
		return err
	}
	isErr := false
	for _, a := range start.Attr {
		if a.Name.Local == "type" && a.Value == "error" {
			isErr = true
		}
	}
	for {
		child, err := nextStart(d)
		if err == io.EOF {
			if isErr {
				return &iqError{Condition: "undefined-condition"}
			}
			return nil
		}
		if err != nil {
			return err
		}
		if isErr && child.Name.Local == "error" {
			var w wireIQError
			if err := d.DecodeElement(&w, &child); err != nil {
				return err
			}
			e := &iqError{}
			for _, c := range w.Conditions {
				switch c.XMLName.Space {
				case stanza.NSError:
					if c.XMLName.Local == "text" {
						e.Text = oneLine(c.Text)
					} else if e.Condition == "" {
						e.Condition = c.XMLName.Local
					}
				default:
					e.App = c.XMLName.Local
				}
			}
			return e
		}
		if !isErr && v != nil {
			return d.DecodeElement(v, &child)
		}
		if err := d.Skip(); err != nil {
			return err
		}
	}
}

// nextStart reads to the next start element at this level; io.EOF at the
// end of the enclosing element.
func nextStart(d *xml.Decoder) (xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.StartElement{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.EndElement:
			return xml.StartElement{}, io.EOF
		}
	}
}

// pepItems fetches items of node on owner's PEP service: the item with id
// itemID, or (itemID "") the newest. A missing node is no items.
func (l *link) pepItems(ctx context.Context, owner jid.JID, node, itemID string) ([]wirePEPItem, error) {
	type item struct {
		ID string `xml:"id,attr"`
	}
	req := struct {
		XMLName xml.Name `xml:"http://jabber.org/protocol/pubsub pubsub"`
		Items   struct {
			Node     string `xml:"node,attr"`
			MaxItems string `xml:"max_items,attr,omitempty"`
			Item     *item  `xml:"item"`
		} `xml:"items"`
	}{}
	req.Items.Node = node
	if itemID != "" {
		req.Items.Item = &item{ID: itemID}
	} else {
		req.Items.MaxItems = "1"
	}
	var res wirePubsubResult
	err := l.pubsubIQ(ctx, stanza.GetIQ, owner, req, &res)
	if isIQCondition(err, "item-not-found") {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return res.Items.Items, nil
}

// formField is one field of a submitted data form.
type formField struct {
	Var   string `xml:"var,attr"`
	Type  string `xml:"type,attr,omitempty"`
	Value string `xml:"value"`
}

type dataForm struct {
	XMLName xml.Name    `xml:"jabber:x:data x"`
	Type    string      `xml:"type,attr"`
	Fields  []formField `xml:"field"`
}

// form is a submitted form of formType with the pubsub#KEY fields opts.
func form(formType string, opts [][2]string) dataForm {
	f := dataForm{Type: "submit", Fields: []formField{{Var: "FORM_TYPE", Type: "hidden", Value: formType}}}
	for _, o := range opts {
		f.Fields = append(f.Fields, formField{Var: "pubsub#" + o[0], Value: o[1]})
	}
	return f
}

// pepPublish publishes payload as item itemID of our node with the given
// publish-options (pubsub#key, value pairs). When the server refuses them
// because the node exists with another configuration, the node is
// reconfigured to them and the item published again.
func (l *link) pepPublish(ctx context.Context, node, itemID string, payload any, opts [][2]string) error {
	type item struct {
		ID      string `xml:"id,attr,omitempty"`
		Payload any
	}
	req := struct {
		XMLName xml.Name `xml:"http://jabber.org/protocol/pubsub pubsub"`
		Publish struct {
			Node string `xml:"node,attr"`
			Item item   `xml:"item"`
		} `xml:"publish"`
		Options *struct {
			Form dataForm
		} `xml:"publish-options"`
	}{}
	req.Publish.Node = node
	req.Publish.Item = item{ID: itemID, Payload: payload}
	if len(opts) > 0 {
		req.Options = &struct{ Form dataForm }{form(formPublishOpts, opts)}
	}
	err := l.pubsubIQ(ctx, stanza.SetIQ, jid.JID{}, req, nil)
	if !isIQCondition(err, "precondition-not-met") {
		if err != nil {
			return fmt.Errorf("publish to %s: %w", node, err)
		}
		return nil
	}
	if err := l.pepConfigure(ctx, node, opts); err != nil {
		return fmt.Errorf("publish to %s: the node has other settings and reconfiguring it failed: %w", node, err)
	}
	if err := l.pubsubIQ(ctx, stanza.SetIQ, jid.JID{}, req, nil); err != nil {
		return fmt.Errorf("publish to %s after reconfiguring it: %w", node, err)
	}
	return nil
}

// pepConfigure sets options of our node (XEP-0060 §8.2).
func (l *link) pepConfigure(ctx context.Context, node string, opts [][2]string) error {
	req := struct {
		XMLName   xml.Name `xml:"http://jabber.org/protocol/pubsub#owner pubsub"`
		Configure struct {
			Node string `xml:"node,attr"`
			Form dataForm
		} `xml:"configure"`
	}{}
	req.Configure.Node = node
	req.Configure.Form = form(formNodeConfig, opts)
	return l.pubsubIQ(ctx, stanza.SetIQ, jid.JID{}, req, nil)
}
