package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/candor-xmpp/candor/session"
)

// runListen prints incoming messages until interrupted.
func runListen(ctx context.Context, env *environment, args []string) error {
	var c common
	fs := newFlagSet(env, "listen", "[--json]", &c)
	asJSON := fs.Bool("json", false, "print one JSON object per message and line")
	download := fs.Bool("download", false, "download every file that arrives, and print its message once it is saved (or failed)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	c.noAutoDownload = *download
	client, acct, err := c.login(ctx, env, nil)
	if err != nil {
		return err
	}
	defer client.Close()
	fmt.Fprintf(env.stderr, "candor: listening as %s; interrupt to stop\n", acct.JID)

	emit := printText
	if *asJSON {
		emit = printJSON
	}
	files := newFileWaiter(client, *download)
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-client.Events():
			if !ok {
				return errors.New("the client stopped")
			}
			switch ev := ev.(type) {
			case session.MessageAdded:
				if ev.Message.Direction == session.Incoming && !files.hold(ctx, ev.Message) {
					if err := emit(env.stdout, ev.Message, inspectIncoming(ctx, client, ev.Message)); err != nil {
						return err
					}
				}
			case session.FileUpdated:
				if m, ok := files.release(ev); ok {
					if err := emit(env.stdout, m, inspectIncoming(ctx, client, m)); err != nil {
						return err
					}
				}
			case session.ConnectionChanged:
				switch ev.State {
				case session.Reconnecting:
					fmt.Fprintf(env.stderr, "candor: connection lost (%s); next try at %s\n", ev.Err, ev.NextRetry.Format(time.TimeOnly))
				case session.Online:
					fmt.Fprintln(env.stderr, "candor: online")
				case session.GaveUp:
					return fmt.Errorf("connection lost: %s", ev.Err)
				}
			}
		}
	}
}

// listenedMessage is the JSON form of one incoming message (one per line).
type listenedMessage struct {
	ID         int64         `json:"id"`
	Time       time.Time     `json:"time"`
	From       string        `json:"from"`
	Resource   string        `json:"resource,omitempty"`
	Body       string        `json:"body"`
	OriginID   string        `json:"origin_id,omitempty"`
	StanzaID   string        `json:"stanza_id,omitempty"`
	Source     string        `json:"source"`
	Encryption string        `json:"encryption"`
	DeviceID   uint32        `json:"device_id,omitempty"`
	Trusted    *bool         `json:"trusted,omitempty"`
	File       *listenedFile `json:"file,omitempty"`
	// Trust is the sending device's trust: verified, blind, undecided.
	Trust string `json:"trust,omitempty"`
	// Error says why an encrypted message could not be decrypted (Body
	// then says so too).
	Error string `json:"error,omitempty"`
}

func printJSON(w io.Writer, m session.Message, in session.Inspection) error {
	out := listenedMessage{
		ID: m.ID, Time: m.Time, From: m.Peer, Resource: m.Resource, Body: session.RedactLinks(m.Body),
		OriginID: m.OriginID, StanzaID: m.StanzaID,
		Source: sourceName(m.Source), Encryption: encryptionName(m.Encryption.Scheme),
		File: fileJSON(m.File),
	}
	if m.Encryption.Scheme != session.Plaintext {
		trusted := m.Encryption.Trusted
		out.DeviceID, out.Trusted = m.Encryption.DeviceID, &trusted
		out.Trust, out.Error = string(in.Trust), in.Note
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

func printText(w io.Writer, m session.Message, _ session.Inspection) error {
	_, err := fmt.Fprintf(w, "%s %s: %s\n", m.Time.Local().Format("2006-01-02 15:04"), m.Peer, textBody(m))
	return err
}

func sourceName(s session.Source) string {
	switch s {
	case session.Carbon:
		return "carbon"
	case session.Archive:
		return "archive"
	}
	return "live"
}

func encryptionName(s session.Scheme) string {
	if s == session.Plaintext {
		return "plaintext"
	}
	return string(s)
}

// inspectIncoming reads the sending device's trust and, for a message that
// did not decrypt, why (nothing for plaintext).
func inspectIncoming(ctx context.Context, client *session.Client, m session.Message) session.Inspection {
	if m.Encryption.Scheme == session.Plaintext {
		return session.Inspection{}
	}
	in, _ := client.Inspect(ctx, m.ID)
	return in
}
