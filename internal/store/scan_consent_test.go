package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/scanhook"
)

// demoImage is a small PNG named .bin: an image by its bytes, so that consent
// applies to it.
func demoImage() scanhook.Attachment {
	return scanhook.Attachment{Name: "holiday.bin", Open: openBytes(pngBytes())}
}

func TestConsentFlowOnSQLite(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	path := filepath.Join(t.TempDir(), "acct", "candor.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	asker := scanhook.NewAsker(st, nil)
	p, err := scanhook.New(scanhook.Options{Consent: st, Asker: asker,
		Settings: scanhook.DefaultSettings().WithMode(scanhook.ModeBelgium2024)})
	if err != nil {
		t.Fatal(err)
	}
	requests := asker.Subscribe(ctx)
	const me = "alice@example.org"
	msg := scanhook.Message{ID: "m1", Account: me, Recipients: []string{"bob@example.org"},
		Body: "see the photo", EndToEndEncrypted: true, Attachments: []scanhook.Attachment{demoImage()}}

	// 1. The first image asks; the user declines: the image is blocked, the text goes.
	type outcome struct {
		res *scanhook.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() { r, err := p.Check(ctx, msg); done <- outcome{r, err} }()
	req := <-requests
	if req.Account != me || req.Mode != scanhook.ModeBelgium2024 || req.CreatedAt.IsZero() || req.MessageID != "m1" {
		t.Fatalf("request = %+v", req)
	}
	if req.Question != "SIMULATION: accept scanning before encryption, or lose images, videos and links. Text messages are not affected." {
		t.Errorf("question = %q", req.Question)
	}
	if err := asker.Resolve(ctx, req.ID, false); err != nil {
		t.Fatal(err)
	}
	if err := asker.Resolve(ctx, req.ID, true); !errors.Is(err, scanhook.ErrUnknownRequest) {
		t.Errorf("second Resolve = %v, want ErrUnknownRequest (first resolver wins)", err)
	}
	out := <-done
	if out.err != nil {
		t.Fatal(out.err)
	}
	if out.res.Decision.Action != scanhook.ActionBlock || !out.res.Decision.SendBody ||
		len(out.res.Decision.BlockedAttachments) != 1 || out.res.AttachmentAllowed(0) || !out.res.Consent.Asked {
		t.Fatalf("after decline: decision %+v consent %+v", out.res.Decision, out.res.Consent)
	}

	// 2. Declined is remembered: no second question, still blocked.
	msg.ID = "m2"
	res, err := p.Check(ctx, msg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Consent.Asked || res.Consent.State != scanhook.ConsentDeclined || res.AttachmentAllowed(0) {
		t.Fatalf("second message: consent %+v, attachment allowed %v", res.Consent, res.AttachmentAllowed(0))
	}

	// 3. /consent accept: the image is scanned and sent.
	if err := p.SetConsent(ctx, me, scanhook.ConsentAccepted, scanhook.ViaCommand); err != nil {
		t.Fatal(err)
	}
	msg.ID = "m3"
	if res, err = p.Check(ctx, msg); err != nil {
		t.Fatal(err)
	}
	if res.Decision.Action == scanhook.ActionBlock || !res.AttachmentAllowed(0) || !res.ScannedBeforeEncryption {
		t.Fatalf("after accept: %+v", res.Decision)
	}

	// 4. The audit log survives a reopen of the real SQLite file.
	st.Close()
	st2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	log, err := st2.ConsentLog(ctx, me, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 {
		t.Fatalf("audit log has %d rows, want 2: %+v", len(log), log)
	}
	newest, oldest := log[0], log[1]
	if oldest.Decision != scanhook.ConsentDeclined || oldest.Via != scanhook.ViaDialog || oldest.RequestID != req.ID ||
		oldest.MessageID != "m1" || oldest.Mode != scanhook.ModeBelgium2024 || oldest.Question != req.Question ||
		len(oldest.Covers) != 3 || oldest.At.IsZero() {
		t.Errorf("declined row = %+v", oldest)
	}
	if newest.Decision != scanhook.ConsentAccepted || newest.Via != scanhook.ViaCommand {
		t.Errorf("accepted row = %+v", newest)
	}
	rec, err := st2.Consent(ctx, me, scanhook.ModeBelgium2024)
	if err != nil || rec.State != scanhook.ConsentAccepted {
		t.Errorf("consent after reopen = %+v, %v", rec, err)
	}
	other, err := st2.Consent(ctx, me, scanhook.ModeDenmark2025)
	if err != nil || other.State != scanhook.ConsentUndecided {
		t.Errorf("consent under another mode = %+v, %v; consent must be per mode", other, err)
	}
}

func TestRecordConsentRejectsBadEvents(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	good := scanhook.ConsentEvent{At: time.Now(), Account: "a@example.org", Mode: scanhook.ModeBelgium2024,
		Decision: scanhook.ConsentAccepted, Via: scanhook.ViaCommand}
	for name, ev := range map[string]scanhook.ConsentEvent{
		"no account":   func() scanhook.ConsentEvent { e := good; e.Account = ""; return e }(),
		"bad mode":     func() scanhook.ConsentEvent { e := good; e.Mode = "nope"; return e }(),
		"bad decision": func() scanhook.ConsentEvent { e := good; e.Decision = "maybe"; return e }(),
		"no time":      func() scanhook.ConsentEvent { e := good; e.At = time.Time{}; return e }(),
	} {
		if err := st.RecordConsent(ctx, ev); err == nil {
			t.Errorf("%s: recorded", name)
		}
	}
	log, err := st.ConsentLog(ctx, "a@example.org", 0)
	if err != nil || len(log) != 0 {
		t.Errorf("log after refusals = %v, %v", log, err)
	}
}
