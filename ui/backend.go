package ui

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/conversation"
)

// How long a backend call may take before the UI gives up on it.
const (
	callTimeout  = 30 * time.Second
	loginTimeout = 2 * time.Minute
	// olderTimeout leaves the backend's own request timeout (30s) the
	// first word, with its clearer error.
	olderTimeout = time.Minute
)

// Results of backend calls, each delivered back to Update.
type (
	// opDone ends a call whose only result is an error. then runs in
	// Update on success.
	opDone struct {
		what string
		err  error
		ok   string // notice on success, "" for none
		then func(*Model) tea.Cmd
	}
	sendDone struct {
		req session.SendRequest
		msg session.Message
		err error
	}
	loginDone struct {
		gen        int // which attempt; older ones are ignored
		acct       session.Account
		fromDialog bool
		err        error
	}
	listsLoaded struct {
		contacts []session.Contact
		convs    []session.Conversation
		requests []session.SubscriptionRequested
		err      error
	}
	accountLoaded struct{ info session.AccountInfo }
)

// guard turns a panic in a backend call into an error, so that it reaches
// the user as a notice instead of ending the program.
func guard(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("internal error: %v", r)
	}
}

// call runs f off the UI loop with a timeout and reports through opDone.
func (m *Model) call(what, ok string, f func(context.Context, session.Backend) error, then func(*Model) tea.Cmd) tea.Cmd {
	be := m.be
	return func() (msg tea.Msg) {
		var err error
		defer func() { msg = opDone{what: what, err: err, ok: ok, then: then} }()
		defer guard(&err)
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		err = f(ctx, be)
		return nil
	}
}

func (m *Model) loadLists() tea.Cmd {
	be := m.be
	return func() (msg tea.Msg) {
		var r listsLoaded
		defer func() { msg = r }()
		defer guard(&r.err)
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		r.contacts = be.Contacts()
		r.requests = be.PendingSubscriptions()
		r.convs, r.err = be.Conversations(ctx)
		return nil
	}
}

func (m *Model) loadAccount() tea.Cmd {
	be := m.be
	return func() (msg tea.Msg) {
		var r accountLoaded
		var err error
		defer func() { msg = r }()
		defer guard(&err)
		r.info = be.Account()
		return nil
	}
}

func (m *Model) loadHistory(req conversation.LoadRequested) tea.Cmd {
	be := m.be
	return func() (msg tea.Msg) {
		r := conversation.HistoryLoaded{Peer: req.Peer, Req: req.Req}
		defer func() { msg = r }()
		defer guard(&r.Err)
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		r.Msgs, r.Err = be.History(ctx, req.Peer, req.Before, req.Limit)
		if r.Err == nil {
			// The scan badges of our messages (scanhook).
			var ids []int64
			for _, msg := range r.Msgs {
				if msg.Direction == session.Outgoing {
					ids = append(ids, msg.ID)
				}
			}
			if len(ids) > 0 {
				if r.Scans, r.Err = be.ScanVerdicts(ctx, ids); r.Err != nil {
					r.Err = fmt.Errorf("scan verdicts: %w", r.Err)
				}
			}
		}
		return nil
	}
}

// loadOlder asks the server's archive for peer's older messages.
func (m *Model) loadOlder(peer string) tea.Cmd {
	be := m.be
	return func() (msg tea.Msg) {
		r := conversation.OlderLoaded{Peer: peer}
		defer func() { msg = r }()
		defer guard(&r.Err)
		ctx, cancel := context.WithTimeout(context.Background(), olderTimeout)
		defer cancel()
		res, err := be.LoadOlder(ctx, peer)
		r.Added, r.Complete, r.Err = res.Added, res.Complete, err
		return nil
	}
}

func (m *Model) sendCmd(req session.SendRequest) tea.Cmd {
	be := m.be
	return func() (msg tea.Msg) {
		r := sendDone{req: req}
		defer func() { msg = r }()
		defer guard(&r.err)
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		r.msg, r.err = be.Send(ctx, req)
		return nil
	}
}

func (m *Model) loginCmd(ctx context.Context, gen int, acct session.Account, fromDialog bool) tea.Cmd {
	be := m.be
	return func() (msg tea.Msg) {
		r := loginDone{gen: gen, acct: acct, fromDialog: fromDialog}
		defer func() { msg = r }()
		defer guard(&r.err)
		r.err = be.Login(ctx, acct)
		return nil
	}
}

func (m *Model) sendChatState(peer string, state session.ChatState) tea.Cmd {
	// Chat states are a courtesy: failures are not worth a notice.
	be := m.be
	return func() tea.Msg {
		var err error
		defer guard(&err)
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		_ = be.SendChatState(ctx, peer, state)
		return nil
	}
}

func (m *Model) markRead(peer string) tea.Cmd {
	return m.call("mark read", "", func(ctx context.Context, be session.Backend) error {
		return be.MarkRead(ctx, peer)
	}, nil)
}
