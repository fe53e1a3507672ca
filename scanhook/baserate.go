package scanhook

import (
	"fmt"
	"math"
)

// BaseRateInput are the figures of the base-rate calculator. Each default
// comes with its source (DefaultBaseRateFigures).
type BaseRateInput struct {
	// ItemsPerDay are the messages (or images and links) scanned a day.
	ItemsPerDay float64 `json:"items_per_day"`
	// FalsePositiveRate is the chance an innocent item is flagged.
	FalsePositiveRate float64 `json:"false_positive_rate"`
	// TruePositiveRate is the chance an abusive item is flagged.
	TruePositiveRate float64 `json:"true_positive_rate"`
	// Prevalence is the share of items that are abusive.
	Prevalence float64 `json:"prevalence"`
}

// BaseRateResult is what the figures imply.
type BaseRateResult struct {
	Input              BaseRateInput `json:"input"`
	FalseReportsPerDay float64       `json:"false_reports_per_day"`
	TrueReportsPerDay  float64       `json:"true_reports_per_day"`
	ReportsPerDay      float64       `json:"reports_per_day"`
	// Precision is the share of reports that are right:
	// TPR·p / (TPR·p + FPR·(1−p)) (scanning.md section 3).
	Precision float64 `json:"precision"`
	// InnocentShare is 1 − Precision: the share of reports about innocent items.
	InnocentShare float64 `json:"innocent_share"`
	Simulation    string  `json:"simulation"`
}

// BaseRate computes false and true reports a day and the share of innocent
// reports. It is a pure function; the error names a figure out of range.
func BaseRate(in BaseRateInput) (BaseRateResult, error) {
	checks := []struct {
		name     string
		v        float64
		max      float64
		maxIsOne bool
	}{
		{"items per day", in.ItemsPerDay, math.MaxFloat64, false},
		{"false-positive rate", in.FalsePositiveRate, 1, true},
		{"true-positive rate", in.TruePositiveRate, 1, true},
		{"prevalence", in.Prevalence, 1, true},
	}
	for _, c := range checks {
		if math.IsNaN(c.v) || c.v < 0 || c.v > c.max || math.IsInf(c.v, 0) {
			if c.maxIsOne {
				return BaseRateResult{}, fmt.Errorf("base rate: %s %g must be between 0 and 1", c.name, c.v)
			}
			return BaseRateResult{}, fmt.Errorf("base rate: %s %g must be a number of at least 0", c.name, c.v)
		}
	}
	r := BaseRateResult{Input: in, Simulation: "SIMULATION: arithmetic on the figures given, not a measurement"}
	r.FalseReportsPerDay = in.ItemsPerDay * (1 - in.Prevalence) * in.FalsePositiveRate
	r.TrueReportsPerDay = in.ItemsPerDay * in.Prevalence * in.TruePositiveRate
	r.ReportsPerDay = r.FalseReportsPerDay + r.TrueReportsPerDay
	if r.ReportsPerDay > 0 {
		r.Precision = r.TrueReportsPerDay / r.ReportsPerDay
		r.InnocentShare = r.FalseReportsPerDay / r.ReportsPerDay
	}
	return r, nil
}

// Figure is a number with its source, for the calculator's defaults and
// the figures a speaker may quote beside it.
type Figure struct {
	Name   string  `json:"name"`
	Value  float64 `json:"value"`
	Source string  `json:"source"`
}

// The calculator's default figures (scanning.md section 3).
const (
	DefaultItemsPerDay       = 15.2e9
	DefaultFalsePositiveRate = 1e-3
	DefaultTruePositiveRate  = 0.9
	DefaultPrevalence        = 1e-6
)

// DefaultBaseRate is the example of scanning.md section 3: all EU messages,
// an "optimistic" classifier. It gives a precision of 0.09 %.
func DefaultBaseRate() BaseRateInput {
	return BaseRateInput{ItemsPerDay: DefaultItemsPerDay, FalsePositiveRate: DefaultFalsePositiveRate,
		TruePositiveRate: DefaultTruePositiveRate, Prevalence: DefaultPrevalence}
}

// BaseRateFigures are the sourced figures: the defaults first, then others
// a speaker can switch to or quote.
func BaseRateFigures() []Figure {
	return []Figure{
		{"items per day: instant messages in the EU", DefaultItemsPerDay,
			"estimate: Germany 2025 has 2.83 billion instant messages a day, 34 per resident (VATM market study, dpa 29 Apr 2025), extrapolated to the EU's ~449 M residents (scanning.md section 3)"},
		{"false-positive rate: classifier", DefaultFalsePositiveRate,
			"the 2024 scientists' letter's \"optimistic\" classifier rate (scanning.md section 3)"},
		{"true-positive rate", DefaultTruePositiveRate,
			"assumed in scanning.md section 3's precision example; the Commission's \"around 90 %\" for grooming is a precision claim on an unknown test set, not this"},
		{"prevalence", DefaultPrevalence,
			"assumption of scanning.md section 3's precision example; no sourced figure exists"},
		{"false-positive rate: optimistic hash match", 1e-6, "scanning.md section 3 table"},
		{"share of messages with images or links", 0.10, "assumption (scanning.md section 3 table)"},
		{"WhatsApp messages a day worldwide", 100e9, "Meta Q3-2020 call (scanning.md section 3)"},
		{"messages a day in the 2024 scientists' letter", 140e9, "scientists' letter 2024 (scanning.md section 3)"},
		{"share of Irish NCMEC referrals that were not CSAM, 2020", 471.0 / 4192.0,
			"471 of 4,192 (11.2 %) found not to be CSAM by the Gardaí (iccl.ie, 19 Oct 2022)"},
		{"share of Swiss NCMEC reports referred to cantonal police, 2021", 1399.0 / 7176.0,
			"1,399 of 7,176 (19.5 %) (fedpol 2021, scanning.md section 3)"},
	}
}
