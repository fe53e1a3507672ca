package session

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/xml"
	"sort"
	"strings"

	"mellium.im/xmlstream"
)

// What this client tells others it is and can do (XEP-0030), and the
// XEP-0115 hash of it that rides on our presence.
const (
	capsNode         = "https://github.com/candor-xmpp/candor"
	identityCategory = "client"
	identityType     = "console"
	identityName     = "Candor"
)

// ourFeatures are the disco#info features we announce.
func ourFeatures() []string {
	return append([]string{nsDiscoInfo, nsCaps, nsReceipts, nsChatStates, nsPing, nsSID}, omemoFeatures()...)
}

// capsVer is the XEP-0115 verification string of our identity and
// features (§5.1: identities then features, each followed by '<').
func capsVer() string {
	fs := ourFeatures()
	sort.Strings(fs)
	var b strings.Builder
	b.WriteString(identityCategory + "/" + identityType + "//" + identityName + "<")
	for _, f := range fs {
		b.WriteString(f + "<")
	}
	sum := sha1.Sum([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// discoInfo is the payload of our disco#info answer.
func discoInfo(node string) xml.TokenReader {
	attrs := []xml.Attr(nil)
	if node != "" {
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "node"}, Value: node})
	}
	inner := []xml.TokenReader{xmlstream.Wrap(nil, xml.StartElement{
		Name: xml.Name{Local: "identity"},
		Attr: []xml.Attr{
			{Name: xml.Name{Local: "category"}, Value: identityCategory},
			{Name: xml.Name{Local: "type"}, Value: identityType},
			{Name: xml.Name{Local: "name"}, Value: identityName},
		},
	})}
	for _, f := range ourFeatures() {
		inner = append(inner, xmlstream.Wrap(nil, xml.StartElement{
			Name: xml.Name{Local: "feature"},
			Attr: []xml.Attr{{Name: xml.Name{Local: "var"}, Value: f}},
		}))
	}
	return xmlstream.Wrap(xmlstream.MultiReader(inner...), xml.StartElement{
		Name: xml.Name{Space: nsDiscoInfo, Local: "query"},
		Attr: attrs,
	})
}

// wireCaps is the <c/> element of our presence.
type wireCaps struct {
	XMLName xml.Name `xml:"http://jabber.org/protocol/caps c"`
	Hash    string   `xml:"hash,attr"`
	Node    string   `xml:"node,attr"`
	Ver     string   `xml:"ver,attr"`
}

func ourCaps() *wireCaps {
	return &wireCaps{Hash: "sha-1", Node: capsNode, Ver: capsVer()}
}
