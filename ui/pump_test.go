package ui

import (
	"context"
	"io"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
)

// counter records the events it gets, slowly, and quits when the pump says
// the backend closed.
type counter struct{ got []int }

func (c *counter) Init() tea.Cmd { return nil }
func (c *counter) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch m := msg.(type) {
	case session.Notice:
		time.Sleep(50 * time.Microsecond) // a busy UI: the pump must wait, not drop
		c.got = append(c.got, len(m.Text))
	case backendClosed:
		return c, tea.Quit
	}
	return c, nil
}
func (c *counter) View() tea.View { return tea.NewView("") }

func TestPumpDeliversEveryEventInOrder(t *testing.T) {
	const n = 500
	c := &counter{}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p := tea.NewProgram(c, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithoutRenderer(), tea.WithoutSignals())
	events := make(chan session.Event) // unbuffered: the pump is the only buffer
	go func() {
		for i := range n {
			events <- session.Notice{Text: string(make([]byte, i%97))}
		}
		close(events)
	}()
	go Pump(p, events)
	if _, err := p.Run(); err != nil {
		t.Fatal(err)
	}
	if len(c.got) != n {
		t.Fatalf("%d of %d events arrived", len(c.got), n)
	}
	for i, v := range c.got {
		if v != i%97 {
			t.Fatalf("event %d out of order", i)
		}
	}
}
