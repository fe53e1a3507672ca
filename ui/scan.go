package ui

import (
	"context"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/commands"
	"github.com/candor-xmpp/candor/ui/consent"
	"github.com/candor-xmpp/candor/ui/dialog"
	"github.com/candor-xmpp/candor/ui/inspect"
	"github.com/candor-xmpp/candor/ui/scanview"
	"github.com/candor-xmpp/candor/ui/wireview"
)

// The root's part in scanhook, the scanning SIMULATION: the banner, the
// status bar's scan slot, the consent dialog, the badges, the inspector,
// the base-rate calculator and the /scan and /consent commands. Everything
// comes through session's Scanning methods and ScanEvents.

// scanState is what the root keeps of scanhook.
type scanState struct {
	status  session.ScanStatus
	pending []session.ConsentRequest // open consent requests, oldest first
}

func newScanState() *scanState { return &scanState{} }

// scanIntent marks the messages scanUpdate handles: the intents of the
// consent dialog and the scanner panel, and the results below.
type scanIntent interface{ ScanIntent() }

// Results of the scan calls.
type (
	scanLoaded struct {
		status  session.ScanStatus
		pending []session.ConsentRequest
	}
	consentLoaded struct {
		status session.ConsentStatus
		err    error
	}
	inspected struct{ loaded scanview.Loaded }
)

func (scanLoaded) ScanIntent()    {}
func (consentLoaded) ScanIntent() {}
func (inspected) ScanIntent()     {}

// loadScan asks the backend for the settings and open requests (a UI that
// starts after the client finds them here).
func (m *Model) loadScan() tea.Cmd {
	be := m.be
	return func() (msg tea.Msg) {
		var r scanLoaded
		var err error
		defer func() { msg = r }()
		defer guard(&err)
		r.status, r.pending = be.ScanStatus(), be.PendingConsent()
		return nil
	}
}

// scanUpdate handles the scan intents and results.
func (m *Model) scanUpdate(msg scanIntent) tea.Cmd {
	switch msg := msg.(type) {
	case scanLoaded:
		m.setScanStatus(msg.status)
		for _, r := range msg.pending {
			m.addConsentRequest(r)
		}
		return m.showConsent(dialog.Grace)
	case consent.Answered:
		m.overlay.Close(consent.ID)
		m.dropConsentRequest(msg.ID)
		accept := msg.Accept
		return tea.Batch(m.call("consent", "", func(ctx context.Context, be session.Backend) error {
			return be.ResolveConsent(ctx, msg.ID, accept)
		}, nil), m.showConsent(dialog.Grace))
	case consent.Later:
		m.overlay.Close(consent.ID)
		return m.status.SetNotice(session.Warning, "consent not given yet: your messages wait; /consent answers (SIMULATION)")
	case consentLoaded:
		if msg.err != nil {
			return m.status.SetNotice(session.Error, "consent: "+msg.err.Error())
		}
		m.overlay.Open(dialog.NewTextBox(m.com, "consent-status", "Consent (SIMULATION)",
			scanview.ConsentLines(m.com.Theme, msg.status)), 0)
	case scanview.StepRequested:
		return m.stepInspector(msg)
	case inspected:
		return m.overlay.Deliver(inspect.ID, msg.loaded)
	}
	return nil
}

// scanEvent routes the backend's scan events.
func (m *Model) scanEvent(ev session.ScanEvent) tea.Cmd {
	switch ev := ev.(type) {
	case session.ScanChanged:
		m.setScanStatus(ev.Status)
	case session.ConsentRequested:
		m.addConsentRequest(ev.Request)
		return m.showConsent(dialog.Grace)
	case session.ConsentClosed:
		return m.consentClosed(ev)
	case session.MessageScanned:
		if c := m.convs[ev.Peer]; c != nil {
			c.SetScan(ev.Verdict)
		}
	}
	return nil
}

func (m *Model) setScanStatus(st session.ScanStatus) {
	m.scan.status = st
	label := st.Mode
	if label == "" {
		label = "off"
	}
	m.status.SetScan(label, st.On)
	m.syncSource()
}

