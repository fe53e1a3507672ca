package scanhook

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Report is a simulated report, laid out on the eleven points (a)-(k) of
// COM(2022) 209 Art. 13(1) and the fields of its Annex III template
// (legal-check.md section 2). It is never sent: it is written to a local
// file. Where the simulation leaves something out that a real report
// carries, the field says so.
type Report struct {
	Simulated  bool     `json:"simulated"` // always true
	Simulation string   `json:"simulation"`
	NotSent    string   `json:"not_sent"`
	ReportID   string   `json:"report_id"`
	Mode       ModeName `json:"mode"`
	// Status says whether the report would go out now, or is held.
	Status     ReportStatus `json:"status"`
	StatusNote string       `json:"status_note"`
	// Recipient and Onward are where the mode's text sends it.
	Recipient    string `json:"recipient"`
	Onward       string `json:"onward"`
	UserInformed string `json:"user_informed"`
	Format       string `json:"format"`

	Points   Art13Points `json:"art13_1"`
	AnnexIII AnnexIII    `json:"annex_iii"`
	// Indicators are the matching details. They are not Art. 13(1) fields;
	// the closest is Art. 45(2)(g), "relevant indicators and ancillary tags".
	Indicators Indicators `json:"indicators"`
	// Omitted lists every deviation from a real report.
	Omitted []Omission `json:"omitted"`
}

// ReportStatus says what would happen to a report.
type ReportStatus string

const (
	ReportWouldBeSent   ReportStatus = "would-be-sent"
	ReportHeldForReview ReportStatus = "held-for-human-confirmation"
	ReportPseudonymised ReportStatus = "pseudonymised-until-verified"
)

// Art13Points are the eleven points of COM(2022) 209 Art. 13(1).
type Art13Points struct {
	A Provider        `json:"a_provider"`
	B DateSignature   `json:"b_date_time_signature"`
	C ContentData     `json:"c_content_data"`
	D OtherData       `json:"d_other_data"`
	E DetectionType   `json:"e_detection_type"`
	F Location        `json:"f_geographic_location"`
	G UserIdentity    `json:"g_user_identity"`
	H ThirdCountry    `json:"h_third_country_report"`
	I RemovalStatus   `json:"i_removed_or_disabled"`
	J Urgency         `json:"j_urgent"`
	K LegalBasisPoint `json:"k_legal_basis"`
}

// Provider is point (a).
type Provider struct {
	Name                string `json:"name"`
	LegalRepresentative string `json:"legal_representative"`
}

// DateSignature is point (b).
type DateSignature struct {
	Time      time.Time `json:"time"`
	TimeZone  string    `json:"time_zone"`
	Signature *string   `json:"signature"` // always null: not signed
}

// ContentData is point (c): "all content data, including images, videos and text".
type ContentData struct {
	Included bool          `json:"included"` // always false
	Items    []ContentItem `json:"items"`    // what a real report would attach
}

// ContentItem describes one piece of content a real report would carry.
type ContentItem struct {
	Kind      PartKind `json:"kind"`
	Origin    string   `json:"origin"`
	MediaType string   `json:"media_type,omitempty"`
	Size      int      `json:"size"`
}

// OtherData is point (d): data other than content related to the abuse.
type OtherData struct {
	MessageID         string `json:"message_id"`
	EndToEndEncrypted bool   `json:"end_to_end_encrypted"`
	ScannedBefore     string `json:"scanned"`
}

// DetectionType is point (e): known, new or solicitation only.
type DetectionType struct {
	Type Class  `json:"type"`
	Note string `json:"note,omitempty"`
}

// Location is point (f) with Annex III's IP address, port and time zone.
type Location struct {
	IPAddress *string `json:"ip_address"` // null: not collected
	Port      *int    `json:"port"`       // null: not collected
	TimeZone  string  `json:"time_zone"`
}

// UserIdentity is point (g) with Annex III's username, email and phone.
type UserIdentity struct {
	// Username is the sender's JID, or a pseudonym (belgium-2024, new material).
	Username     string   `json:"username"`
	Pseudonymous bool     `json:"pseudonymous"`
	OtherUsers   []string `json:"other_users"`
	Email        *string  `json:"email"` // null: not known to a client
	Phone        *string  `json:"phone"` // null: not known to a client
}

// ThirdCountry is point (h).
type ThirdCountry struct {
	Reported bool   `json:"reported"`
	To       string `json:"to,omitempty"`
}

// RemovalStatus is point (i).
type RemovalStatus struct {
	RemovedOrDisabled bool   `json:"removed_or_disabled"`
	Note              string `json:"note"`
}

// Urgency is point (j).
type Urgency struct {
	Urgent bool   `json:"urgent"`
	Note   string `json:"note"`
}

// LegalBasisPoint is point (k).
type LegalBasisPoint struct {
	Reference string `json:"reference"`
}

// AnnexIII are the template fields that Art. 13(1) does not name.
type AnnexIII struct {
	ServiceType      string  `json:"service_type"`
	AwarenessChannel string  `json:"awareness_channel"`
	ActionsTaken     string  `json:"actions_taken_against_user"`
	VictimInfo       *string `json:"victim_information"` // null
	HumanReview      string  `json:"human_review"`
}

