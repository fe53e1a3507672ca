package scanhook

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

const alice = "alice@example.org"

func belgianPipeline(t *testing.T, asker *Asker, store ConsentStore) *Pipeline {
	return newTestPipeline(t, DefaultSettings().WithMode(ModeBelgium2024), Options{Asker: asker, Consent: store})
}

func imageMessage(t *testing.T, id string) Message {
	return Message{ID: id, Account: alice, Body: "text goes", EndToEndEncrypted: true,
		Attachments: []Attachment{attach("a.png", encodePNG(t, pattern(5, 128, 128)))}}
}

func TestAskAcceptScansTheImage(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	store := NewMemoryConsentStore()
	asker := NewAsker(store, nil)
	reqs := asker.Subscribe(ctx)
	p := belgianPipeline(t, asker, store)
	done := make(chan *Result, 1)
	go func() {
		res, err := p.Check(ctx, imageMessage(t, "m1"))
		if err != nil {
			t.Error(err)
		}
		done <- res
	}()
	req := <-reqs
	if !strings.Contains(req.Question, "accept scanning before encryption, or lose images, videos and links") ||
		req.CreatedAt.IsZero() || !strings.Contains(req.Trigger, "image") || req.AcceptLabel == "" || req.DeclineLabel == "" {
		t.Fatalf("request %+v", req)
	}
	if pending := asker.Pending(); len(pending) != 1 || pending[0].ID != req.ID {
		t.Fatalf("pending %+v", pending)
	}
	if err := asker.Resolve(ctx, req.ID, true); err != nil {
		t.Fatal(err)
	}
	res := <-done
	if !res.Consent.Asked || res.Consent.State != ConsentAccepted || res.Decision.Action == ActionBlock ||
		!onePart(t, res, PartImage).Scanned {
		t.Fatalf("after accept: %+v %+v", res.Consent, res.Decision)
	}
	log, _ := store.ConsentLog(ctx, alice, 0)
	if len(log) != 1 || log[0].Decision != ConsentAccepted || log[0].Via != ViaDialog || log[0].MessageID != "m1" {
		t.Fatalf("audit log %+v", log)
	}
	// Decided: the next image is not asked about.
	if res := check(t, p, imageMessage(t, "m2")); res.Consent.Asked || res.Consent.State != ConsentAccepted {
		t.Fatalf("second message asked again: %+v", res.Consent)
	}
}

func TestDeclineBlocksVisualPartsButTextGoes(t *testing.T) {
	store := NewMemoryConsentStore()
	p := belgianPipeline(t, nil, store)
	if err := p.SetConsent(context.Background(), alice, ConsentDeclined, ViaCommand); err != nil {
		t.Fatal(err)
	}
	// Image and thumbnail blocked, text sent.
	msg := imageMessage(t, "m1")
	msg.Attachments[0].Thumbnails = []string{dataURI("image/png", encodePNG(t, pattern(6, 32, 32)))}
	res := check(t, p, msg)
	if res.Decision.Action != ActionBlock || !res.Decision.SendBody || res.AttachmentAllowed(0) ||
		res.Decision.Rule.ID != RuleConsentBlock || res.Err() == nil {
		t.Fatalf("decision %+v", res.Decision)
	}
	for _, k := range []PartKind{PartImage, PartThumbnail} {
		if part := onePart(t, res, k); !part.Blocked || part.Scanned || !strings.Contains(part.BlockedReason, "no consent") {
			t.Errorf("%s: %+v", k, part)
		}
	}
	var blocked *BlockedError
	if !errors.As(res.Err(), &blocked) || !strings.Contains(blocked.Error(), "SIMULATION") {
		t.Errorf("Err() = %v", res.Err())
	}
	// A link blocks the body: the text cannot go without it.
	res = check(t, p, Message{ID: "m2", Account: alice, Body: "see https://example.org/x", EndToEndEncrypted: true})
	if res.Decision.SendBody || onePart(t, res, PartLink).Scanned {
		t.Fatalf("link without consent: %+v", res.Decision)
	}
	// Plain text needs no consent at all.
	res = check(t, p, Message{ID: "m3", Account: alice, Body: "just words", EndToEndEncrypted: true})
	if res.Consent.Required || res.Decision.Action != ActionAllow || !res.Decision.SendBody {
		t.Fatalf("plain text: %+v %+v", res.Consent, res.Decision)
	}
}

func TestNobodyToAskBlocks(t *testing.T) {
	store := NewMemoryConsentStore()
	asker := NewAsker(store, nil) // nobody subscribed
	res := check(t, belgianPipeline(t, asker, store), imageMessage(t, "m1"))
	if res.Consent.State != ConsentUndecided || res.Consent.Asked || res.AttachmentAllowed(0) ||
		!strings.Contains(res.Consent.Note, "nobody could be asked") {
		t.Fatalf("consent %+v decision %+v", res.Consent, res.Decision)
	}
}

