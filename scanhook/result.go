package scanhook

import (
	"fmt"
	"strings"
	"time"
)

// SimulationNotice heads every result, report and page scanhook produces.
const SimulationNotice = "SIMULATION: scanhook simulates client-side scanning for demonstration. " +
	"Demo lists only; nothing is sent anywhere; reports stay in a local file."

// Result is everything the pipeline did with one message: what it saw, what
// it matched, what it decided and why, and the reports it wrote. It is what
// the scan inspector and `candor scan` show; the JSON field names are
// stable.
type Result struct {
	Simulation   string   `json:"simulation"`
	MessageID    string   `json:"message_id"`
	Account      string   `json:"account"`
	Mode         ModeName `json:"mode"`
	ModeTitle    string   `json:"mode_title"`
	LegalSource  string   `json:"legal_source"`
	SourceStatus string   `json:"source_status"`
	// EndToEndEncrypted repeats the input: was the chat OMEMO?
	EndToEndEncrypted bool `json:"end_to_end_encrypted"`
	// ScannedBeforeEncryption is set when any part was scanned: the badge
	// the UI puts on the message.
	ScannedBeforeEncryption bool             `json:"scanned_before_encryption"`
	Gate                    GateResult       `json:"gate"`
	Consent                 ConsentResult    `json:"consent"`
	Switches                []SwitchState    `json:"switches"`
	Contested               []ContestedState `json:"contested,omitempty"`
	Thresholds              Thresholds       `json:"thresholds"`
	Parts                   []Part           `json:"parts"`
	Decision                Decision         `json:"decision"`
	// Reports are the simulated reports exactly as written to the sink.
	Reports []Report `json:"reports"`
	// Limits says what this simulation leaves out that a real system would do.
	Limits []string `json:"limits"`
	// Errors are problems that did not stop the pipeline (a report that
	// could not be written, a consent store that could not be read).
	Errors     []string  `json:"errors,omitempty"`
	StartedAt  time.Time `json:"started_at"`
	DurationNS int64     `json:"duration_ns"`
}

// GateResult is the outcome of the mode gate.
type GateResult struct {
	// Passed is set when the mode scans this message at all.
	Passed bool   `json:"passed"`
	Reason string `json:"reason"`
	// Basis is the article or source the gate applied.
	Basis string `json:"basis"`
}

// ConsentResult is the outcome of the consent gate.
type ConsentResult struct {
	Rule ConsentRule `json:"rule"`
	// Required is set when this message needed a consent decision.
	Required bool `json:"required"`
	// Covers names what the consent is about ("images", "videos", "links").
	Covers []string `json:"covers,omitempty"`
	// State is the decision in effect for this message.
	State ConsentState `json:"state"`
	// Asked is set when this message raised a consent request.
	Asked     bool   `json:"asked"`
	RequestID string `json:"request_id,omitempty"`
	Note      string `json:"note,omitempty"`
}

// Thresholds are the matching settings in effect.
type Thresholds struct {
	PDQThreshold  int     `json:"pdq_threshold"`
	QualityGate   bool    `json:"quality_gate"`
	QualityMin    int     `json:"quality_min"`
	Dihedral      bool    `json:"dihedral"`
	TextThreshold float64 `json:"text_threshold"`
}

// PartKind is what a part of a message is.
type PartKind string

const (
	PartText       PartKind = "text"
	PartLink       PartKind = "link"
	PartImage      PartKind = "image"
	PartVideo      PartKind = "video"
	PartVideoFrame PartKind = "video-frame"
	PartAudio      PartKind = "audio"
	PartThumbnail  PartKind = "thumbnail"
	PartFile       PartKind = "file" // neither visual nor a link
)

