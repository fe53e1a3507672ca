package session

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/candor-xmpp/candor/scanhook"
)

// scanWiring is the scan hook of one Client: scanhook's pipeline with its
// settings, the consent broker, and the consent requests shown to the UI.
// The pipeline is built on first use (the zero value is ready), so that a
// client that never scans never loads the demo lists.
type scanWiring struct {
	once  sync.Once
	built atomic.Bool // the pipeline exists (before that, scanning is off)
	pipe  *scanhook.Pipeline
	asker *scanhook.Asker
	err   error // building the pipeline failed (a broken embedded list)

	mu         sync.Mutex
	dialog     bool                      // EnableConsentDialog was called
	forwarded  map[string]ConsentRequest // requests shown to the UI, by id
	resolving  map[string]bool           // requests being answered by us
	inflight   map[string]outgoing       // messages under check, by origin-id
	facts      scanFacts                 // simulated facts (SetScanFact)
	changeLock sync.Mutex                // orders settings changes and their events
}

// scanFacts are what the simulation cannot know and a tester sets.
type scanFacts struct{ providerScans, targeted, childUser bool }

// scanFactNames describe the facts, in display order.
func scanFactNames() [][2]string {
	return [][2]string{
		{"provider-scans", "the (simulated) provider chose voluntary scanning (council-2025)"},
		{"targeted", "a (simulated) judicial order names this user (parliament-2023)"},
		{"child-user", "a user of the chat is a child, under 17: grooming detection applies (commission-2022)"},
	}
}

func (f *scanFacts) ref(name string) *bool {
	switch name {
	case "provider-scans":
		return &f.providerScans
	case "targeted":
		return &f.targeted
	case "child-user":
		return &f.childUser
	}
	return nil
}

// SetScanFact implements Scanning.
func (c *Client) SetScanFact(name string, on bool) error {
	return c.changeScan(func(*scanhook.Pipeline) error {
		w := &c.scan
		w.mu.Lock()
		defer w.mu.Unlock()
		ref := w.facts.ref(strings.ToLower(strings.TrimSpace(name)))
		if ref == nil {
			var names []string
			for _, f := range scanFactNames() {
				names = append(names, f[0])
			}
			return fmt.Errorf("unknown scan fact %q: the facts are %s", name, strings.Join(names, ", "))
		}
		*ref = on
		return nil
	})
}

// currentFacts is a copy of the facts.
func (c *Client) currentFacts() scanFacts {
	c.scan.mu.Lock()
	defer c.scan.mu.Unlock()
	return c.scan.facts
}

// scanner returns the pipeline, building it on first use. Consent and
// reports go to the account open at the time (consentStore, accountSink),
// so one pipeline serves every account the client logs in to.
func (c *Client) scanner() (*scanhook.Pipeline, error) {
	w := &c.scan
	w.once.Do(func() {
		cs := consentStore{c}
		w.asker = scanhook.NewAsker(cs, c.clock.Now)
		w.pipe, w.err = scanhook.New(scanhook.Options{Consent: cs, Asker: w.asker,
			Sink: accountSink{c}, Clock: c.clock.Now})
		w.forwarded = map[string]ConsentRequest{}
		w.resolving = map[string]bool{}
		w.inflight = map[string]outgoing{}
		w.built.Store(w.err == nil)
	})
	if w.err != nil {
		return nil, fmt.Errorf("scanhook: %w", w.err)
	}
	return w.pipe, nil
}

// scanAccount is the open account's bare JID, or an error.
func (c *Client) scanAccount() (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return "", errClosed
	}
	if c.st == nil {
		return "", errNoStore
	}
	return c.addr.String(), nil
}

// consentStore is scanhook's consent store on the open account's SQLite
// store: decisions and their audit log stay with the account.
type consentStore struct{ c *Client }

func (s consentStore) Consent(ctx context.Context, account string, mode scanhook.ModeName) (scanhook.ConsentRecord, error) {
	st, err := s.c.store()
	if err != nil {
		return scanhook.ConsentRecord{}, err
	}
	return st.Consent(ctx, account, mode)
}

func (s consentStore) RecordConsent(ctx context.Context, ev scanhook.ConsentEvent) error {
	st, err := s.c.store()
	if err != nil {
		return err
	}
	return st.RecordConsent(ctx, ev)
}

func (s consentStore) ConsentLog(ctx context.Context, account string, limit int) ([]scanhook.ConsentEvent, error) {
	st, err := s.c.store()
	if err != nil {
		return nil, err
	}
	return st.ConsentLog(ctx, account, limit)
}

// accountSink writes simulated reports to the JSONL file in the open
// account's data directory; it is local by contract (scanhook.Sink).
type accountSink struct{ c *Client }

