package session

import (
	"errors"
	"time"
)

// ErrNotScanned is returned by InspectScan for a message that has no scan
// verdict: sent while scanning was off, received, or sent by another client.
var ErrNotScanned = errors.New("not scanned: sent while scanhook was off, or not sent by this client")

// ScanInspection is everything the scanner did with one message, for the
// scan inspector: the parts it saw, hashes, nearest list entries,
// decision, rule and the simulated reports exactly as written.
type ScanInspection struct {
	MessageID int64
	Peer      string
	Body      string
	// Simulation is the notice that heads everything scanhook produces.
	Simulation string
	Verdict    ScanVerdict

	Mode, ModeTitle, LegalSource, SourceStatus string
	EndToEndEncrypted                          bool

	Gate       ScanGate
	Consent    ScanConsent
	Thresholds ScanThresholds
	Parts      []ScanPart
	// Rule is the rule that decided; Rules every rule that fired.
	Rule  ScanRule
	Rules []ScanRule
	// Reports are the simulated reports, each as pretty JSON exactly as
	// written to the local sink.
	Reports []ScanReport
	Limits  []string
	Errors  []string

	StartedAt time.Time
	Duration  time.Duration
	// ResultJSON is the whole result as stored, indented.
	ResultJSON string
}

// ScanGate is the outcome of the mode gate.
type ScanGate struct {
	Passed bool
	Reason string
	Basis  string
}

// ScanConsent is the outcome of the consent gate for one message.
type ScanConsent struct {
	Rule     string
	Required bool
	Covers   []string
	State    string
	Asked    bool
	Note     string
}

// ScanThresholds are the matching settings when the message was scanned.
type ScanThresholds struct {
	PDQ         int
	QualityGate bool
	QualityMin  int
	Dihedral    bool
	Text        float64
}

// ScanPart is one part of a message as the scanner saw it.
type ScanPart struct {
	Index  int
	Kind   string // text, link, image, video, video-frame, audio, thumbnail, file
	Origin string // "body", "body link 1", "attachment 0", ...
	Name   string
	// DeclaredType is what the sender said; Sniffed what the bytes are.
	DeclaredType, Sniffed string
	Size                  int
	// URL is a link's normalised form (never its fragment).
	URL string

	Scanned          bool
	NotScannedReason string
	Blocked          bool
	BlockedReason    string

	Hashes []ScanHash
	// Quality is the PDQ quality (0-100) when HasQuality.
	Quality       int
	HasQuality    bool
	QualityPassed bool
	Nearest       *ScanMatch
	Matched       bool
	Flags         int
	Note, Error   string
	Duration      time.Duration
}

// ScanHash is one hash computed for a part.
type ScanHash struct {
	Algorithm string
	Variant   string
	Value     string
}

// ScanMatch is the list entry nearest to a part.
type ScanMatch struct {
	List    string
	EntryID string
	Label   string // "DEMO ENTRY: ..."
	Class   string
	// Distance and Threshold are Hamming bits for PDQ (0 and 0 for exact
	// lists); Score and ScoreThreshold are the toy text classifier's.
	Distance, Threshold   int
	Variant               string
	Score, ScoreThreshold float64
	Terms                 []string
	Matched               bool
}

// ScanRule is a rule with the article of the mode's text.
type ScanRule struct {
	ID      string
	Text    string
	Article string
}

// ScanReport is one simulated report, never sent.
type ScanReport struct {
	ID        string
	Status    string
	Recipient string
	// JSON is the report exactly as written to the sink, indented.
	JSON string
}
