package session

import (
	"context"
	"encoding/xml"
	"fmt"

	"mellium.im/xmlstream"
)

// SendChatState implements Backend (XEP-0085). Chat states are fleeting:
// offline, they are not queued and no error is returned.
func (c *Client) SendChatState(ctx context.Context, peer string, state ChatState) error {
	switch state {
	case StateActive, StateComposing, StatePaused, StateInactive, StateGone:
	default:
		return fmt.Errorf("unknown chat state %q", state)
	}
	to, err := parseBare(peer)
	if err != nil {
		return err
	}
	l, err := c.online()
	if err != nil {
		return nil
	}
	return l.sendTokens(chatStateMessage(to.String(), state))
}

// chatStateMessage carries only a chat state, with a hint that it is not
// worth archiving or storing offline (XEP-0334).
func chatStateMessage(to string, state ChatState) xml.TokenReader {
	return xmlstream.Wrap(
		xmlstream.MultiReader(
			xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsChatStates, Local: string(state)}}),
			xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsHints, Local: "no-store"}}),
		),
		xml.StartElement{Name: xml.Name{Local: "message"}, Attr: []xml.Attr{
			{Name: xml.Name{Local: "to"}, Value: to},
			{Name: xml.Name{Local: "id"}, Value: newID()},
			{Name: xml.Name{Local: "type"}, Value: "chat"},
		}},
	)
}
