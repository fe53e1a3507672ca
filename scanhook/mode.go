package scanhook

import (
	"fmt"
	"strings"
)

// ModeName names a regulatory mode. The names are stable: the session's
// `/scan mode NAME`, the `--scan-mode` flag and the config key use them.
type ModeName string

// The modes, one per legal text (DESIGN.md; scanning.md section 1 as corrected
// by legal-check.md).
const (
	ModeOff            ModeName = "off"
	ModeInterim2021    ModeName = "interim-2021"
	ModeInterim2026    ModeName = "interim-2026"
	ModeCommission2022 ModeName = "commission-2022"
	ModeParliament2023 ModeName = "parliament-2023"
	ModeBelgium2024    ModeName = "belgium-2024"
	ModeDenmark2025    ModeName = "denmark-2025"
	ModeCouncil2025    ModeName = "council-2025"
)

// ModeNames lists every mode in the order the UI offers them.
func ModeNames() []ModeName {
	names := make([]ModeName, len(modeTable))
	for i, m := range modeTable {
		names[i] = m.Name
	}
	return names
}

// ParseMode reads a mode name as typed by a user (case and surrounding space
// do not matter). The error lists the valid names.
func ParseMode(s string) (ModeName, error) {
	want := ModeName(strings.ToLower(strings.TrimSpace(s)))
	for _, m := range modeTable {
		if m.Name == want {
			return m.Name, nil
		}
	}
	names := make([]string, len(modeTable))
	for i, m := range modeTable {
		names[i] = string(m.Name)
	}
	return "", fmt.Errorf("unknown scan mode %q: valid modes are %s", s, strings.Join(names, ", "))
}

// Lookup returns the description of a mode.
func Lookup(name ModeName) (Mode, error) {
	for _, m := range modeTable {
		if m.Name == name {
			return m.clone(), nil
		}
	}
	_, err := ParseMode(string(name))
	return Mode{}, err
}

// Modes returns every mode, in display order.
func Modes() []Mode {
	out := make([]Mode, len(modeTable))
	for i, m := range modeTable {
		out[i] = m.clone()
	}
	return out
}

// clone copies the slices and maps of a mode so that the table stays immutable.
func (m Mode) clone() Mode {
	m.Defaults = append([]SwitchDefault(nil), m.Defaults...)
	m.Notes = append([]string(nil), m.Notes...)
	points := make([]ContestedPoint, len(m.Contested))
	for i, p := range m.Contested {
		readings := make([]Reading, len(p.Readings))
		for j, r := range p.Readings {
			sets := make(map[Switch]bool, len(r.Sets))
			for k, v := range r.Sets {
				sets[k] = v
			}
			r.Sets = sets
			readings[j] = r
		}
		p.Readings = readings
		points[i] = p
	}
	m.Contested = points
	return m
}

// Switch is one thing a mode scans or one rule it applies. Every mode sets a
// default for each switch; testers may flip single switches to try the
// contested readings.
type Switch string

// The switches.
const (
	// Scope: what is scanned.
	SwitchText   Switch = "text"   // body text, by the (toy) grooming classifier
	SwitchImages Switch = "images" // images and image thumbnails, by PDQ
	SwitchVideo  Switch = "video"  // the visual part of videos (sampled frames)
	SwitchURLs   Switch = "urls"   // links, against the URL list
	SwitchNew    Switch = "new"    // new material (classifier stand-in), besides known material
	// Where: end-to-end encrypted chats.
	SwitchE2EE Switch = "e2ee"
	// Consent.
	SwitchConsent      Switch = "consent"       // scanning needs the user's consent
	SwitchConsentLinks Switch = "consent-links" // without consent, links are blocked too
	SwitchConsentSend  Switch = "consent-send"  // consent gates sending (else: receiving)
	// Action on a match.
	SwitchBlockOnMatch Switch = "block-on-match"
)

// Switches lists every switch in display order.
func Switches() []Switch {
	return []Switch{SwitchText, SwitchImages, SwitchVideo, SwitchURLs, SwitchNew,
		SwitchE2EE, SwitchConsent, SwitchConsentLinks, SwitchConsentSend, SwitchBlockOnMatch}
}

// ParseSwitch reads a switch name; the error lists the valid names.
func ParseSwitch(s string) (Switch, error) {
	want := Switch(strings.ToLower(strings.TrimSpace(s)))
	names := make([]string, 0, 10)
	for _, sw := range Switches() {
		if sw == want {
			return sw, nil
		}
		names = append(names, string(sw))
	}
	return "", fmt.Errorf("unknown scan switch %q: valid switches are %s", s, strings.Join(names, ", "))
}

