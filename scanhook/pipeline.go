package scanhook

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Options configure a Pipeline. Every field may be left zero.
type Options struct {
	// Settings are the initial settings (zero: DefaultSettings, mode off).
	Settings Settings
	// Lists are matched against (nil: the embedded demo lists).
	Lists *Lists
	// Consent keeps consent per account (nil: in memory).
	Consent ConsentStore
	// Asker brings consent requests to the UI (nil: nobody is asked, and
	// parts that need consent are blocked).
	Asker *Asker
	// Sink receives the simulated reports (nil: reports are only in the Result).
	Sink Sink
	// Flags counts flags of new items (nil: in memory).
	Flags FlagCounter
	// Clock gives the time of results and reports (nil: time.Now).
	Clock func() time.Time
}

// Pipeline is the scan hook of the send path: mode gate, consent gate,
// parts, scanners, decision, simulated report. It runs on plaintext before
// any encryption, opens no network connection and sees no keys. It is safe
// for concurrent use; settings may change at any time and apply from the
// next message.
type Pipeline struct {
	mu       sync.RWMutex
	settings Settings

	lists   *Lists
	urls    *urlScanner
	text    *textClassifier
	images  *imageScanner
	consent ConsentStore
	asker   *Asker
	sink    Sink
	flags   FlagCounter
	clock   func() time.Time
}

// New builds a pipeline.
func New(opts Options) (*Pipeline, error) {
	s := opts.Settings
	if s.Mode == "" {
		s = DefaultSettings()
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	lists := opts.Lists
	if lists == nil {
		var err error
		if lists, err = DemoLists(); err != nil {
			return nil, err
		}
	}
	images, err := newImageScanner(lists.PDQ)
	if err != nil {
		return nil, err
	}
	p := &Pipeline{settings: s, lists: lists, urls: newURLScanner(lists.URLs),
		text: newTextClassifier(lists.Lexicon), images: images, consent: opts.Consent,
		asker: opts.Asker, sink: opts.Sink, flags: opts.Flags, clock: opts.Clock}
	if p.consent == nil {
		p.consent = NewMemoryConsentStore()
	}
	if p.flags == nil {
		p.flags = NewMemoryFlags()
	}
	if p.clock == nil {
		p.clock = time.Now
	}
	return p, nil
}

// Settings returns the settings in effect.
func (p *Pipeline) Settings() Settings {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.settings
}

// SetSettings replaces the settings after validating them.
func (p *Pipeline) SetSettings(s Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	p.mu.Lock()
	p.settings = s
	p.mu.Unlock()
	return nil
}

// SetMode switches the mode (clearing switch overrides), as `/scan mode`
// and `/scan off` do.
func (p *Pipeline) SetMode(name ModeName) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	next := p.settings.WithMode(name)
	if err := next.Validate(); err != nil {
		return err
	}
	p.settings = next
	return nil
}

// Lists returns the lists the pipeline matches against.
func (p *Pipeline) Lists() *Lists { return p.lists }

// Check runs the pipeline on one outgoing message. It blocks while a
// consent request is open, and returns an error only when ctx ends then.
// Everything else, including unreadable attachments and sink failures, is
// reported inside the Result.
func (p *Pipeline) Check(ctx context.Context, msg Message) (*Result, error) {
	began := time.Now()
	s := p.Settings()
	m, err := Lookup(s.Mode)
	if err != nil {
		return nil, err
	}
	res := &Result{
		Simulation: SimulationNotice, MessageID: msg.ID, Account: msg.Account,
		Mode: m.Name, ModeTitle: m.Title, LegalSource: m.Source, SourceStatus: m.SourceStatus,
		EndToEndEncrypted: msg.EndToEndEncrypted,
		Switches:          s.State(m), Contested: s.ContestedStates(m),
		Thresholds: Thresholds{PDQThreshold: s.PDQThreshold, QualityGate: s.QualityGate,
			QualityMin: s.QualityMin, Dihedral: s.Dihedral, TextThreshold: s.TextThreshold},
		Consent:   ConsentResult{Rule: m.Consent, State: ConsentNotRequired},
		Reports:   []Report{},
		StartedAt: p.clock(),
	}
	defer func() { res.DurationNS = time.Since(began).Nanoseconds() }()

	res.Gate = modeGate(m, s, &msg)
	if !res.Gate.Passed {
		res.Parts = listUnread(&msg, res.Gate.Reason)
		p.decide(ctx, m, s, &msg, res)
		res.Limits = limits(res)
		return res, nil
	}
	var data []partData
	res.Parts, data = extractParts(&msg)
	if err := p.consentGate(ctx, m, s, &msg, res); err != nil {
		return nil, err
	}
	withFrames := map[int]bool{}
	for _, part := range res.Parts {
		if part.Kind == PartVideoFrame {
			withFrames[part.Attachment] = true
		}
	}
	for i := range res.Parts {
		part := &res.Parts[i]
		if part.Blocked || part.NotScannedReason != "" {
			continue
		}
		p.scanPart(m, s, &msg, part, data[i], withFrames[part.Attachment])
	}
	for i := range res.Parts {
		part := &res.Parts[i]
		if part.Kind == PartVideo && withFrames[part.Attachment] && !part.Blocked && part.NotScannedReason == "" {
			part.Scanned = anyFrameScanned(res.Parts, part.Attachment)
			part.Note = "an animation: scanned through its sampled frames, listed after it"
		}
		res.ScannedBeforeEncryption = res.ScannedBeforeEncryption || part.Scanned
	}
	p.decide(ctx, m, s, &msg, res)
	res.Limits = limits(res)
	return res, nil
}

