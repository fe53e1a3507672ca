package ui

import (
	"context"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/commands"
	"github.com/candor-xmpp/candor/ui/dialog"
	"github.com/candor-xmpp/candor/ui/preview"
	"github.com/candor-xmpp/candor/ui/transfer"
)

// The root's part in file sharing: the file commands, the confirmation
// dialog, transfer and file events, previews for what is on screen.

// Results of the file calls.
type (
	planDone struct {
		plan   session.FilePlan
		err    error
		dialog bool // open the dialog (else: deliver to the open one)
	}
	transferStarted struct {
		t   session.Transfer
		err error
		// what names the file for a failed start.
		what string
	}
)

// fileCommand carries out the file commands; others return nil.
func (m *Model) fileCommand(act commands.Action) tea.Cmd {
	peer := m.sidebar.Active()
	switch a := act.(type) {
	case commands.SendFile:
		if peer == "" {
			return m.status.SetNotice(session.Warning, "no chat open: open one, then /send PATH")
		}
		return m.prepareFile(session.FileRequest{To: peer, Path: a.Path}, true)
	case commands.CancelTransfer:
		return m.cancelTransfer(a.ID)
	case commands.DownloadFile:
		return m.downloadFile(a.ID)
	case commands.OpenFile:
		return m.openFile(a.ID)
	}
	return nil
}

func (m *Model) prepareFile(req session.FileRequest, openDialog bool) tea.Cmd {
	be := m.be
	return func() (msg tea.Msg) {
		r := planDone{dialog: openDialog}
		defer func() { msg = r }()
		defer guard(&r.err)
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		r.plan, r.err = be.PrepareFile(ctx, req)
		return nil
	}
}

func (m *Model) planDone(r planDone) tea.Cmd {
	if !r.dialog {
		return m.overlay.Deliver(transfer.ConfirmID, transfer.PlanReady{Plan: r.plan, Err: r.err})
	}
	if r.err != nil {
		return m.status.SetNotice(session.Error, "not sent: "+r.err.Error())
	}
	m.overlay.Open(transfer.NewConfirm(m.com, r.plan), 0)
	return nil
}

// fileMsg routes the messages of file sharing.
func (m *Model) fileMsg(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case planDone:
		return m.planDone(msg)
	case transfer.PlanRequested:
		return m.prepareFile(msg.Req, false)
	case transfer.SendConfirmed:
		return m.startTransfer("send "+msg.Req.Path, func(ctx context.Context, be session.Backend) (session.Transfer, error) {
			return be.SendFile(ctx, msg.Req)
		})
	case transferStarted:
		if msg.err != nil {
			return m.status.SetNotice(session.Error, msg.what+": "+msg.err.Error())
		}
		return m.transferUpdated(msg.t)
	case transfer.Expired:
		m.transfers.Expire(msg)
	case preview.Ready:
		cmd := m.com.Previews.Store(msg)
		for _, c := range m.convs {
			c.PreviewReady(msg.Key.Path)
		}
		return cmd
	}
	return nil
}

func (m *Model) startTransfer(what string, f func(context.Context, session.Backend) (session.Transfer, error)) tea.Cmd {
	be := m.be
	return func() (msg tea.Msg) {
		r := transferStarted{what: what}
		defer func() { msg = r }()
		defer guard(&r.err)
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		r.t, r.err = f(ctx, be)
		return nil
	}
}

// transferUpdated shows a transfer's progress (the bar ignores stale
// news) and marks a file being downloaded in its chat.
func (m *Model) transferUpdated(t session.Transfer) tea.Cmd {
	cmd := m.transfers.Set(t)
	if cur, ok := m.transfers.Get(t.ID); !ok || cur.State != t.State {
		return cmd // stale
	}
	if t.MessageID != 0 && !t.Upload {
		if c := m.convs[t.Peer]; c != nil {
			c.SetDownloading(t.MessageID, !t.State.Ended())
		}
	}
	return cmd
}

func (m *Model) fileUpdated(ev session.FileUpdated) tea.Cmd {
	if c := m.convs[ev.Peer]; c != nil {
		c.SetFile(ev.MessageID, ev.File)
	}
	return nil
}

// wantPreviews asks for the previews the open chat shows and lacks.
func (m *Model) wantPreviews() tea.Cmd {
	c := m.activeConv()
	if c == nil || m.com.Previews == nil {
		return nil
	}
	var cmds []tea.Cmd
	for _, k := range c.Previews() {
		cmds = append(cmds, m.com.Previews.Request(k))
	}
	return tea.Batch(cmds...)
}

func (m *Model) cancelTransfer(id int64) tea.Cmd {
	if id == 0 {
		t, ok := m.transfers.Newest()
		if !ok {
			return m.status.SetNotice(session.Warning, "no transfer to cancel")
		}
		id = t.ID
	}
	return m.call("cancel", "", func(ctx context.Context, be session.Backend) error { return be.CancelTransfer(id) }, nil)
}

// fileTarget finds message id's file in the open chat, or the newest that
// match when id is 0.
func (m *Model) fileTarget(id int64, match func(session.Message) bool, none string) (session.Message, tea.Cmd) {
	c := m.activeConv()
	if c == nil {
		return session.Message{}, m.status.SetNotice(session.Warning, "no chat open")
	}
	if id != 0 {
		msg, ok := c.Message(id)
		if !ok || msg.File == nil {
			return session.Message{}, m.status.SetNotice(session.Warning, "no file #"+strconv.FormatInt(id, 10)+" in this chat")
		}
		return msg, nil
	}
	msg, ok := c.NewestFile(match)
	if !ok {
		return session.Message{}, m.status.SetNotice(session.Warning, none)
	}
	return msg, nil
}

func (m *Model) downloadFile(id int64) tea.Cmd {
	msg, cmd := m.fileTarget(id, func(msg session.Message) bool {
		return msg.File.State != session.FileLocal && msg.Direction == session.Incoming
	}, "no file to download in this chat")
	if cmd != nil {
		return cmd
	}
	return m.startTransfer("download "+msg.File.Name, func(ctx context.Context, be session.Backend) (session.Transfer, error) {
		return be.DownloadFile(ctx, msg.ID)
	})
}

func (m *Model) openFile(id int64) tea.Cmd {
	msg, cmd := m.fileTarget(id, func(msg session.Message) bool { return msg.File.State == session.FileLocal },
		"no downloaded file in this chat: /download first")
	if cmd != nil {
		return cmd
	}
	return m.call("open "+msg.File.Name, "opened "+msg.File.Name+" with your viewer", func(ctx context.Context, be session.Backend) error {
		return be.OpenFile(ctx, msg.ID)
	}, nil)
}

// fileKey handles the file keys of the conversation pane.
func (m *Model) fileKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.com.Keys
	switch {
	case key.Matches(msg, k.Download):
		return m.downloadFile(0), true
	case key.Matches(msg, k.OpenFile):
		return m.openFile(0), true
	}
	return nil, false
}

// escCancels reports whether esc should stop the newest transfer: compose
// has the keyboard, is empty, and something is under way.
func (m *Model) escCancels() bool {
	return m.focus == focusCompose && m.compose.Empty() && m.transfers.Active() && !m.overlay.Active()
}

var _ dialog.Dialog = (*transfer.Confirm)(nil)
