package scanhook

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// ConsentState is a user's decision on scanning under one mode.
type ConsentState string

const (
	ConsentUndecided ConsentState = "undecided"
	ConsentAccepted  ConsentState = "accepted"
	ConsentDeclined  ConsentState = "declined"
	// ConsentNotRequired appears only in results: the message needed no
	// decision (no consent mode, or nothing consent covers).
	ConsentNotRequired ConsentState = "not-required"
)

// ParseConsentState reads accept/accepted/yes, decline/declined/no, or
// reset/undecided.
func ParseConsentState(s string) (ConsentState, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "accept", "accepted", "yes":
		return ConsentAccepted, nil
	case "decline", "declined", "no", "refuse":
		return ConsentDeclined, nil
	case "reset", "undecided", "ask":
		return ConsentUndecided, nil
	}
	return "", fmt.Errorf("unknown consent decision %q: use accept, decline or reset", s)
}

// ConsentVia says how a decision was made.
type ConsentVia string

const (
	ViaDialog  ConsentVia = "dialog"  // the user answered a consent request
	ViaCommand ConsentVia = "command" // the user typed /consent
	ViaConfig  ConsentVia = "config"  // set by configuration or a headless flag
)

// ConsentRecord is the decision in effect for an account under a mode.
type ConsentRecord struct {
	Account   string       `json:"account"`
	Mode      ModeName     `json:"mode"`
	State     ConsentState `json:"state"`
	Covers    []string     `json:"covers,omitempty"`
	DecidedAt time.Time    `json:"decided_at"`
	Via       ConsentVia   `json:"via,omitempty"`
}

// ConsentEvent is one row of the consent audit log: every decision, with
// what it covered and what the user was shown.
type ConsentEvent struct {
	At        time.Time    `json:"at"`
	Account   string       `json:"account"`
	Mode      ModeName     `json:"mode"`
	Decision  ConsentState `json:"decision"`
	Covers    []string     `json:"covers,omitempty"`
	Via       ConsentVia   `json:"via"`
	RequestID string       `json:"request_id,omitempty"`
	MessageID string       `json:"message_id,omitempty"`
	// Question is the text the user answered.
	Question string `json:"question,omitempty"`
}

// ConsentStore keeps consent per account and mode, and the audit log.
// internal/store implements it on SQLite; MemoryConsentStore in memory.
type ConsentStore interface {
	// Consent returns the decision in effect; State is ConsentUndecided
	// when there is none.
	Consent(ctx context.Context, account string, mode ModeName) (ConsentRecord, error)
	// RecordConsent sets the decision in effect and appends ev to the audit
	// log, in one transaction.
	RecordConsent(ctx context.Context, ev ConsentEvent) error
	// ConsentLog returns up to limit audit rows of the account, newest first.
	ConsentLog(ctx context.Context, account string, limit int) ([]ConsentEvent, error)
}

// ValidateConsentEvent checks an event before a store records it.
func ValidateConsentEvent(ev ConsentEvent) error {
	if ev.Account == "" {
		return fmt.Errorf("consent event: no account")
	}
	if _, err := Lookup(ev.Mode); err != nil {
		return fmt.Errorf("consent event: %w", err)
	}
	switch ev.Decision {
	case ConsentAccepted, ConsentDeclined, ConsentUndecided:
	default:
		return fmt.Errorf("consent event: unknown decision %q", ev.Decision)
	}
	switch ev.Via {
	case ViaDialog, ViaCommand, ViaConfig:
	default:
		return fmt.Errorf("consent event: unknown origin %q", ev.Via)
	}
	if ev.At.IsZero() {
		return fmt.Errorf("consent event: no time")
	}
	return nil
}

// MemoryConsentStore is a ConsentStore in memory, for headless runs
// (`candor scan`) that keep no database.
type MemoryConsentStore struct {
	mu    sync.Mutex
	state map[string]ConsentRecord
	log   []ConsentEvent
}

// NewMemoryConsentStore returns an empty store.
func NewMemoryConsentStore() *MemoryConsentStore {
	return &MemoryConsentStore{state: map[string]ConsentRecord{}}
}

func consentKey(account string, mode ModeName) string { return account + "\x00" + string(mode) }

// Consent implements ConsentStore.
func (s *MemoryConsentStore) Consent(_ context.Context, account string, mode ModeName) (ConsentRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.state[consentKey(account, mode)]; ok {
		r.Covers = append([]string(nil), r.Covers...)
		return r, nil
	}
	return ConsentRecord{Account: account, Mode: mode, State: ConsentUndecided}, nil
}

// RecordConsent implements ConsentStore.
func (s *MemoryConsentStore) RecordConsent(_ context.Context, ev ConsentEvent) error {
	if err := ValidateConsentEvent(ev); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ev.Covers = append([]string(nil), ev.Covers...)
	s.state[consentKey(ev.Account, ev.Mode)] = ConsentRecord{Account: ev.Account, Mode: ev.Mode,
		State: ev.Decision, Covers: ev.Covers, DecidedAt: ev.At, Via: ev.Via}
	s.log = append(s.log, ev)
	return nil
}

// ConsentLog implements ConsentStore.
func (s *MemoryConsentStore) ConsentLog(_ context.Context, account string, limit int) ([]ConsentEvent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ConsentEvent
	for i := len(s.log) - 1; i >= 0 && (limit <= 0 || len(out) < limit); i-- {
		if s.log[i].Account == account {
			out = append(out, s.log[i])
		}
	}
	return out, nil
}

// consentCovers names what a mode's consent is about under the settings.
func consentCovers(m Mode, s Settings) []string {
	covers := []string{"images", "videos"}
	if s.On(m, SwitchConsentLinks) {
		covers = append(covers, "links")
	}
	return covers
}

// ConsentQuestion states the choice plainly, as the dialog must show it.
func ConsentQuestion(covers []string) string {
	return "SIMULATION: accept scanning before encryption, or lose " + joinAnd(covers) +
		". Text messages are not affected."
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// ConsentView is what `/consent` shows.
type ConsentView struct {
	Simulation string      `json:"simulation"`
	Account    string      `json:"account"`
	Mode       ModeName    `json:"mode"`
	Rule       ConsentRule `json:"rule"`
	// Applies is set when the mode, as switched, asks for consent.
	Applies  bool           `json:"applies"`
	Covers   []string       `json:"covers,omitempty"`
	Question string         `json:"question,omitempty"`
	Current  ConsentRecord  `json:"current"`
	Log      []ConsentEvent `json:"log"`
}
