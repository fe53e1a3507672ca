package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/candor-xmpp/candor/internal/config"
	"github.com/candor-xmpp/candor/session"
)

// runSendFile uploads one file and sends its link: the leak report before
// and after, progress on stderr, an interrupt cancels (nothing is sent).
func runSendFile(ctx context.Context, env *environment, c *common, req session.FileRequest, timeout time.Duration,
	setup func(*config.Config, *session.Client, session.Account) error) error {
	client, _, err := c.login(ctx, env, setup)
	if err != nil {
		return err
	}
	defer client.Close()
	plan, err := client.PrepareFile(ctx, req)
	if err != nil {
		return err
	}
	how := "encrypted (XEP-0454, AES-256-GCM)"
	if !plan.Encrypted {
		how = "NOT encrypted (--plaintext)"
	}
	fmt.Fprintf(env.stderr, "candor: sending %s (%s, %s) to %s via %s, %s\n", plan.Name, session.HumanSize(plan.Size), plan.MediaType, plan.To, plan.Service, how)
	printLeak(env.stderr, "before the upload", plan.Leak)

	tr, err := client.SendFile(ctx, req)
	if err != nil {
		return err
	}
	prog := newProgress(env.stderr)
	msgID := int64(0)
	states := map[int64]session.DeliveryState{}
	var deadline <-chan time.Time
	cancelled := false
	for {
		select {
		case <-ctx.Done():
			if !cancelled {
				cancelled = true
				client.CancelTransfer(tr.ID)
			}
			if msgID != 0 {
				return errors.New("interrupted; the message stays queued and goes out at the next login")
			}
			ctx = context.Background() // wait for the transfer to end
		case <-deadline:
			return fmt.Errorf("uploaded, but the server did not take the message within %v; it stays queued and goes out at the next login", timeout)
		case ev, ok := <-client.Events():
			if !ok {
				return errors.New("the client stopped")
			}
			switch ev := ev.(type) {
			case session.TransferUpdated:
				t := ev.Transfer
				if t.ID != tr.ID {
					continue
				}
				switch t.State {
				case session.TransferFailed:
					prog.end()
					return fmt.Errorf("%s not sent: %s", plan.Name, t.Err)
				case session.TransferCancelled:
					prog.end()
					return fmt.Errorf("%s not sent: %s; nothing was uploaded or sent", plan.Name, t.Err)
				case session.TransferFinished:
					prog.update(t)
					prog.end()
					msgID = t.MessageID
					if t.Leak != nil {
						printLeak(env.stderr, "after the upload", *t.Leak)
					}
					deadline = time.After(timeout)
				default:
					prog.update(t)
				}
			case session.MessageUpdated:
				states[ev.ID] = ev.State
				if ev.State == session.Failed && ev.ID == msgID {
					return fmt.Errorf("uploaded, but the message was not sent: %s", ev.Err)
				}
			case session.ConnectionChanged:
				if ev.State == session.GaveUp {
					return fmt.Errorf("connection lost: %s", ev.Err)
				}
			}
			if s, ok := states[msgID]; msgID != 0 && ok && (s == session.Sent || s == session.Delivered) {
				fmt.Fprintf(env.stderr, "candor: %s sent to %s\n", plan.Name, plan.To)
				return nil
			}
		}
	}
}

func printLeak(w io.Writer, when string, l session.UploadLeak) {
	learns, private := l.Lines()
	fmt.Fprintf(w, "candor: what the upload server learns (%s):\n", when)
	for _, s := range learns {
		fmt.Fprintf(w, "  - %s\n", s)
	}
	fmt.Fprintln(w, "candor: what stays private:")
	for _, s := range private {
		fmt.Fprintf(w, "  - %s\n", s)
	}
}

// progress prints a transfer's progress: redrawn in place on a terminal,
// else a line every tenth.
type progress struct {
	w      io.Writer
	tty    bool
	last   int // tenths printed
	drawn  bool
	lastAt time.Time
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, last: -1}
	if f, ok := w.(*os.File); ok {
		p.tty = term.IsTerminal(f.Fd())
	}
	return p
}

func (p *progress) update(t session.Transfer) {
	line := progressLine(t)
	if p.tty {
		if time.Since(p.lastAt) < 100*time.Millisecond && t.State != session.TransferFinished {
			return
		}
		p.lastAt = time.Now()
		fmt.Fprintf(p.w, "\r\x1b[K%s", line)
		p.drawn = true
		return
	}
	tenth := 0
	if t.Total > 0 {
		tenth = int(t.Done * 10 / t.Total)
	}
	if tenth > p.last {
		p.last = tenth
		fmt.Fprintln(p.w, line)
	}
}

func (p *progress) end() {
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}

// progressLine is "candor: uploading photo.png   42%  1.2 MiB/2.9 MiB  3.4 MiB/s  1s left".
func progressLine(t session.Transfer) string {
	verb := "downloading"
	if t.Upload {
		verb = "uploading"
	}
	return "candor: " + verb + " " + t.Name + "  " + t.Progress()
}