// Part is one piece of a message as the scanner saw it. Content is not
// copied in: a text part gives its length, a link its normalised form
// (never the fragment), a file its name, type and size.
type Part struct {
	Index int      `json:"index"`
	Kind  PartKind `json:"kind"`
	// Origin says where the part comes from ("body", "body link 1",
	// "attachment 0", "attachment 0 thumbnail 0", "attachment 0 frame 2").
	Origin string `json:"origin"`
	// Attachment is the index of the attachment the part belongs to, or -1
	// for the body.
	Attachment   int            `json:"attachment"`
	Name         string         `json:"name,omitempty"`
	DeclaredType string         `json:"declared_type,omitempty"`
	Sniffed      *Sniffed       `json:"sniffed,omitempty"`
	Size         int            `json:"size"`
	URL          *NormalizedURL `json:"url,omitempty"`

	Scanned          bool   `json:"scanned"`
	NotScannedReason string `json:"not_scanned_reason,omitempty"`
	Blocked          bool   `json:"blocked"`
	BlockedReason    string `json:"blocked_reason,omitempty"`

	Hashes []HashValue `json:"hashes,omitempty"`
	// Quality is the PDQ quality (0-100) of an image part.
	Quality *int `json:"quality,omitempty"`
	// QualityPassed is false when the quality gate discarded the hash.
	QualityPassed *bool `json:"quality_passed,omitempty"`
	// Nearest is the closest list entry (a match or not).
	Nearest *Match `json:"nearest,omitempty"`
	Matched bool   `json:"matched"`
	// Flags counts how often this new item has been flagged (belgium-2024).
	Flags int `json:"flags,omitempty"`

	// Note adds what the fields do not say (a discarded hash, sampled frames).
	Note       string `json:"note,omitempty"`
	Error      string `json:"error,omitempty"`
	DurationNS int64  `json:"duration_ns"`
}

// HashValue is one hash computed for a part.
type HashValue struct {
	Algorithm string `json:"algorithm"`
	// Variant names the dihedral transform ("original", "rotate-90", ...).
	Variant string `json:"variant,omitempty"`
	Value   string `json:"value"`
}

// Match is a list entry compared with a part.
type Match struct {
	List    string `json:"list"`
	EntryID string `json:"entry_id"`
	Label   string `json:"label"`
	Class   Class  `json:"class"`
	// Distance and Threshold are Hamming bits for PDQ; 0 and 0 for exact
	// (SHA-256) lists.
	Distance  int `json:"distance"`
	Threshold int `json:"threshold"`
	// Variant is the dihedral variant that came closest.
	Variant string `json:"variant,omitempty"`
	// Score, ScoreThreshold and Terms describe a text classifier verdict.
	Score          float64  `json:"score,omitempty"`
	ScoreThreshold float64  `json:"score_threshold,omitempty"`
	Terms          []string `json:"terms,omitempty"`
	Matched        bool     `json:"matched"`
}

// Action is what happens to the message.
type Action string

const (
	ActionAllow          Action = "allow"
	ActionAllowAndReport Action = "allow-and-report"
	ActionBlock          Action = "block"
)

// Decision is the pipeline's verdict and the rules that made it.
type Decision struct {
	Action Action `json:"action"`
	// SendBody is false when the body must not be sent (it holds a blocked link).
	SendBody bool `json:"send_body"`
	// BlockedAttachments are the indexes of attachments not to upload.
	BlockedAttachments []int `json:"blocked_attachments,omitempty"`
	// Reported is set when at least one report was written.
	Reported bool `json:"reported"`
	// Rule is the rule that decided the action; Rules lists every rule that
	// fired, in order.
	Rule    Rule   `json:"rule"`
	Rules   []Rule `json:"rules"`
	Summary string `json:"summary"`
}

// Rule is one rule of a mode, with the article of the mode's text.
type Rule struct {
	ID      string `json:"id"`
	Text    string `json:"text"`
	Article string `json:"article"`
}

// AttachmentAllowed reports whether attachment i may be uploaded.
func (r *Result) AttachmentAllowed(i int) bool {
	for _, b := range r.Decision.BlockedAttachments {
		if b == i {
			return false
		}
	}
	return true
}

// Err returns a *BlockedError when anything was blocked, else nil.
func (r *Result) Err() error {
	if r.Decision.Action != ActionBlock {
		return nil
	}
	return &BlockedError{Mode: r.Mode, Rule: r.Decision.Rule, Summary: r.Decision.Summary}
}

// BlockedError says why (part of) a message was not sent.
type BlockedError struct {
	Mode    ModeName
	Rule    Rule
	Summary string
}

func (e *BlockedError) Error() string {
	return fmt.Sprintf("blocked by scanhook (SIMULATION, mode %s): %s (%s)", e.Mode, e.Summary, e.Rule.Article)
}

// Line is a one-line human-readable summary, SIMULATION included.
func (r *Result) Line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "SIMULATION [%s] %s", r.Mode, r.Decision.Summary)
	if r.ScannedBeforeEncryption {
		b.WriteString("; scanned before encryption")
	} else {
		b.WriteString("; not scanned")
	}
	return b.String()
}
