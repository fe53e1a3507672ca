package session

import "github.com/candor-xmpp/candor/scanhook"

// Pure functions over scanhook's data, for the UI (which may not import
// scanhook): the names to complete and the base-rate calculator. They touch
// no client and no store.

// ScanModeInfo names a mode for completion and lists.
type ScanModeInfo struct {
	Name  string
	Title string
}

// ScanModes lists every mode in the order the UI offers them, "off" first.
func ScanModes() []ScanModeInfo {
	var out []ScanModeInfo
	for _, m := range scanhook.Modes() {
		out = append(out, ScanModeInfo{Name: string(m.Name), Title: m.Title})
	}
	return out
}

// ScanSwitchNames lists the switches a mode sets.
func ScanSwitchNames() []string {
	var out []string
	for _, s := range scanhook.Switches() {
		out = append(out, string(s))
	}
	return out
}

// BaseRateInput are the figures of the base-rate calculator.
type BaseRateInput struct {
	ItemsPerDay       float64
	FalsePositiveRate float64
	TruePositiveRate  float64
	Prevalence        float64
}

// BaseRateResult is what the figures imply.
type BaseRateResult struct {
	FalseReportsPerDay float64
	TrueReportsPerDay  float64
	ReportsPerDay      float64
	// Precision is the share of reports that are right; InnocentShare the
	// share about innocent items.
	Precision     float64
	InnocentShare float64
	Simulation    string
}

// BaseRateFigure is a number with its source.
type BaseRateFigure struct {
	Name   string
	Value  float64
	Source string
}

// DefaultBaseRate is the calculator's sourced starting point.
func DefaultBaseRate() BaseRateInput { return BaseRateInput(scanhook.DefaultBaseRate()) }

// BaseRate computes false and true reports a day and the share of
// innocent reports; the error names a figure out of range.
func BaseRate(in BaseRateInput) (BaseRateResult, error) {
	r, err := scanhook.BaseRate(scanhook.BaseRateInput(in))
	if err != nil {
		return BaseRateResult{}, err
	}
	return BaseRateResult{FalseReportsPerDay: r.FalseReportsPerDay, TrueReportsPerDay: r.TrueReportsPerDay,
		ReportsPerDay: r.ReportsPerDay, Precision: r.Precision, InnocentShare: r.InnocentShare,
		Simulation: r.Simulation}, nil
}

// BaseRateFigures are the sourced figures: the defaults first.
func BaseRateFigures() []BaseRateFigure {
	var out []BaseRateFigure
	for _, f := range scanhook.BaseRateFigures() {
		out = append(out, BaseRateFigure(f))
	}
	return out
}
