package scanhook

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportsCarryArt13PointsAndSayWhatIsLeftOut(t *testing.T) {
	dir := t.TempDir()
	sink, err := NewFileSink(filepath.Join(dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	p := newTestPipeline(t, DefaultSettings().WithMode(ModeCommission2022), Options{Sink: sink})
	res := check(t, p, standardMessage(t, true))
	if len(res.Reports) != 2 {
		t.Fatalf("%d reports, want text and image", len(res.Reports))
	}
	written, err := ReadReports(sink.Path())
	if err != nil || len(written) != 2 || written[0].ReportID != res.Reports[0].ReportID {
		t.Fatalf("sink holds %d reports, %v", len(written), err)
	}
	fi, err := os.Stat(sink.Path())
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("sink file mode %v, %v", fi.Mode(), err)
	}
	raw, err := os.ReadFile(sink.Path())
	if err != nil {
		t.Fatal(err)
	}
	line := strings.SplitN(string(raw), "\n", 2)[0]
	var generic map[string]any
	if err := json.Unmarshal([]byte(line), &generic); err != nil {
		t.Fatal(err)
	}
	if generic["simulated"] != true {
		t.Errorf("simulated = %v", generic["simulated"])
	}
	points, _ := generic["art13_1"].(map[string]any)
	for _, k := range []string{"a_provider", "b_date_time_signature", "c_content_data", "d_other_data", "e_detection_type",
		"f_geographic_location", "g_user_identity", "h_third_country_report", "i_removed_or_disabled", "j_urgent", "k_legal_basis"} {
		if _, ok := points[k]; !ok {
			t.Errorf("point %s missing", k)
		}
	}
	if len(points) != 11 {
		t.Errorf("%d points, want the eleven of Art. 13(1)", len(points))
	}
	for _, r := range res.Reports {
		if r.Points.C.Included || r.Points.B.Signature != nil || r.Points.F.IPAddress != nil || r.Points.F.Port != nil {
			t.Errorf("report claims content, signature or IP: %+v", r.Points)
		}
		for _, must := range []string{"c_content_data", "signature", "f_geographic_location"} {
			found := false
			for _, o := range r.Omitted {
				found = found || strings.Contains(o.Field, must)
			}
			if !found {
				t.Errorf("omission of %s not stated", must)
			}
		}
		switch r.Points.E.Type {
		case ClassKnown, ClassNew, ClassSolicitation:
		default:
			t.Errorf("detection type %q is not an Art. 13(1)(e) category", r.Points.E.Type)
		}
		if r.Points.K.Reference == "" || r.Points.G.Username != alice || r.Points.D.MessageID != "std" ||
			!strings.Contains(r.NotSent, "NOT SENT") || r.Recipient != "the EU Centre (Art. 12(1) COM(2022) 209)" {
			t.Errorf("report %+v", r)
		}
	}
}

func TestSinkRefusesUnsimulatedReports(t *testing.T) {
	sink, err := NewFileSink(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := sink.Write(Report{}); err == nil {
		t.Fatal("a report not marked simulated was written")
	}
	if _, err := NewFileSink(""); err == nil {
		t.Fatal("empty data directory accepted")
	}
	if err := os.WriteFile(sink.Path(), []byte("{\"simulated\":true}\nnot json\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadReports(sink.Path()); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("ReadReports error %v", err)
	}
	if r, err := ReadReports(filepath.Join(t.TempDir(), "none.jsonl")); err != nil || r != nil {
		t.Errorf("missing file: %v, %v", r, err)
	}
}

func TestSinkFailureDoesNotStopTheMessage(t *testing.T) {
	dir := t.TempDir()
	sink, err := NewFileSink(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(sink.Path(), 0o700); err != nil { // a directory where the file should be
		t.Fatal(err)
	}
	p := newTestPipeline(t, DefaultSettings().WithMode(ModeCommission2022), Options{Sink: sink})
	res := check(t, p, standardMessage(t, true))
	if len(res.Errors) == 0 || res.Decision.Action != ActionAllowAndReport {
		t.Fatalf("errors %v decision %+v", res.Errors, res.Decision)
	}
}