func TestAskEndsWithTheContext(t *testing.T) {
	store := NewMemoryConsentStore()
	asker := NewAsker(store, nil)
	sub, stop := context.WithCancel(context.Background())
	defer stop()
	reqs := asker.Subscribe(sub)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := belgianPipeline(t, asker, store).Check(ctx, imageMessage(t, "m1"))
		errc <- err
	}()
	req := <-reqs
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "m1") {
		t.Fatalf("Check after cancel = %v", err)
	}
	if err := asker.Resolve(context.Background(), req.ID, true); !errors.Is(err, ErrUnknownRequest) {
		t.Errorf("resolving a withdrawn request = %v", err)
	}
	if log, _ := store.ConsentLog(context.Background(), alice, 0); len(log) != 0 {
		t.Errorf("a withdrawn request left audit rows: %+v", log)
	}
}

func TestConcurrentAsksShareOneRequestAndFirstResolverWins(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	store := NewMemoryConsentStore()
	asker := NewAsker(store, nil)
	reqs := asker.Subscribe(ctx)
	base := ConsentRequest{Account: alice, Mode: ModeBelgium2024, Covers: []string{"images"}}
	var wg sync.WaitGroup
	decisions := make([]ConsentState, 3)
	for i := range decisions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, _, err := asker.Ask(ctx, base)
			if err != nil {
				t.Error(err)
			}
			decisions[i] = d
		}()
	}
	req := <-reqs
	// Wait until all three wait on the one request; Pending shows one.
	for {
		asker.mu.Lock()
		n := asker.pending[req.ID].waiters
		asker.mu.Unlock()
		if n == 3 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if len(asker.Pending()) != 1 {
		t.Fatalf("pending %d requests, want 1", len(asker.Pending()))
	}
	results := make(chan error, 2)
	go func() { results <- asker.Resolve(ctx, req.ID, false) }()
	go func() { results <- asker.Resolve(ctx, req.ID, true) }()
	won, lost := 0, 0
	for i := 0; i < 2; i++ {
		if err := <-results; err == nil {
			won++
		} else if errors.Is(err, ErrUnknownRequest) {
			lost++
		}
	}
	wg.Wait()
	if won != 1 || lost != 1 {
		t.Fatalf("won %d lost %d", won, lost)
	}
	for _, d := range decisions[1:] {
		if d != decisions[0] || d == ConsentUndecided {
			t.Fatalf("waiters got different answers: %v", decisions)
		}
	}
	log, _ := store.ConsentLog(ctx, alice, 0)
	if len(log) != 1 || log[0].Decision != decisions[0] {
		t.Fatalf("audit log %+v for decisions %v", log, decisions)
	}
	select {
	case extra := <-reqs:
		t.Fatalf("a second request was published: %+v", extra)
	default:
	}
}

func TestConsentViewAndChange(t *testing.T) {
	ctx := context.Background()
	store := NewMemoryConsentStore()
	p := belgianPipeline(t, nil, store)
	v, err := p.ConsentView(ctx, alice, 0)
	if err != nil || !v.Applies || v.Current.State != ConsentUndecided || len(v.Log) != 0 ||
		!strings.HasPrefix(v.Question, "SIMULATION") {
		t.Fatalf("view %+v, %v", v, err)
	}
	for _, s := range []string{"accept", "decline", "reset"} {
		st, err := ParseConsentState(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.SetConsent(ctx, alice, st, ViaCommand); err != nil {
			t.Fatal(err)
		}
	}
	if v, _ = p.ConsentView(ctx, alice, 2); v.Current.State != ConsentUndecided || len(v.Log) != 2 ||
		v.Log[0].Decision != ConsentUndecided || v.Log[1].Decision != ConsentDeclined {
		t.Fatalf("view after changes %+v", v)
	}
	if _, err := ParseConsentState("perhaps"); err == nil || !strings.Contains(err.Error(), "perhaps") {
		t.Errorf("ParseConsentState error %v", err)
	}
	if err := p.SetMode(ModeCommission2022); err != nil {
		t.Fatal(err)
	}
	if err := p.SetConsent(ctx, alice, ConsentAccepted, ViaCommand); err == nil || !strings.Contains(err.Error(), "no consent") {
		t.Errorf("consent in a mode without consent: %v", err)
	}
}

func TestNoAccountMeansNoConsent(t *testing.T) {
	store := NewMemoryConsentStore()
	asker := NewAsker(store, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reqs := asker.Subscribe(ctx)
	msg := imageMessage(t, "m1")
	msg.Account = ""
	res := check(t, belgianPipeline(t, asker, store), msg)
	if res.Consent.Asked || res.AttachmentAllowed(0) || !strings.Contains(res.Consent.Note, "no account") {
		t.Fatalf("consent %+v decision %+v", res.Consent, res.Decision)
	}
	select {
	case r := <-reqs:
		t.Fatalf("asked without an account: %+v", r)
	default:
	}
}
