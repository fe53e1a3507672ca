package commands

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/candor-xmpp/candor/session"
)

// The actions of the OMEMO commands. The root carries them out.
type (
	// ShowFingerprint opens this device's fingerprint with its QR code.
	ShowFingerprint struct{}
	// ShowDevices lists the OMEMO devices of JID ("": our own).
	ShowDevices struct{ JID string }
	// ChangeTrust records a trust decision about JID's device with
	// Fingerprint.
	ChangeTrust struct {
		JID, Fingerprint string
		Trust            session.Trust
	}
	// ForgetDevice drops what we know of JID's device ID, to accept its
	// changed identity key.
	ForgetDevice struct {
		JID string
		ID  uint32
	}
	// SetEncryption turns OMEMO on or off for the open chat.
	SetEncryption struct{ On bool }
)

// omemoSpecs are the commands about end-to-end encryption.
func omemoSpecs() []Spec {
	jid := Arg{Name: "JID", Kind: ArgJID}
	fp := Arg{Name: "FINGERPRINT", Kind: ArgText}
	return []Spec{
		{Name: "omemo", Args: []Arg{{Name: "fingerprint|devices [JID]|forget JID ID", Kind: ArgText, Optional: true}},
			Summary: "show this device's fingerprint, or a contact's OMEMO devices",
			Help: "/omemo fingerprint shows this device's fingerprint and a QR code of it that Conversations, Dino, " +
				"Gajim and Monal scan to verify this device. /omemo devices JID lists JID's devices with their " +
				"fingerprints and your trust in them (without JID: your own other devices); there, v verifies a " +
				"device and r rejects it. /omemo forget JID ID drops what this device knows of JID's device ID " +
				"(its identity key, trust and sessions): the way to accept a device whose identity key changed, " +
				"after comparing the new fingerprint with the contact; it then counts as a new device."},
		{Name: "trust", Args: []Arg{jid, fp},
			Summary: "verify a contact's device by its fingerprint",
			Help: "Marks JID's device with FINGERPRINT (64 hex digits, spaces allowed) as verified: you compared it " +
				"with what the contact's device shows. From then on, new devices of JID need your approval."},
		{Name: "untrust", Args: []Arg{jid, fp},
			Summary: "reject a contact's device",
			Help:    "Marks JID's device with FINGERPRINT as untrusted: it gets no messages, and its messages are refused."},
		{Name: "encryption", Args: []Arg{{Name: "on|off", Kind: ArgText}},
			Summary: "turn OMEMO on or off for this chat",
			Help: "OMEMO is on by default. Off, messages to this contact go unencrypted without asking; " +
				"the status bar says so."},
	}
}

// parseOMEMO parses the OMEMO commands; ok is false for other commands.
func parseOMEMO(spec Spec, args []string) (a Action, ok bool, err error) {
	get := func(i int) string {
		if i < len(args) {
			return args[i]
		}
		return ""
	}
	switch spec.Name {
	case "omemo":
		sub, rest := cutWord(get(0))
		rest = strings.TrimSpace(rest)
		switch strings.ToLower(sub) {
		case "", "fingerprint", "fp":
			if rest != "" {
				return nil, true, fmt.Errorf("too many arguments: usage /omemo fingerprint")
			}
			return ShowFingerprint{}, true, nil
		case "devices":
			if rest == "" {
				return ShowDevices{}, true, nil
			}
			j, err := bareJID(rest)
			if err != nil {
				return nil, true, err
			}
			return ShowDevices{JID: j}, true, nil
		case "forget":
			who, id := cutWord(rest)
			j, err := bareJID(who)
			if err != nil {
				return nil, true, err
			}
			n, err := strconv.ParseUint(strings.TrimSpace(id), 10, 32)
			if err != nil || n == 0 {
				return nil, true, fmt.Errorf("a device id is a number (/omemo devices %s lists them): usage /omemo forget JID ID", j)
			}
			return ForgetDevice{JID: j, ID: uint32(n)}, true, nil
		}
		return nil, true, fmt.Errorf("unknown /omemo %s: usage %s", sub, spec.Usage())
	case "trust", "untrust":
		j, err := bareJID(get(0))
		if err != nil {
			return nil, true, err
		}
		hex := strings.Map(func(r rune) rune {
			if r == ' ' || r == ':' || r == '\t' {
				return -1
			}
			return r
		}, get(1))
		if len(hex) != 64 || strings.Trim(strings.ToLower(hex), "0123456789abcdef") != "" {
			return nil, true, fmt.Errorf("a fingerprint is 64 hex digits: usage %s", spec.Usage())
		}
		t := session.TrustVerified
		if spec.Name == "untrust" {
			t = session.TrustRejected
		}
		return ChangeTrust{JID: j, Fingerprint: strings.ToLower(hex), Trust: t}, true, nil
	case "encryption":
		switch strings.ToLower(strings.TrimSpace(get(0))) {
		case "on", "omemo":
			return SetEncryption{On: true}, true, nil
		case "off", "plaintext", "none":
			return SetEncryption{On: false}, true, nil
		}
		return nil, true, fmt.Errorf("usage %s", spec.Usage())
	}
	return nil, false, nil
}
