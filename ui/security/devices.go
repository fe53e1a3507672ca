package security

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
	"github.com/candor-xmpp/candor/ui/dialog"
)

// DevicesID is the ID of the devices dialog.
const DevicesID = "omemo-devices"

// TrustRequested asks the root to record a trust decision (SetTrust) and
// to deliver the devices again as DevicesLoaded.
type TrustRequested struct {
	JID, Fingerprint string
	Trust            session.Trust
}

// DevicesLoaded carries a JID's devices to the dialog.
type DevicesLoaded struct {
	JID     string
	Devices []session.DeviceInfo
	Err     error
}

// Devices lists one account's OMEMO devices with their fingerprints and
// trust; the user verifies or rejects the one under the cursor.
type Devices struct {
	com    *common.Common
	jid    string
	own    bool
	devs   []session.DeviceInfo
	err    string
	cursor int
	offset int
}

// NewDevices returns the dialog for jid's devices (own: our account).
func NewDevices(com *common.Common, jid string, own bool, devs []session.DeviceInfo) *Devices {
	d := &Devices{com: com, jid: jid, own: own}
	d.set(devs)
	return d
}

func (d *Devices) set(devs []session.DeviceInfo) {
	d.devs = nil
	for _, x := range devs {
		// This device first; then the others, active before retired.
		if x.This {
			d.devs = append([]session.DeviceInfo{x}, d.devs...)
		} else {
			d.devs = append(d.devs, x)
		}
	}
	d.cursor = min(d.cursor, max(len(d.devs)-1, 0))
}

func (d *Devices) ID() string { return DevicesID }

// JID is whose devices are shown.
func (d *Devices) JID() string { return d.jid }

func (d *Devices) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case DevicesLoaded:
		if msg.JID == d.jid {
			d.err = ""
			if msg.Err != nil {
				d.err = msg.Err.Error()
			} else {
				d.set(msg.Devices)
			}
		}
	case tea.KeyPressMsg:
		switch msg.String() {
		case "esc", "q", "enter":
			d.com.Emit(dialog.CloseRequested{ID: DevicesID})
		case "up", "k":
			d.cursor = max(d.cursor-1, 0)
		case "down", "j":
			d.cursor = min(d.cursor+1, max(len(d.devs)-1, 0))
		case "v", "r", "u":
			d.decide(map[string]session.Trust{"v": session.TrustVerified, "r": session.TrustRejected, "u": session.TrustUndecided}[msg.String()])
		}
	}
	return nil
}

func (d *Devices) decide(t session.Trust) {
	if d.cursor >= len(d.devs) {
		return
	}
	dev := d.devs[d.cursor]
	switch {
	case dev.This:
		d.err = "this is this very device"
	case dev.Fingerprint == "":
		d.err = "its fingerprint is not known yet: it has published no keys"
	default:
		d.err = ""
		d.com.Emit(TrustRequested{JID: d.jid, Fingerprint: dev.Fingerprint, Trust: t})
	}
}

func (d *Devices) View(width, height int) (string, *tea.Cursor) {
	t := d.com.Theme
	title := "OMEMO devices of " + common.OneLine(d.jid)
	if d.own {
		title = "Your OMEMO devices"
	}
	head := []string{t.DialogTitle.Render(common.Truncate(title, width)), ""}
	var rows []string // two lines per device
	for i, dev := range d.devs {
		mark := "  "
		if i == d.cursor {
			mark = t.InputFocus.Render("▸ ")
		}
		name := fmt.Sprintf("device %d", dev.ID)
		if dev.This {
			name += " (this device)"
		}
		var vs []string
		for _, v := range dev.Versions {
			vs = append(vs, VersionName(v))
		}
		state := strings.Join(vs, ", ")
		if state == "" {
			state = "no longer listed"
		}
		rows = append(rows, mark+t.Bold.Render(name)+"  "+trustStyled(d.com, dev.Trust)+t.Faint.Render(" · "+state))
		fp := dev.Fingerprint
		if fp == "" {
			fp = t.Faint.Render("fingerprint not known yet")
		}
		rows = append(rows, "  "+fp)
	}
	if len(d.devs) == 0 {
		rows = append(rows, t.Faint.Render("No OMEMO devices known."))
	}
	foot := []string{""}
	if d.err != "" {
		foot = append(foot, t.Bad.Render(common.Truncate(common.OneLine(d.err), width)))
	}
	foot = append(foot, t.Faint.Render(common.Truncate("↑/↓ choose · v verified (compared) · r reject · u undecided · esc closes", width)))
	avail := max(height-len(head)-len(foot), 2)
	// Keep the cursor's two lines on screen.
	if 2*d.cursor < d.offset {
		d.offset = 2 * d.cursor
	}
	if 2*d.cursor+2 > d.offset+avail {
		d.offset = 2*d.cursor + 2 - avail
	}
	d.offset = min(max(d.offset, 0), max(len(rows)-avail, 0))
	shown := rows[d.offset:min(len(rows), d.offset+avail)]
	out := append(head, shown...)
	out = append(out, foot...)
	for i, l := range out {
		out[i] = common.Fit(l, width)
	}
	return strings.Join(out, "\n"), nil
}

func trustStyled(com *common.Common, tr session.Trust) string {
	t := com.Theme
	switch tr {
	case session.TrustVerified:
		return t.Good.Render("✔ " + TrustName(tr))
	case session.TrustBlind:
		return t.Text.Render("◆ " + TrustName(tr))
	case session.TrustRejected:
		return t.Bad.Render("✗ " + TrustName(tr))
	}
	return t.Warn.Render("? " + TrustName(tr))
}
