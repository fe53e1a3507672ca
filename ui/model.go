package ui

import (
	"context"
	"fmt"
	"os"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/commands"
	"github.com/candor-xmpp/candor/ui/common"
	"github.com/candor-xmpp/candor/ui/compose"
	"github.com/candor-xmpp/candor/ui/console"
	"github.com/candor-xmpp/candor/ui/contacts"
	"github.com/candor-xmpp/candor/ui/conversation"
	"github.com/candor-xmpp/candor/ui/dialog"
	"github.com/candor-xmpp/candor/ui/preview"
	"github.com/candor-xmpp/candor/ui/security"
	"github.com/candor-xmpp/candor/ui/statusbar"
	"github.com/candor-xmpp/candor/ui/theme"
	"github.com/candor-xmpp/candor/ui/transfer"
)

// Model is the root of the program. It owns focus and layout and routes
// every message: global keys first, async results to their owner, the rest
// to the focused component. Components return intents; the root turns them
// into backend calls.
type Model struct {
	be   session.Backend
	opts Options
	com  *common.Common
	reg  *commands.Registry

	sidebar *contacts.Model
	convs   map[string]*conversation.Model
	compose *compose.Model
	status  *statusbar.Model
	console *console.Model
	overlay *dialog.Overlay
	// transfers is the bar of file transfers (files.go).
	transfers *transfer.Model

	focus       focusArea
	consoleOpen bool
	blurred     bool // the terminal window lost focus
	themeMode   theme.Mode

	scan *scanState // scan.go

	loginCancel context.CancelFunc
	loginGen    int
	autoLogin   bool            // the configured account was tried once
	account     session.Account // the account logged in with, or being
	lay         layout
}

// New returns the UI for backend.
func New(backend session.Backend, opts Options) *Model {
	mode := theme.Mode(opts.Theme)
	com := common.New(theme.Resolve(mode, true))
	reg := commands.NewRegistry()
	m := &Model{
		be: backend, opts: opts, com: com, reg: reg, themeMode: mode,
		sidebar: contacts.New(com),
		convs:   map[string]*conversation.Model{},
		compose: compose.New(com, reg),
		status:  statusbar.New(com, opts.ScanMode),
		console: console.New(com),
		overlay: dialog.NewOverlay(com),
		scan:    newScanState(),

		transfers: transfer.New(com),
	}
	com.Previews = preview.NewCache(preview.Choose(opts.Preview, os.Getenv))
	if opts.Account != nil {
		m.account = *opts.Account
		m.status.SetAccount(opts.Account.JID)
	}
	m.compose.Focus()
	return m
}

// Init asks the terminal for its background and loads what the backend
// already knows; on a first run it opens the login dialog.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, m.loadAccount(), m.loadLists(), m.loadScan()}
	if m.opts.Account == nil {
		m.openLogin(dialog.Grace, "")
	}
	return tea.Batch(cmds...)
}

// Update routes one message, then fits the layout to what changed (a
// compose line that grew, a banner that appeared). Panics become a notice:
// the user loses the action, not the program.
func (m *Model) Update(msg tea.Msg) (model tea.Model, cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			m.com.TakeIntents() // the action that panicked is dropped whole
			model = m
			cmd = m.status.SetNotice(session.Error, fmt.Sprintf("internal error, action dropped: %v", r))
		}
	}()
	cmd = m.dispatch(msg)
	// Intents are handled now, before the next key: see common.Emit.
	for intents := m.com.TakeIntents(); len(intents) > 0; intents = m.com.TakeIntents() {
		for _, in := range intents {
			cmd = tea.Batch(cmd, m.dispatch(in))
		}
	}
	return m, tea.Batch(cmd, m.relayout(), m.wantPreviews())
}

// dispatch is the routing table: one delegation per message type.
func (m *Model) dispatch(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return m.resize(msg.Width, msg.Height)
	case tea.BackgroundColorMsg:
		return m.setBackground(msg.IsDark())
	case tea.KeyboardEnhancementsMsg:
		return m.setEnhanced(msg.SupportsKeyDisambiguation())
	case tea.FocusMsg:
		return m.terminalFocus(true)
	case tea.BlurMsg:
		return m.terminalFocus(false)
	case tea.KeyPressMsg:
		return m.routeKey(msg)
	case tea.PasteMsg:
		return m.routePaste(msg)
	case session.Event:
		return m.onEvent(msg)
	case compose.SendRequested:
		return m.send(msg.To, msg.Body)
	case compose.CommandEntered:
		return m.runCommand(msg.Line)
	case compose.ChatStateRequested:
		return m.sendChatState(msg.Peer, msg.State)
	case contacts.OpenRequested:
		return m.openChat(msg.Peer)
	case conversation.LoadRequested:
		return m.loadHistory(msg)
	case conversation.HistoryLoaded:
		return m.historyLoaded(msg)
	case conversation.OlderRequested:
		return m.loadOlder(msg.Peer)
	case conversation.OlderLoaded:
		return m.olderLoaded(msg)
	case dialog.CloseRequested:
		return m.closeDialog(msg.ID)
	case dialog.LoginSubmitted:
		return m.login(msg.Account, true)
	case dialog.LoginCancelled:
		return m.cancelLogin()
	case dialog.SaveChosen:
		return m.saveChosen(msg)
	case dialog.Confirmed:
		return m.confirmed(msg)
	case scanIntent:
		return m.scanUpdate(msg)
	case loginDone:
		return m.loginDone(msg)
	case sendDone:
		return m.sendDone(msg)
	case opDone:
		return m.opDone(msg)
	case listsLoaded:
		return m.listsLoaded(msg)
	case accountLoaded:
		return m.accountLoaded(msg)
	case omemoResult:
		return m.omemoResult(msg)
	case security.TrustRequested, security.PlaintextChosen:
		return m.securityIntent(msg)
	case common.NoticeMsg:
		return m.status.SetNotice(msg.Level, msg.Text)
	case planDone, transferStarted, transfer.PlanRequested, transfer.SendConfirmed, transfer.Expired, preview.Ready:
		return m.fileMsg(msg) // files.go
	case backendClosed:
		return m.status.SetNotice(session.Warning, "the connection to the client core has closed")
	}
	return m.toOwners(msg)
}

// toOwners gives messages the root does not know (components' own timers)
// to the components that may own them; each ignores what is not its own.
func (m *Model) toOwners(msg tea.Msg) tea.Cmd {
	return tea.Batch(m.compose.Update(msg), m.status.Update(msg))
}

// View draws the screen.
func (m *Model) View() (v tea.View) {
	defer func() {
		if r := recover(); r != nil {
			v = tea.NewView(fmt.Sprintf("Candor could not draw the screen (%v). Press ctrl+l to retry, ctrl+c to quit.", r))
			v.AltScreen = true
		}
	}()
	content, cursor := m.render()
	v = tea.NewView(content)
	v.AltScreen = true
	v.ReportFocus = true
	v.Cursor = cursor
	v.WindowTitle = m.windowTitle()
	return v
}
