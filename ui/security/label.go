package security

import (
	"fmt"
	"strings"

	"github.com/candor-xmpp/candor/session"
)

// Label is the status bar's "enc:" text for a chat: how the next message
// will go, and how many of the contact's devices it reaches.
func Label(cs session.ChatSecurity) string {
	switch {
	case !cs.Enabled:
		return "off (unencrypted)"
	case cs.Version == session.Plaintext:
		if cs.Err != "" && !cs.Fresh {
			return "OMEMO (devices unknown)"
		}
		return "no OMEMO device"
	}
	reach, undecided := cs.Reachable(), cs.Undecided()
	s := VersionName(cs.Version)
	switch {
	case reach == 0:
		s += " · no trusted device"
	case allVerified(cs):
		s += fmt.Sprintf(" · %s, verified", plural(reach, "device"))
	default:
		s += " · " + plural(reach, "device")
	}
	if undecided > 0 {
		s += fmt.Sprintf(" · %d to decide", undecided)
	}
	return s
}

// Locked reports whether the next message is encrypted.
func Locked(cs session.ChatSecurity) bool {
	return cs.Enabled && cs.Version != session.Plaintext && cs.Reachable() > 0
}

func allVerified(cs session.ChatSecurity) bool {
	n := 0
	for _, d := range cs.Devices {
		if d.Active() && d.Trust == session.TrustBlind {
			return false
		}
		if d.Trust == session.TrustVerified {
			n++
		}
	}
	return n > 0
}

// VersionName names a scheme for people.
func VersionName(s session.Scheme) string {
	switch s {
	case session.OMEMO03:
		return "OMEMO 0.3"
	case session.OMEMO2:
		return "OMEMO 2"
	case session.OMEMOPending:
		return "OMEMO"
	case session.Plaintext:
		return "unencrypted"
	}
	return strings.ToUpper(string(s))
}

// TrustName says a trust state for people.
func TrustName(t session.Trust) string {
	switch t {
	case session.TrustVerified:
		return "verified"
	case session.TrustBlind:
		return "trusted, not verified"
	case session.TrustRejected:
		return "rejected"
	}
	return "undecided"
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