// Mode is one row of the mode table: a legal text and how a client would
// behave under it. Every value is immutable data with its source.
type Mode struct {
	Name  ModeName `json:"name"`
	Title string   `json:"title"`
	// Source is the legal text, with its date and procedure.
	Source string `json:"source"`
	// SourceStatus says how well the simulation's reading is checked.
	SourceStatus string `json:"source_status"`
	// Summary says in one paragraph what the mode does.
	Summary string `json:"summary"`
	// Precondition is what must hold before anything is scanned (a
	// detection order in force, a targeted user, a provider's choice).
	Precondition Precondition `json:"precondition"`
	// Defaults are the mode's switch settings, each with its basis.
	Defaults []SwitchDefault `json:"defaults"`
	// ChildUserOnlyText restricts text scanning to chats where one user is a
	// child (COM(2022) 209 Art. 7(7)).
	ChildUserOnlyText bool `json:"child_user_only_text"`
	// Audio says why audio attachments are not scanned.
	Audio string `json:"audio"`
	// Consent describes the consent rule.
	Consent ConsentRule `json:"consent"`
	// Reports says where reports go and when the user learns of them.
	Reports ReportRule `json:"reports"`
	// Contested lists the points where sources disagree.
	Contested []ContestedPoint `json:"contested,omitempty"`
	// Notes are further facts the UI should show with the mode.
	Notes []string `json:"notes,omitempty"`
}

// Precondition is what must hold before a mode scans anything.
type Precondition struct {
	Kind PreconditionKind `json:"kind"`
	// Text says what the simulation assumes or requires, with the article.
	Text string `json:"text"`
}

// PreconditionKind says which input decides whether a mode scans at all.
type PreconditionKind string

const (
	PreconditionNone     PreconditionKind = "none"     // nothing scans (mode off)
	PreconditionAssumed  PreconditionKind = "assumed"  // assumed to hold (an order in force, a provider that scans)
	PreconditionTargeted PreconditionKind = "targeted" // Message.Targeted must be set
	PreconditionProvider PreconditionKind = "provider" // Message.ProviderScans must be set
)

// SwitchDefault is a mode's default for one switch.
type SwitchDefault struct {
	Switch Switch `json:"switch"`
	On     bool   `json:"on"`
	// Basis cites why (article, source, or "not named in our sources").
	Basis string `json:"basis"`
}

// ConsentRule is how a mode treats the user's consent.
type ConsentRule struct {
	Kind ConsentKind `json:"kind"`
	Text string      `json:"text"`
}

// ConsentKind classifies consent rules.
type ConsentKind string

const (
	ConsentNotApplicable ConsentKind = "not-applicable" // nothing is scanned
	ConsentInformedOnly  ConsentKind = "informed-only"  // told in the terms of service, never asked
	ConsentNone          ConsentKind = "none"           // no opt-out, informed later or never
	ConsentForced        ConsentKind = "forced"         // accept scanning or lose images, videos (and links)
)

// ReportRule says where a mode's reports go.
type ReportRule struct {
	// Recipient is the first recipient, with the article.
	Recipient string `json:"recipient"`
	// Onward is where the recipient passes reports on.
	Onward string `json:"onward"`
	// ThirdCountry names a third-country recipient in practice, if any
	// (Art. 13(1)(h) COM(2022) 209).
	ThirdCountry string `json:"third_country,omitempty"`
	// UserInformed says when the user learns of a report.
	UserInformed string `json:"user_informed"`
	// LegalBasis is the reference a report names (Art. 13(1)(k)).
	LegalBasis string `json:"legal_basis"`
	// ReportArticle is the article that obliges or allows the report.
	ReportArticle string `json:"report_article"`
	// HumanConfirmation, when set, holds reports of new material and
	// solicitation until a human has confirmed them; it cites the article.
	HumanConfirmation string `json:"human_confirmation,omitempty"`
	// NewMaterialFlags, when above 0, is how often the same new item must be
	// flagged before it is reported (pseudonymised); with its basis.
	NewMaterialFlags      int    `json:"new_material_flags,omitempty"`
	NewMaterialFlagsBasis string `json:"new_material_flags_basis,omitempty"`
	// AwarenessChannel is how the provider "became aware" (Annex III).
	AwarenessChannel string `json:"awareness_channel"`
	// Format says which report format the regime uses in practice.
	Format string `json:"format"`
}

// ContestedPoint is a question on which sources disagree. Each reading says
// which switches it sets; Readings[0] is the mode's default.
type ContestedPoint struct {
	ID       string    `json:"id"`
	Question string    `json:"question"`
	Readings []Reading `json:"readings"`
}

// Reading is one source's answer to a contested question.
type Reading struct {
	Says    string          `json:"says"`
	Sources string          `json:"sources"`
	Sets    map[Switch]bool `json:"sets,omitempty"`
}

// Default returns the mode's default for a switch.
func (m Mode) Default(s Switch) bool {
	for _, d := range m.Defaults {
		if d.Switch == s {
			return d.On
		}
	}
	return false
}

// Basis returns the basis of the mode's default for a switch.
func (m Mode) Basis(s Switch) string {
	for _, d := range m.Defaults {
		if d.Switch == s {
			return d.Basis
		}
	}
	return ""
}
