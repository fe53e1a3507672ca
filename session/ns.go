package session

// Namespaces of the XEPs the session speaks beyond what mellium covers.
const (
	nsSID        = "urn:xmpp:sid:0"                        // XEP-0359 unique and stable stanza ids
	nsReceipts   = "urn:xmpp:receipts"                     // XEP-0184 message delivery receipts
	nsChatStates = "http://jabber.org/protocol/chatstates" // XEP-0085 chat state notifications
	nsCarbons    = "urn:xmpp:carbons:2"                    // XEP-0280 message carbons
	nsForward    = "urn:xmpp:forward:0"                    // XEP-0297 stanza forwarding
	nsDelay      = "urn:xmpp:delay"                        // XEP-0203 delayed delivery
	nsMAM        = "urn:xmpp:mam:2"                        // XEP-0313 message archive management
	nsSM         = "urn:xmpp:sm:3"                         // XEP-0198 stream management
	nsHints      = "urn:xmpp:hints"                        // XEP-0334 message processing hints
	nsPing       = "urn:xmpp:ping"                         // XEP-0199 XMPP ping
	nsRoster     = "jabber:iq:roster"                      // RFC 6121 roster
	nsDiscoInfo  = "http://jabber.org/protocol/disco#info" // XEP-0030 service discovery
	nsCaps       = "http://jabber.org/protocol/caps"       // XEP-0115 entity capabilities
	nsSASL       = "urn:ietf:params:xml:ns:xmpp-sasl"      // RFC 6120 SASL
	nsVersion    = "jabber:iq:version"                     // XEP-0092 software version
)