func anyFrameScanned(parts []Part, attachment int) bool {
	for _, q := range parts {
		if q.Kind == PartVideoFrame && q.Attachment == attachment && q.Scanned {
			return true
		}
	}
	return false
}

// modeGate decides whether the mode scans this message at all.
func modeGate(m Mode, s Settings, msg *Message) GateResult {
	switch m.Precondition.Kind {
	case PreconditionNone:
		return GateResult{Reason: "scanhook is off", Basis: "none"}
	case PreconditionTargeted:
		if !msg.Targeted {
			return GateResult{Reason: "no (simulated) judicial order targets this user, and this text allows no other detection",
				Basis: m.Precondition.Text}
		}
	case PreconditionProvider:
		if !msg.ProviderScans {
			return GateResult{Reason: "the (simulated) provider chose not to scan", Basis: m.Precondition.Text}
		}
	}
	if msg.EndToEndEncrypted && !s.On(m, SwitchE2EE) {
		basis := reasonFor(m, s, SwitchE2EE)
		return GateResult{Reason: "end-to-end encrypted chat, not scanned in this mode: " + basis, Basis: basis}
	}
	return GateResult{Passed: true, Reason: "the mode scans this message", Basis: m.Precondition.Text}
}

// reasonFor gives the basis of a switch's state: the mode's basis, the
// contested reading in effect, or the tester's flip.
func reasonFor(m Mode, s Settings, sw Switch) string {
	on := s.On(m, sw)
	basis := m.Basis(sw)
	if id, ok := strings.CutPrefix(basis, "contested: see the point "); ok {
		basis = "contested point " + id
		for _, c := range s.ContestedStates(m) {
			if c.ID == id && c.InEffect >= 0 {
				r := c.Readings[c.InEffect]
				return basis + fmt.Sprintf(", reading in effect: %s (%s)", r.Says, r.Sources)
			}
		}
		return basis + fmt.Sprintf(", switched %s by the tester, matching none of its readings", onOff(on))
	}
	if on != m.Default(sw) {
		return fmt.Sprintf("switched %s by the tester (the mode's default is %s: %s)", onOff(on), onOff(!on), basis)
	}
	return basis
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// scanPart runs the scanner for one part, or says why none applies.
func (p *Pipeline) scanPart(m Mode, s Settings, msg *Message, part *Part, d partData, hasFrames bool) {
	began := time.Now()
	defer func() { part.DurationNS = time.Since(began).Nanoseconds() }()
	outOfScope := func(sw Switch) bool {
		if s.On(m, sw) {
			return false
		}
		part.NotScannedReason = fmt.Sprintf("%s not scanned in this mode: %s", part.Kind, reasonFor(m, s, sw))
		return true
	}
	switch part.Kind {
	case PartText:
		if outOfScope(SwitchText) {
			return
		}
		if m.ChildUserOnlyText && !msg.ChildUser {
			part.NotScannedReason = "grooming detection applies only where one user is a child user, under 17 " +
				"(Art. 7(7), Art. 2(j) COM(2022) 209); no child user in this chat"
			return
		}
		match := p.text.classify(d.text, s.TextThreshold)
		part.Scanned, part.Nearest, part.Matched = true, &match, match.Matched
	case PartLink:
		if outOfScope(SwitchURLs) {
			return
		}
		p.urls.scan(part)
		part.Scanned = true
	case PartImage, PartThumbnail:
		if outOfScope(SwitchImages) {
			return
		}
		p.images.scan(part, d, s, s.On(m, SwitchNew))
	case PartVideoFrame:
		if outOfScope(SwitchVideo) {
			return
		}
		p.images.scan(part, d, s, s.On(m, SwitchNew))
	case PartVideo:
		if outOfScope(SwitchVideo) || hasFrames {
			return
		}
		part.NotScannedReason = fmt.Sprintf("video (%s) NOT scanned: this pure-Go build has no decoder for it; "+
			"a real scanner would sample frames and hash them (or use a video hash such as TMK+PDQF), so this gap is the simulation's, not the law's",
			sniffName(*part.Sniffed))
	case PartAudio:
		part.NotScannedReason = "audio not scanned: " + m.Audio
	case PartFile:
		what := "unrecognised bytes"
		if part.Sniffed != nil {
			what = sniffName(*part.Sniffed)
		}
		part.NotScannedReason = fmt.Sprintf("not an image, video or link by its bytes (%s), whatever its name (%q) "+
			"or declared type (%q) say: not scanned", what, part.Name, part.DeclaredType)
	}
}
