package ui

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/commands"
	"github.com/candor-xmpp/candor/ui/dialog"
	"github.com/candor-xmpp/candor/ui/inspect"
	"github.com/candor-xmpp/candor/ui/security"
	"github.com/candor-xmpp/candor/ui/wireview"
)

// End-to-end encryption in the root: the status bar's label for the open
// chat, the OMEMO commands and dialogs, and the inspector.

// Results of the OMEMO backend calls.
type (
	securityLoaded struct {
		peer string
		cs   session.ChatSecurity
		err  error
	}
	fingerprintLoaded struct {
		dev session.DeviceInfo
		uri string
		err error
	}
	devicesLoaded struct {
		jid  string
		own  bool
		open bool // open the dialog (else refresh it)
		devs []session.DeviceInfo
		err  error
	}
	// wireInspected carries an inspection to the inspector's panels.
	wireInspected struct{ loaded wireview.Loaded }
	// nthLoaded is the n-th newest message of a chat, to inspect.
	nthLoaded struct {
		msg session.Message
		tab string
		err error
	}
)

// omemoResult marks the results above for dispatch.
type omemoResult interface{ omemoResult() }

func (securityLoaded) omemoResult()    {}
func (fingerprintLoaded) omemoResult() {}
func (devicesLoaded) omemoResult()     {}
func (wireInspected) omemoResult()     {}
func (nthLoaded) omemoResult()         {}

// backendCall runs f off the UI loop with a timeout and a recover.
func (m *Model) backendCall(f func(context.Context, session.Backend) tea.Msg, onPanic func(error) tea.Msg) tea.Cmd {
	be := m.be
	return func() (msg tea.Msg) {
		var err error
		defer func() {
			if err != nil {
				msg = onPanic(err)
			}
		}()
		defer guard(&err)
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		return f(ctx, be)
	}
}

// loadSecurity fetches what protects the chat with peer, for the status
// bar.
func (m *Model) loadSecurity(peer string) tea.Cmd {
	if peer == "" {
		m.status.SetEncryption("—")
		return nil
	}
	return m.backendCall(func(ctx context.Context, be session.Backend) tea.Msg {
		cs, err := be.ChatSecurity(ctx, peer)
		return securityLoaded{peer: peer, cs: cs, err: err}
	}, func(err error) tea.Msg { return securityLoaded{peer: peer, err: err} })
}

func (m *Model) omemoResult(r omemoResult) tea.Cmd {
	switch r := r.(type) {
	case securityLoaded:
		if r.peer != m.sidebar.Active() {
			return nil
		}
		if r.err != nil {
			m.status.SetEncryption("?")
			return m.status.SetNotice(session.Warning, "encryption of the chat with "+r.peer+": "+r.err.Error())
		}
		m.status.SetEncryption(security.Label(r.cs))
	case fingerprintLoaded:
		if r.err != nil {
			return m.status.SetNotice(session.Error, "fingerprint: "+r.err.Error())
		}
		m.overlay.Open(security.NewFingerprint(m.com, r.dev, r.uri), 0)
	case devicesLoaded:
		if r.open {
			if r.err != nil {
				return m.status.SetNotice(session.Error, "devices of "+r.jid+": "+r.err.Error())
			}
			m.overlay.Open(security.NewDevices(m.com, r.jid, r.own, r.devs), 0)
			return nil
		}
		return m.overlay.Deliver(security.DevicesID, security.DevicesLoaded{JID: r.jid, Devices: r.devs, Err: r.err})
	case wireInspected:
		return m.overlay.Deliver(inspect.ID, r.loaded)
	case nthLoaded:
		if r.err != nil {
			return m.status.SetNotice(session.Error, "inspect: "+r.err.Error())
		}
		return m.showInspector(r.msg, r.tab)
	}
	return nil
}

// omemoCommand carries out the OMEMO commands.
func (m *Model) omemoCommand(a commands.Action) tea.Cmd {
	switch a := a.(type) {
	case commands.ShowFingerprint:
		return m.backendCall(func(ctx context.Context, be session.Backend) tea.Msg {
			dev, err := be.OwnDevice(ctx)
			if err != nil {
				return fingerprintLoaded{err: err}
			}
			uri, err := be.VerificationURI(ctx)
			return fingerprintLoaded{dev: dev, uri: uri, err: err}
		}, func(err error) tea.Msg { return fingerprintLoaded{err: err} })
	case commands.ShowDevices:
		return m.loadDevices(a.JID, true)
	case commands.ChangeTrust:
		return m.changeTrust(a.JID, a.Fingerprint, a.Trust)
	case commands.ForgetDevice:
		ok := fmt.Sprintf("forgot %s's device %d: its next key counts as a new device's", a.JID, a.ID)
		return m.call("forget", ok, func(ctx context.Context, be session.Backend) error {
			return be.ForgetDevice(ctx, a.JID, a.ID)
		}, (*Model).afterTrustChange)
	case commands.SetEncryption:
		peer := m.sidebar.Active()
		if peer == "" {
			return m.status.SetNotice(session.Warning, "no chat open: /encryption applies to the open chat")
		}
		verb := "on"
		if !a.On {
			verb = "off: messages to " + peer + " go unencrypted"
		}
		return m.call("encryption", "encryption "+verb, func(ctx context.Context, be session.Backend) error {
			return be.SetChatEncryption(ctx, peer, a.On)
		}, func(m *Model) tea.Cmd { return m.loadSecurity(peer) })
	}
	return nil
}