// Indicators are the matching details behind the report.
type Indicators struct {
	Algorithm string `json:"algorithm"`
	Hash      string `json:"hash,omitempty"`
	Match     Match  `json:"match"`
	Quality   *int   `json:"quality,omitempty"`
	Note      string `json:"note"`
}

// Omission is one way the simulated report differs from a real one.
type Omission struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// reportOmissions are the deviations every simulated report has.
var reportOmissions = []Omission{
	{"art13_1.c_content_data", "Art. 13(1)(c) requires all content data (images, videos, text); the simulation attaches none and only describes it"},
	{"art13_1.b_date_time_signature.signature", "Art. 13(1)(b) requires the provider's electronic signature; the simulation does not sign"},
	{"art13_1.f_geographic_location", "Art. 13(1)(f) and Annex III ask for the IP address with port number; the simulation collects neither"},
	{"art13_1.g_user_identity.email, phone", "Annex III asks for email and phone; a client does not know them, a provider would"},
	{"annex_iii.victim_information", "Annex III asks for victim information; the simulation has none"},
	{"art13_1.a_provider", "there is no real provider: the simulation names itself"},
}

// reportInput is what buildReport needs.
type reportInput struct {
	mode    Mode
	msg     *Message
	part    *Part
	class   Class
	status  ReportStatus
	note    string
	human   string
	removed bool
	algo    string
	now     time.Time
}

func buildReport(in reportInput) Report {
	id := newReportID()
	r := Report{
		Simulated:    true,
		Simulation:   SimulationNotice,
		NotSent:      "NOT SENT: this report was written to a local file only",
		ReportID:     id,
		Mode:         in.mode.Name,
		Status:       in.status,
		StatusNote:   in.note,
		Recipient:    in.mode.Reports.Recipient,
		Onward:       in.mode.Reports.Onward,
		UserInformed: in.mode.Reports.UserInformed,
		Format:       in.mode.Reports.Format,
		Omitted:      append([]Omission(nil), reportOmissions...),
	}
	zone, _ := in.now.Zone()
	p := &r.Points
	p.A = Provider{Name: "Candor demo provider (SIMULATION: no real provider)", LegalRepresentative: "none (simulation)"}
	p.B = DateSignature{Time: in.now, TimeZone: zone}
	p.C = ContentData{Included: false, Items: []ContentItem{{Kind: in.part.Kind, Origin: in.part.Origin,
		MediaType: sniffedType(in.part), Size: in.part.Size}}}
	scanned := "on the sender's device, before encryption"
	if !in.msg.EndToEndEncrypted {
		scanned = "on the sender's device; the chat was not end-to-end encrypted"
	}
	p.D = OtherData{MessageID: in.msg.ID, EndToEndEncrypted: in.msg.EndToEndEncrypted, ScannedBefore: scanned}
	p.E = DetectionType{Type: in.class}
	if in.part.Kind == PartLink {
		p.E.Note = "a URL-list match: links are not an Art. 13(1)(e) category; reported as known material the listed link points to"
	}
	p.F = Location{TimeZone: zone}
	p.G = UserIdentity{Username: in.msg.Account, OtherUsers: append([]string{}, in.msg.Recipients...)}
	if in.status == ReportPseudonymised {
		sum := sha256.Sum256([]byte(id + "\x00" + in.msg.Account))
		p.G = UserIdentity{Username: "pseudonym-" + hex.EncodeToString(sum[:8]), Pseudonymous: true, OtherUsers: []string{}}
	}
	if tc := in.mode.Reports.ThirdCountry; tc != "" {
		p.H = ThirdCountry{Reported: true, To: tc}
	}
	p.I = RemovalStatus{RemovedOrDisabled: in.removed,
		Note: "removed means the simulation blocked the part (switch block-on-match); otherwise it was sent"}
	if in.class == ClassSolicitation {
		p.I.Note = "point (i) applies to material only, not to solicitation"
	}
	p.J = Urgency{Urgent: false, Note: "the simulation never marks a report urgent"}
	p.K = LegalBasisPoint{Reference: in.mode.Reports.LegalBasis}
	r.AnnexIII = AnnexIII{
		ServiceType:      "number-independent interpersonal communications service (XMPP client)",
		AwarenessChannel: in.mode.Reports.AwarenessChannel,
		ActionsTaken:     "none",
		HumanReview:      in.human,
	}
	r.Indicators = Indicators{Algorithm: in.algo, Match: *in.part.Nearest, Quality: in.part.Quality,
		Note: "not Art. 13(1) fields; closest is Art. 45(2)(g) \"relevant indicators and ancillary tags\""}
	for _, h := range in.part.Hashes {
		if h.Variant == "" || h.Variant == in.part.Nearest.Variant {
			r.Indicators.Hash = h.Value
			break
		}
	}
	return r
}

func sniffedType(p *Part) string {
	if p.Sniffed != nil {
		return p.Sniffed.MediaType
	}
	return ""
}

func newReportID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return "sim-" + hex.EncodeToString(b[:])
}
