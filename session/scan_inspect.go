package session

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/candor-xmpp/candor/scanhook"
)

// ScanVerdicts implements Scanning.
func (c *Client) ScanVerdicts(ctx context.Context, ids []int64) (map[int64]ScanVerdict, error) {
	st, err := c.store()
	if err != nil {
		return nil, err
	}
	rows, err := st.ScanVerdicts(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]ScanVerdict, len(rows))
	for id, v := range rows {
		out[id] = ScanVerdict{MessageID: id, Mode: v.Mode, Action: ScanAction(v.Action), Scanned: v.Scanned,
			Reported: v.Reported, Summary: v.Summary, Reason: v.Reason, At: v.At}
	}
	return out, nil
}

// InspectScan implements Scanning: the stored result, as the scanner left it.
func (c *Client) InspectScan(ctx context.Context, id int64) (ScanInspection, error) {
	st, err := c.store()
	if err != nil {
		return ScanInspection{}, err
	}
	m, err := st.Message(ctx, id)
	if err != nil {
		return ScanInspection{}, fmt.Errorf("message %d: %v", id, err)
	}
	v, found, err := st.ScanVerdict(ctx, id)
	if err != nil {
		return ScanInspection{}, err
	}
	if !found {
		return ScanInspection{}, fmt.Errorf("message %d: %w", id, ErrNotScanned)
	}
	var res scanhook.Result
	if err := json.Unmarshal(v.Result, &res); err != nil {
		return ScanInspection{}, fmt.Errorf("scan verdict of message %d: %v", id, err)
	}
	in := inspection(id, &res)
	in.Peer, in.Body = m.Peer, m.Body
	return in, nil
}

// inspection converts a scanhook result for the UI.
func inspection(id int64, res *scanhook.Result) ScanInspection {
	in := ScanInspection{
		MessageID: id, Simulation: res.Simulation, Verdict: verdictOf(id, res),
		Mode: string(res.Mode), ModeTitle: res.ModeTitle, LegalSource: res.LegalSource, SourceStatus: res.SourceStatus,
		EndToEndEncrypted: res.EndToEndEncrypted,
		Gate:              ScanGate{Passed: res.Gate.Passed, Reason: res.Gate.Reason, Basis: res.Gate.Basis},
		Consent: ScanConsent{Rule: res.Consent.Rule.Text, Required: res.Consent.Required, Covers: res.Consent.Covers,
			State: string(res.Consent.State), Asked: res.Consent.Asked, Note: res.Consent.Note},
		Thresholds: ScanThresholds{PDQ: res.Thresholds.PDQThreshold, QualityGate: res.Thresholds.QualityGate,
			QualityMin: res.Thresholds.QualityMin, Dihedral: res.Thresholds.Dihedral, Text: res.Thresholds.TextThreshold},
		Rule:      ScanRule(res.Decision.Rule),
		Limits:    res.Limits,
		Errors:    res.Errors,
		StartedAt: res.StartedAt,
		Duration:  time.Duration(res.DurationNS),
	}
	for _, r := range res.Decision.Rules {
		in.Rules = append(in.Rules, ScanRule(r))
	}
	for _, p := range res.Parts {
		in.Parts = append(in.Parts, scanPart(p))
	}
	for _, r := range res.Reports {
		b, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			b = []byte(err.Error())
		}
		in.Reports = append(in.Reports, ScanReport{ID: r.ReportID, Status: string(r.Status), Recipient: r.Recipient, JSON: string(b)})
	}
	if b, err := json.MarshalIndent(res, "", "  "); err == nil {
		in.ResultJSON = string(b)
	}
	return in
}

func scanPart(p scanhook.Part) ScanPart {
	out := ScanPart{Index: p.Index, Kind: string(p.Kind), Origin: p.Origin, Name: p.Name, DeclaredType: p.DeclaredType,
		Size: p.Size, Scanned: p.Scanned, NotScannedReason: p.NotScannedReason, Blocked: p.Blocked,
		BlockedReason: p.BlockedReason, Matched: p.Matched, Flags: p.Flags, Note: p.Note, Error: p.Error,
		Duration: time.Duration(p.DurationNS)}
	if p.Sniffed != nil {
		out.Sniffed = string(p.Sniffed.Kind)
		if p.Sniffed.Format != "" {
			out.Sniffed += ", " + p.Sniffed.Format
		}
	}
	if p.URL != nil {
		out.URL = p.URL.URL
	}
	for _, h := range p.Hashes {
		out.Hashes = append(out.Hashes, ScanHash(h))
	}
	if p.Quality != nil {
		out.Quality, out.HasQuality = *p.Quality, true
		out.QualityPassed = p.QualityPassed == nil || *p.QualityPassed
	}
	if n := p.Nearest; n != nil {
		out.Nearest = &ScanMatch{List: n.List, EntryID: n.EntryID, Label: n.Label, Class: string(n.Class),
			Distance: n.Distance, Threshold: n.Threshold, Variant: n.Variant, Score: n.Score,
			ScoreThreshold: n.ScoreThreshold, Terms: n.Terms, Matched: n.Matched}
	}
	return out
}
