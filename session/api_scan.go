package session

import (
	"context"
	"time"
)

// Scanning is the part of Backend that drives scanhook, the SIMULATION of
// pre-encryption client-side scanning ("Chat Control"). The UI sees
// scanhook only through these methods and the Scan* and Consent* types, so
// that it never imports scanhook itself.
//
// Settings live in memory for the life of the Client: the mode comes from
// the command line or the config at start and changes with /scan. Consent
// decisions and the verdict on each sent message are kept in the
// account's store. Every change of the settings is announced by a
// ScanChanged event.
type Scanning interface {
	// ScanStatus describes the settings in effect: mode, legal source,
	// switches, contested readings, thresholds and the banner line.
	ScanStatus() ScanStatus
	// SetScanMode switches the mode by name ("off" turns scanning off) and
	// clears the switch overrides; the error lists the valid names.
	SetScanMode(name string) error
	// SetScanSwitch flips one switch of the mode ("images", "urls", ...).
	SetScanSwitch(name string, on bool) error
	// SetScanReading applies reading n (from 0) of a contested point of the
	// mode, as listed in ScanStatus.Contested.
	SetScanReading(point string, n int) error
	// SetScanThreshold sets the PDQ match threshold in bits (0 to 256).
	SetScanThreshold(bits int) error
	// SetScanDihedral turns matching of rotations and mirrors on or off.
	SetScanDihedral(on bool) error
	// SetScanFact sets a simulated fact some modes depend on:
	// "provider-scans" (the provider chose voluntary scanning,
	// council-2025), "targeted" (a judicial order names this user,
	// parliament-2023) or "child-user" (a user of the chat is under 17,
	// which grooming detection needs).
	SetScanFact(name string, on bool) error

	// ConsentStatus is what /consent shows: the decision in effect under
	// the current mode, the audit log and the open requests.
	ConsentStatus(ctx context.Context) (ConsentStatus, error)
	// SetConsent records a decision typed by the user: "accept", "decline"
	// or "reset". An open request of the mode is answered by it. It fails
	// when the mode asks for no consent, or no account is open.
	SetConsent(ctx context.Context, decision string) error
	// PendingConsent lists the consent requests awaiting an answer, oldest
	// first (a UI that starts late finds them here).
	PendingConsent() []ConsentRequest
	// ResolveConsent answers a ConsentRequested request: the first answer
	// wins and is written to the audit log; the waiting message goes on.
	ResolveConsent(ctx context.Context, id string, accept bool) error

	// ScanVerdicts returns the verdicts on the messages with the given
	// local ids that have one (messages sent while scanning was on).
	ScanVerdicts(ctx context.Context, ids []int64) (map[int64]ScanVerdict, error)
	// InspectScan returns everything the scanner did with one sent
	// message; ErrNotScanned when it was sent while scanning was off.
	InspectScan(ctx context.Context, id int64) (ScanInspection, error)
}

// ScanStatus is the scan settings in effect. Every string is ready to show.
type ScanStatus struct {
	// On is false in mode off: then nothing is scanned at all.
	On           bool
	Mode         string
	Title        string
	Source       string // the legal text, with its date and procedure
	SourceStatus string // how well the source is known
	Summary      string
	// E2EEScanned says end-to-end encrypted chats are scanned too.
	E2EEScanned bool
	// Banner is one line, SIMULATION first, for the screen's top line.
	Banner string
	// ConsentRule is the mode's rule on consent.
	ConsentRule string
	// ReportsTo is where the mode's text sends reports (they are only
	// written to ReportsFile).
	ReportsTo string
	// ReportsFile is the local JSONL sink of the account ("" before an
	// account is open).
	ReportsFile string
	Switches    []ScanSwitch
	Contested   []ScanPoint

	PDQThreshold  int
	QualityGate   bool
	QualityMin    int
	Dihedral      bool
	TextThreshold float64

	// Facts are the simulated facts, by name (SetScanFact), all listed.
	Facts []ScanFact
}

// ScanFact is one simulated fact a mode may depend on.
type ScanFact struct {
	Name string
	On   bool
	What string
}

// ScanSwitch is one switch of the mode as in effect.
type ScanSwitch struct {
	Name       string
	On         bool
	Default    bool
	Overridden bool   // a tester flipped it
	Basis      string // the article or source of the default
}

// ScanPoint is a point where sources disagree, with both readings.
type ScanPoint struct {
	ID       string
	Question string
	Readings []ScanReading
	// InEffect is the reading whose switches all hold, -1 for none.
	InEffect int
}

// ScanReading is one reading of a contested point.
type ScanReading struct {
	Says    string
	Sources string
}

// ConsentRequest asks the user to accept or decline scanning before
// encryption; it arrives as a ConsentRequested event. A dialog showing it
// must ignore keys typed before it appeared.
type ConsentRequest struct {
	ID        string
	Mode      string
	ModeTitle string
	CreatedAt time.Time
	// Question states the choice plainly.
	Question string
	// Covers names what the consent is about ("images", "videos", "links").
	Covers []string
	// Trigger says which part of which message needs the decision.
	Trigger string
	// Peer and MessageID name the waiting message (0 when not known).
	Peer      string
	MessageID int64
	// Basis cites the text that makes consent a condition.
	Basis        string
	AcceptLabel  string
	DeclineLabel string
}

// ConsentStatus is the consent in effect under the current mode.
type ConsentStatus struct {
	Mode string
	// Rule is the mode's consent rule; Applies is false when the mode, as
	// switched, asks for none.
	Rule    string
	Applies bool
	Covers  []string
	// Question is what the dialog asks.
	Question string
	// State is "undecided", "accepted" or "declined".
	State     string
	DecidedAt time.Time
	Via       string // "dialog", "command" or "config"
	// Log is the audit log of the account, newest first.
	Log     []ConsentLogEntry
	Pending []ConsentRequest
}

// ConsentLogEntry is one decision in the audit log.
type ConsentLogEntry struct {
	At        time.Time
	Mode      string
	Decision  string
	Covers    []string
	Via       string
	RequestID string
	Question  string
}

// ScanAction is the verdict on a message.
type ScanAction string

const (
	ScanAllow    ScanAction = "allow"
	ScanReported ScanAction = "allow-and-report" // sent, and a simulated report written
	ScanBlocked  ScanAction = "block"            // not sent (or not all of it)
)

// ScanVerdict is the badge of one sent message.
type ScanVerdict struct {
	MessageID int64
	Mode      string
	Action    ScanAction
	// Scanned is set when some part was scanned before encryption.
	Scanned  bool
	Reported bool
	Summary  string
	// Reason is the one-line block reason, "" unless blocked.
	Reason string
	At     time.Time
}