// loadDevices fetches jid's devices ("" our own), to open the dialog or
// to refresh it.
func (m *Model) loadDevices(jid string, open bool) tea.Cmd {
	own := jid == "" || jid == m.com.Self
	return m.backendCall(func(ctx context.Context, be session.Backend) tea.Msg {
		devs, err := be.Devices(ctx, jid)
		who := jid
		if who == "" {
			who = be.Account().JID
		}
		return devicesLoaded{jid: who, own: own, open: open, devs: devs, err: err}
	}, func(err error) tea.Msg { return devicesLoaded{jid: jid, own: own, open: open, err: err} })
}

func (m *Model) changeTrust(jid, fp string, t session.Trust) tea.Cmd {
	ok := fmt.Sprintf("%s's device %s… is now %s", jid, shortFP(fp), security.TrustName(t))
	return m.call("trust", ok, func(ctx context.Context, be session.Backend) error {
		return be.SetTrust(ctx, jid, fp, t)
	}, (*Model).afterTrustChange)
}

// afterTrustChange reloads what shows trust: the open chat's security and
// an open devices dialog.
func (m *Model) afterTrustChange() tea.Cmd {
	cmd := m.loadSecurity(m.sidebar.Active())
	if d, ok := m.overlay.Get(security.DevicesID).(*security.Devices); ok {
		cmd = tea.Batch(cmd, m.loadDevices(d.JID(), false))
	}
	return cmd
}

func shortFP(fp string) string {
	if len(fp) > 8 {
		return fp[:8]
	}
	return fp
}

// inspectNth opens the inspector on the n-th newest message with peer.
func (m *Model) inspectNth(peer string, n int, tab string) tea.Cmd {
	return m.backendCall(func(ctx context.Context, be session.Backend) tea.Msg {
		msgs, err := be.History(ctx, peer, 0, n)
		if err != nil {
			return nthLoaded{err: err}
		}
		if len(msgs) < n {
			return nthLoaded{err: fmt.Errorf("the chat with %s has %d messages", peer, len(msgs))}
		}
		return nthLoaded{msg: msgs[0], tab: tab}
	}, func(err error) tea.Msg { return nthLoaded{err: err} })
}

// inspectWire loads what the server sees of msg for the "you" and
// "server" tabs.
func (m *Model) inspectWire(msg session.Message) tea.Cmd {
	return m.backendCall(func(ctx context.Context, be session.Backend) tea.Msg {
		in, err := be.Inspect(ctx, msg.ID)
		return wireInspected{loaded: wireview.Loaded{Message: msg, Inspection: in, Err: err}}
	}, func(err error) tea.Msg { return wireInspected{loaded: wireview.Loaded{Message: msg, Err: err}} })
}

// stepWire moves the "you" and "server" tabs to msg with the scanner's.
func (m *Model) stepWire(d *inspect.Dialog, msg session.Message) tea.Cmd {
	for _, tab := range []string{wireview.YouTab, wireview.ServerTab} {
		if p, ok := d.Panel(tab).(interface{ Load(session.Message) }); ok {
			p.Load(msg)
		}
	}
	return m.inspectWire(msg)
}

// securityIntent carries out what the security dialogs ask for.
func (m *Model) securityIntent(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case security.TrustRequested:
		return m.changeTrust(msg.JID, msg.Fingerprint, msg.Trust)
	case security.PlaintextChosen:
		switch msg.Choice {
		case security.KeepUnsent:
			return m.status.SetNotice(session.Info, "the message to "+msg.Peer+" stays unsent")
		case security.TurnOffChat:
			id, peer := msg.ID, msg.Peer
			return m.call("encryption", "encryption off for "+peer+"; the message goes unencrypted", func(ctx context.Context, be session.Backend) error {
				if err := be.SetChatEncryption(ctx, peer, false); err != nil {
					return err
				}
				return be.RetryUnencrypted(ctx, id)
			}, func(m *Model) tea.Cmd { return m.loadSecurity(peer) })
		}
		id := msg.ID
		return m.call("send unencrypted", "sending it unencrypted", func(ctx context.Context, be session.Backend) error {
			return be.RetryUnencrypted(ctx, id)
		}, nil)
	}
	return nil
}

// omemoEvent shows the events of end-to-end encryption.
func (m *Model) omemoEvent(ev session.Event) tea.Cmd {
	switch ev := ev.(type) {
	case session.EncryptionUpdated:
		if c := m.convs[ev.Peer]; c != nil {
			c.SetEncryption(ev.ID, ev.Encryption)
		}
	case session.PlaintextNeeded:
		body := ev.Reason
		if c := m.convs[ev.Peer]; c != nil {
			if msg, ok := c.Message(ev.ID); ok {
				body = msg.Body
			}
		}
		m.overlay.Open(security.NewPlaintext(m.com, ev, body), dialog.Grace) // keys typed before it are not an answer
	case session.SecurityChanged:
		if active := m.sidebar.Active(); active != "" && (ev.Peer == active || ev.Peer == m.com.Self) {
			return m.loadSecurity(active)
		}
	case session.DeviceNeedsTrust:
		return m.status.SetNotice(session.Warning, fmt.Sprintf("%s has a device (%d) you have not verified: it gets no messages until you decide · /omemo devices %s",
			ev.JID, ev.Device, ev.JID))
	case session.OMEMOReady:
		if ev.Err != "" {
			return m.status.SetNotice(session.Warning, "OMEMO: "+ev.Err)
		}
	}
	return nil
}
