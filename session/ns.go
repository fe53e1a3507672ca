package session

// Namespaces the session writes or matches itself. (Struct tags name theirs
// in place: Go tags cannot use constants.)
const (
	nsSID        = "urn:xmpp:sid:0"                        // XEP-0359 unique and stable stanza ids
	nsReceipts   = "urn:xmpp:receipts"                     // XEP-0184 message delivery receipts
	nsChatStates = "http://jabber.org/protocol/chatstates" // XEP-0085 chat state notifications
	nsMAM        = "urn:xmpp:mam:2"                        // XEP-0313 message archive management
	nsSM         = "urn:xmpp:sm:3"                         // XEP-0198 stream management
	nsHints      = "urn:xmpp:hints"                        // XEP-0334 message processing hints
	nsPing       = "urn:xmpp:ping"                         // XEP-0199 XMPP ping
	nsRoster     = "jabber:iq:roster"                      // RFC 6121 roster
	nsDiscoInfo  = "http://jabber.org/protocol/disco#info" // XEP-0030 service discovery
	nsCaps       = "http://jabber.org/protocol/caps"       // XEP-0115 entity capabilities
	nsTLS        = "urn:ietf:params:xml:ns:xmpp-tls"       // RFC 6120 STARTTLS
)
