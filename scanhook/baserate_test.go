package scanhook

import (
	"math"
	"strings"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestBaseRateReproducesScanningMD(t *testing.T) {
	r, err := BaseRate(DefaultBaseRate())
	if err != nil {
		t.Fatal(err)
	}
	// scanning.md section 3: precision 0.09 %, i.e. 999 of 1,000 reports innocent.
	if math.Round(r.Precision*10000)/100 != 0.09 || math.Round(r.InnocentShare*1000) != 999 {
		t.Errorf("precision %g, innocent share %g", r.Precision, r.InnocentShare)
	}
	// 15.2 billion messages at 10^-3: 15.2 million false flags a day (the table).
	if math.Round(r.FalseReportsPerDay/1e5)/10 != 15.2 {
		t.Errorf("false reports a day %g", r.FalseReportsPerDay)
	}
	// The table's cells: 10 % of messages with images or links, 10^-6 per item: about 1,500 a day.
	cell, err := BaseRate(BaseRateInput{ItemsPerDay: 0.1 * DefaultItemsPerDay, FalsePositiveRate: 1e-6})
	if err != nil || math.Round(cell.FalseReportsPerDay) != 1520 || cell.Precision != 0 {
		t.Errorf("hash cell %+v, %v", cell, err)
	}
	if !near(r.ReportsPerDay, r.FalseReportsPerDay+r.TrueReportsPerDay) || !near(r.Precision+r.InnocentShare, 1) {
		t.Errorf("inconsistent %+v", r)
	}
	if !strings.HasPrefix(r.Simulation, "SIMULATION") {
		t.Error("no SIMULATION notice")
	}
}

func TestBaseRateRefusesNonsense(t *testing.T) {
	for _, in := range []BaseRateInput{
		{ItemsPerDay: -1}, {ItemsPerDay: math.NaN()}, {ItemsPerDay: math.Inf(1)},
		{ItemsPerDay: 1, FalsePositiveRate: 1.5}, {ItemsPerDay: 1, TruePositiveRate: -0.1}, {ItemsPerDay: 1, Prevalence: 2},
	} {
		if _, err := BaseRate(in); err == nil {
			t.Errorf("BaseRate(%+v) accepted", in)
		}
	}
	if r, err := BaseRate(BaseRateInput{}); err != nil || r.Precision != 0 || r.ReportsPerDay != 0 {
		t.Errorf("zero input: %+v, %v", r, err)
	}
}

func TestBaseRateFiguresHaveSources(t *testing.T) {
	figs := BaseRateFigures()
	d := DefaultBaseRate()
	defaults := map[float64]bool{d.ItemsPerDay: false, d.FalsePositiveRate: false, d.TruePositiveRate: false, d.Prevalence: false}
	for _, f := range figs {
		if f.Source == "" || f.Name == "" {
			t.Errorf("figure without source: %+v", f)
		}
		if _, ok := defaults[f.Value]; ok {
			defaults[f.Value] = true
		}
	}
	for v, seen := range defaults {
		if !seen {
			t.Errorf("default %g has no sourced figure", v)
		}
	}
}
