package security

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
	"github.com/candor-xmpp/candor/ui/dialog"
	"github.com/candor-xmpp/candor/ui/qrcode"
)

// FingerprintID is the ID of the fingerprint dialog.
const FingerprintID = "omemo-fingerprint"

// qrStyle draws a QR code light on dark whatever the theme, so that it is
// never scanned inverted.
var qrStyle = lipgloss.NewStyle().Foreground(lipgloss.Color("#FFFFFF")).Background(lipgloss.Color("#000000"))

// NewFingerprint shows this device's fingerprint, the verification URI and
// the URI as a QR code that Conversations, Dino, Gajim and Monal scan.
func NewFingerprint(com *common.Common, dev session.DeviceInfo, uri string) *dialog.TextBox {
	t := com.Theme
	lines := []string{
		"This device: " + t.Bold.Render(dev.JID) + t.Faint.Render(" · device "+strconv.FormatUint(uint64(dev.ID), 10)),
		"",
		t.Bold.Render(dev.Fingerprint),
		"",
		t.Faint.Render("Scan the code with Conversations, Dino, Gajim or Monal to verify this device, or compare the " +
			"fingerprint with what your contact's client shows. Theirs: /omemo devices JID."),
		"",
	}
	if code, err := qrcode.Render(uri); err == nil {
		for _, l := range strings.Split(code, "\n") {
			lines = append(lines, qrStyle.Render(l))
		}
	} else {
		lines = append(lines, t.Bad.Render("no QR code: "+err.Error()))
	}
	lines = append(lines, "", t.Faint.Render(uri))
	return dialog.NewTextBox(com, FingerprintID, "OMEMO fingerprint", lines)
}
