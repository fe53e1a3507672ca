package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/candor-xmpp/candor/internal/config"
	"github.com/candor-xmpp/candor/session"
)

// runSend sends one message and waits until the server has it.
func runSend(ctx context.Context, env *environment, args []string) error {
	var c common
	fs := newFlagSet(env, "send", "JID [MESSAGE] | --file PATH [--plaintext] JID", &c)
	timeout := fs.Duration("timeout", 30*time.Second, "how long to wait for the server to take the message")
	file := fs.String("file", "", "send this file (encrypted, XEP-0454) instead of a message")
	padSize := fs.Bool("pad-size", false, "with --file: pad the encrypted upload to a size class (images, PDFs and MP4 videos; as pad_size under [files])")
	plaintext := fs.Bool("plaintext", false, "send unencrypted: a message to a contact without OMEMO (by default messages are OMEMO encrypted, and not sent when that is impossible); with --file, an upload without encryption (only to a contact without OMEMO)")
	scanFlag := scanModeFlag(fs)
	consent := fs.String("consent", "", "scanhook SIMULATION: accept or decline scanning before encryption (recorded, with the audit log); without it the stored decision holds, and images, videos and links need one")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := consentFlag(*consent); err != nil {
		return err
	}
	if fs.NArg() < 1 || *file != "" && fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	to := fs.Arg(0)
	if *file != "" {
		cfg, err := c.load()
		if err != nil {
			return err
		}
		mode, err := scanMode(cfg, *scanFlag)
		if err != nil {
			return err
		}
		setup := func(_ *config.Config, client *session.Client, acct session.Account) error {
			if err := applyScanMode(client, mode); err != nil {
				return err
			}
			return applyConsent(ctx, client, acct, *consent)
		}
		return runSendFile(ctx, env, &c, session.FileRequest{To: to, Path: *file, Plaintext: *plaintext, PadSize: *padSize}, *timeout, setup)
	}
	body := strings.Join(fs.Args()[1:], " ")
	if fs.NArg() == 1 {
		var err error
		if body, err = readMessage(env.stdin); err != nil {
			return err
		}
	}
	if strings.TrimSpace(body) == "" {
		return errors.New("empty message: give it as an argument or on stdin")
	}

	// The mode is checked before a password may be asked for.
	cfg, err := c.load()
	if err != nil {
		return err
	}
	mode, err := scanMode(cfg, *scanFlag)
	if err != nil {
		return err
	}
	client, _, err := c.login(ctx, env, func(_ *config.Config, client *session.Client, acct session.Account) error {
		if err := applyScanMode(client, mode); err != nil {
			return err
		}
		return applyConsent(ctx, client, acct, *consent)
	})
	if err != nil {
		return err
	}
	defer client.Close()
	msg, err := client.Send(ctx, session.SendRequest{To: to, Body: body, Plaintext: *plaintext})
	if err != nil {
		return err
	}
	return waitSent(ctx, client.Events(), msg.ID, *timeout)
}

// waitSent waits for the message's state to reach the server.
func waitSent(ctx context.Context, events <-chan session.Event, id int64, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return fmt.Errorf("the server did not take the message within %v; it stays queued and goes out at the next login", timeout)
			}
			return errors.New("interrupted; the message stays queued and goes out at the next login")
		case ev, ok := <-events:
			if !ok {
				return errors.New("the connection closed before the message was sent")
			}
			switch ev := ev.(type) {
			case session.MessageUpdated:
				if ev.ID != id {
					continue
				}
				switch ev.State {
				case session.Sent, session.Delivered:
					return nil
				case session.Failed:
					return notSent(ev.Err)
				}
			case session.ConnectionChanged:
				if ev.State == session.GaveUp {
					return fmt.Errorf("connection lost: %s", ev.Err)
				}
			}
		}
	}
}

// notSent explains a failed message; a block for want of consent says how
// a headless command gives it.
func notSent(reason string) error {
	reason = strings.TrimPrefix(reason, "not sent: ")
	if strings.Contains(reason, "no OMEMO device") {
		reason = strings.TrimSuffix(reason, ": confirm to send it unencrypted")
		return hinted{fmt.Errorf("not sent: %s", reason), "Nothing was sent. Run again with --plaintext to send it unencrypted."}
	}
	err := fmt.Errorf("not sent: %s", reason)
	if strings.Contains(reason, "rule consent-block") {
		return hinted{err, "Images, videos and links need a decision on scanning in this mode: add --consent accept or --consent decline (SIMULATION)."}
	}
	return err
}

// hinted is an error with advice for the next line.
type hinted struct {
	error
	hint string
}

func (h hinted) Hint() string { return h.hint }