func (s accountSink) Write(r scanhook.Report) error {
	dir, err := s.c.reportsDir()
	if err != nil {
		return fmt.Errorf("report sink: %w", err)
	}
	sink, err := scanhook.NewFileSink(dir)
	if err != nil {
		return err
	}
	return sink.Write(r)
}

// reportsDir is the open account's data directory.
func (c *Client) reportsDir() (string, error) {
	acct, err := c.scanAccount()
	if err != nil {
		return "", err
	}
	return AccountDir(c.opts.DataDir, acct), nil
}

// ScanStatus implements Scanning.
func (c *Client) ScanStatus() ScanStatus {
	p, err := c.scanner()
	if err != nil {
		return ScanStatus{Mode: "off", Banner: err.Error()}
	}
	return c.statusOf(p)
}

func (c *Client) statusOf(p *scanhook.Pipeline) ScanStatus {
	s := p.Settings()
	st := p.Status()
	out := ScanStatus{On: st.On, Mode: string(st.Mode), Title: st.Title, Source: st.Source,
		E2EEScanned: st.E2EEScanned, Banner: st.Banner,
		PDQThreshold: s.PDQThreshold, QualityGate: s.QualityGate, QualityMin: s.QualityMin,
		Dihedral: s.Dihedral, TextThreshold: s.TextThreshold}
	m, err := scanhook.Lookup(s.Mode)
	if err != nil {
		return out
	}
	out.SourceStatus, out.Summary, out.ConsentRule, out.ReportsTo = m.SourceStatus, m.Summary, m.Consent.Text, m.Reports.Recipient
	for _, sw := range s.State(m) {
		out.Switches = append(out.Switches, ScanSwitch{Name: string(sw.Switch), On: sw.On, Default: sw.Default,
			Overridden: sw.Overridden, Basis: sw.Basis})
	}
	for _, cp := range s.ContestedStates(m) {
		pt := ScanPoint{ID: cp.ID, Question: cp.Question, InEffect: cp.InEffect}
		for _, r := range cp.Readings {
			pt.Readings = append(pt.Readings, ScanReading{Says: r.Says, Sources: r.Sources})
		}
		out.Contested = append(out.Contested, pt)
	}
	if dir, err := c.reportsDir(); err == nil {
		out.ReportsFile = filepath.Join(dir, scanhook.ReportsFile)
	}
	facts := c.currentFacts()
	for _, f := range scanFactNames() {
		out.Facts = append(out.Facts, ScanFact{Name: f[0], On: *facts.ref(f[0]), What: f[1]})
	}
	return out
}

// changeScan applies a change to the settings and announces the result.
func (c *Client) changeScan(change func(p *scanhook.Pipeline) error) error {
	p, err := c.scanner()
	if err != nil {
		return err
	}
	c.scan.changeLock.Lock()
	defer c.scan.changeLock.Unlock()
	if err := change(p); err != nil {
		return err
	}
	c.events.emit(ScanChanged{Status: c.statusOf(p)})
	return nil
}

// SetScanMode implements Scanning.
func (c *Client) SetScanMode(name string) error {
	mode, err := scanhook.ParseMode(name)
	if err != nil {
		return err
	}
	return c.changeScan(func(p *scanhook.Pipeline) error { return p.SetMode(mode) })
}

// SetScanSwitch implements Scanning.
func (c *Client) SetScanSwitch(name string, on bool) error {
	sw, err := scanhook.ParseSwitch(name)
	if err != nil {
		return err
	}
	return c.changeScan(func(p *scanhook.Pipeline) error {
		s := p.Settings()
		if s.Mode == scanhook.ModeOff {
			return errors.New("scanhook is off: choose a mode first (/scan mode NAME)")
		}
		return p.SetSettings(s.WithSwitch(sw, on))
	})
}

// SetScanReading implements Scanning.
func (c *Client) SetScanReading(point string, n int) error {
	return c.changeScan(func(p *scanhook.Pipeline) error {
		s, err := p.Settings().WithReading(strings.TrimSpace(point), n)
		if err != nil {
			return err
		}
		return p.SetSettings(s)
	})
}

// SetScanThreshold implements Scanning.
func (c *Client) SetScanThreshold(bits int) error {
	return c.changeScan(func(p *scanhook.Pipeline) error {
		s := p.Settings()
		s.PDQThreshold = bits
		return p.SetSettings(s)
	})
}

// SetScanDihedral implements Scanning.
func (c *Client) SetScanDihedral(on bool) error {
	return c.changeScan(func(p *scanhook.Pipeline) error {
		s := p.Settings()
		s.Dihedral = on
		return p.SetSettings(s)
	})
}