func (m *Model) addConsentRequest(r session.ConsentRequest) {
	if !slices.ContainsFunc(m.scan.pending, func(p session.ConsentRequest) bool { return p.ID == r.ID }) {
		m.scan.pending = append(m.scan.pending, r)
	}
}

func (m *Model) dropConsentRequest(id string) {
	m.scan.pending = slices.DeleteFunc(m.scan.pending, func(p session.ConsentRequest) bool { return p.ID == id })
}

// showConsent opens the dialog for the oldest open request unless one is
// shown. grace is dialog.Grace when it opens by itself.
func (m *Model) showConsent(grace time.Duration) tea.Cmd {
	if len(m.scan.pending) == 0 || m.overlay.Get(consent.ID) != nil {
		return nil
	}
	m.overlay.Open(consent.New(m.com, m.scan.pending[0]), grace)
	return nil
}

func (m *Model) consentClosed(ev session.ConsentClosed) tea.Cmd {
	m.dropConsentRequest(ev.ID)
	if d, ok := m.overlay.Get(consent.ID).(*consent.Dialog); ok && d.Request().ID == ev.ID {
		m.overlay.Close(consent.ID)
	}
	var cmd tea.Cmd
	switch ev.Decision {
	case "accepted":
		cmd = m.status.SetNotice(session.Warning, "accepted: scanning before encryption (/consent to change)")
	case "declined":
		cmd = m.status.SetNotice(session.Warning, "declined: images, videos and links are blocked; text still goes")
	default:
		cmd = m.status.SetNotice(session.Info, "a consent request was withdrawn: its message no longer waits (connection closed)")
	}
	return tea.Batch(cmd, m.showConsent(dialog.Grace))
}

// scanCommand carries out /scan, /consent, /inspect and /baserate.
func (m *Model) scanCommand(a commands.ScanCommand) tea.Cmd {
	set := func(what, ok string, f func(session.Backend) error) tea.Cmd {
		return m.call(what, ok, func(_ context.Context, be session.Backend) error { return f(be) }, nil)
	}
	switch a := a.(type) {
	case commands.ScanShow:
		m.overlay.Open(dialog.NewTextBox(m.com, "scan-status", "scanhook (SIMULATION)",
			scanview.StatusLines(m.com.Theme, m.scan.status, session.ScanModes())), 0)
	case commands.ScanSetMode:
		ok := "scan mode " + a.Mode + " (SIMULATION)"
		if a.Mode == "off" {
			ok = "scanhook off: nothing is scanned"
		}
		return set("/scan mode", ok, func(be session.Backend) error { return be.SetScanMode(a.Mode) })
	case commands.ScanSetSwitch:
		return set("/scan switch", "switch "+a.Switch+" "+onOff(a.On), func(be session.Backend) error { return be.SetScanSwitch(a.Switch, a.On) })
	case commands.ScanSetReading:
		return set("/scan reading", "reading applied", func(be session.Backend) error { return be.SetScanReading(a.Point, a.Reading) })
	case commands.ScanSetThreshold:
		return set("/scan threshold", "PDQ threshold set", func(be session.Backend) error { return be.SetScanThreshold(a.Bits) })
	case commands.ScanSetDihedral:
		return set("/scan dihedral", "dihedral matching "+onOff(a.On), func(be session.Backend) error { return be.SetScanDihedral(a.On) })
	case commands.ScanSetFact:
		return set("/scan fact", "simulated fact "+a.Fact+" "+onOff(a.On), func(be session.Backend) error { return be.SetScanFact(a.Fact, a.On) })
	case commands.ConsentShow:
		if len(m.scan.pending) > 0 {
			return m.showConsent(0) // asked for: no grace
		}
		be := m.be
		return func() (msg tea.Msg) {
			var r consentLoaded
			defer func() { msg = r }()
			defer guard(&r.err)
			ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
			defer cancel()
			r.status, r.err = be.ConsentStatus(ctx)
			return nil
		}
	case commands.ConsentDecide:
		return m.call("/consent", "consent: "+a.Decision+" (SIMULATION; recorded in the audit log)", func(ctx context.Context, be session.Backend) error {
			return be.SetConsent(ctx, a.Decision)
		}, nil)
	case commands.Inspect:
		return m.openInspector(a.Tab, a.N)
	case commands.BaseRate:
		m.overlay.Open(scanview.NewBaseRate(m.com), 0)
	}
	return nil
}

