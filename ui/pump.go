package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
)

// backendClosed tells the model that the event channel was closed.
type backendClosed struct{}

// Pump feeds the backend's events into the program, in order and all of
// them: when the program is busy, it waits rather than drop one. Run it in
// exactly one goroutine:
//
//	go ui.Pump(p, backend.Events())
//
// It returns when the channel is closed (after telling the program) or,
// once the program has exited, when the channel is closed after it.
func Pump(p *tea.Program, events <-chan session.Event) {
	for ev := range events {
		p.Send(ev)
	}
	p.Send(backendClosed{})
}

// Run builds the UI, pumps the backend's events into it and runs it until
// the user quits. The caller closes the backend afterwards.
func Run(ctx context.Context, backend session.Backend, opts Options) error {
	p := tea.NewProgram(New(backend, opts), tea.WithContext(ctx))
	go Pump(p, backend.Events())
	_, err := p.Run()
	return err
}