// openInspector shows the three views of our newest message in the chat
// (or, n > 0, of the n-th newest message, received ones too), on tab.
func (m *Model) openInspector(tab string, n int) tea.Cmd {
	c := m.activeConv()
	if c == nil {
		return m.status.SetNotice(session.Warning, "open a chat first: the inspector shows your messages in it")
	}
	if n > 0 {
		return m.inspectNth(c.Peer(), n, tab) // omemo.go
	}
	msg, ok := c.NewestOutgoing()
	if !ok {
		return m.status.SetNotice(session.Warning, "no message of yours in this chat to inspect")
	}
	return m.showInspector(msg, tab)
}

// showInspector opens the inspector on msg: you, the scanner (for our own
// messages: only they pass scanhook) and the server.
func (m *Model) showInspector(msg session.Message, tab string) tea.Cmd {
	if tab == "" {
		tab = scanview.Tab
	}
	panels := []inspect.Panel{wireview.NewYou(m.com, msg)}
	cmds := []tea.Cmd{m.inspectWire(msg)}
	if msg.Direction == session.Outgoing {
		panels = append(panels, scanview.NewPanel(m.com, msg))
		cmds = append(cmds, m.inspectCmd(msg))
	}
	panels = append(panels, wireview.NewServer(m.com, msg))
	m.overlay.Open(inspect.New(m.com, tab, panels...), 0)
	return tea.Batch(cmds...)
}

// stepInspector moves the scanner tab to an older or newer message.
func (m *Model) stepInspector(r scanview.StepRequested) tea.Cmd {
	d, ok := m.overlay.Get(inspect.ID).(*inspect.Dialog)
	c := m.convs[r.Peer]
	if !ok || c == nil {
		return nil
	}
	msg, found := c.OutgoingNear(r.From, r.Older)
	if !found {
		edge := "newest"
		if r.Older {
			edge = "oldest"
		}
		return m.status.SetNotice(session.Info, "this is your "+edge+" message loaded in this chat")
	}
	if p, ok := d.Panel(scanview.Tab).(*scanview.Panel); ok {
		p.Load(msg)
		d.ResetScroll()
	}
	return tea.Batch(m.inspectCmd(msg), m.stepWire(d, msg))
}

func (m *Model) inspectCmd(msg session.Message) tea.Cmd {
	be := m.be
	return func() (out tea.Msg) {
		r := scanview.Loaded{Message: msg}
		defer func() { out = inspected{loaded: r} }()
		defer guard(&r.Err)
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		r.Inspection, r.Err = be.InspectScan(ctx, msg.ID)
		return nil
	}
}

// scanWords are the names the scan commands complete.
func (m *Model) scanWords() commands.ScanWords {
	var w commands.ScanWords
	for _, mode := range session.ScanModes() {
		w.Modes = append(w.Modes, mode.Name)
	}
	w.Switches = session.ScanSwitchNames()
	for _, p := range m.scan.status.Contested {
		w.Points = append(w.Points, p.ID)
	}
	for _, f := range m.scan.status.Facts {
		w.Facts = append(w.Facts, f.Name)
	}
	return w
}

// scanBannerH is the banner's height: one row while scanning is on.
func (m *Model) scanBannerH() int {
	if m.scan.status.On {
		return 1
	}
	return 0
}

// withScanBanner puts the banner above the screen (and above any dialog,
// which never hides it) and moves the cursor down by its height.
func (m *Model) withScanBanner(content string, cursor *tea.Cursor) (string, *tea.Cursor) {
	if m.scanBannerH() == 0 {
		return content, cursor
	}
	if cursor != nil {
		cursor.Position.Y++
	}
	return scanview.Banner(m.scan.status, m.lay.w) + "\n" + content, cursor
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
