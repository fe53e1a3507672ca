package scanview

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/theme"
)

// The banner fits any width, always starts with SIMULATION and names the
// mode; with room it gives the source and whether E2EE chats are scanned.
func TestBannerFitsAndLeadsWithSimulation(t *testing.T) {
	st := session.ScanStatus{On: true, Mode: "denmark-2025", E2EEScanned: false,
		Source: "Danish Presidency compromise, " + strings.Repeat("very long source ", 10)}
	for w := 12; w <= 300; w++ {
		b := ansi.Strip(Banner(st, w))
		if ansi.StringWidth(b) != w {
			t.Fatalf("width %d: banner is %d wide", w, ansi.StringWidth(b))
		}
		if !strings.Contains(b, "SIMULATION") || w > len(" SIMULATION · denmark-2025") && !strings.Contains(b, "denmark-2025") {
			t.Fatalf("width %d: %q", w, b)
		}
	}
	wide := ansi.Strip(Banner(st, 300))
	if !strings.Contains(wide, "E2EE chats not scanned") || !strings.Contains(wide, "source: Danish Presidency") {
		t.Fatalf("wide banner %q", wide)
	}
	if Banner(session.ScanStatus{Mode: "off"}, 80) != "" {
		t.Fatal("a banner while scanning is off")
	}
}

func TestBadgeWords(t *testing.T) {
	th := theme.New(true)
	for _, c := range []struct {
		v     *session.ScanVerdict
		state session.DeliveryState
		want  string
	}{
		{nil, session.Queued, ""},
		{nil, session.Sent, "◌ not scanned"},
		{&session.ScanVerdict{Action: session.ScanAllow}, session.Sent, "◌ unscanned·allow"},
		{&session.ScanVerdict{Action: session.ScanAllow, Scanned: true}, session.Delivered, "◉ scanned·allow"},
		{&session.ScanVerdict{Action: session.ScanReported, Scanned: true}, session.Sent, "⚑ scanned·reported"},
		{&session.ScanVerdict{Action: session.ScanBlocked}, session.Failed, "⊘ unscanned·blocked"},
		{&session.ScanVerdict{Action: session.ScanBlocked, Scanned: true}, session.Failed, "⊘ scanned·blocked"},
	} {
		styled, plain := Badge(th, c.v, c.state)
		if plain != c.want || ansi.Strip(styled) != c.want {
			t.Errorf("%+v %v: %q / %q, want %q", c.v, c.state, plain, ansi.Strip(styled), c.want)
		}
	}
}

func TestParseFigure(t *testing.T) {
	for in, want := range map[string]float64{"1e-6": 1e-6, "15,200,000,000": 15.2e9, " 0.1 % ": 0.001, "90%": 0.9} {
		got, err := parseFigure(in)
		if err != nil || got != want {
			t.Errorf("parseFigure(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "ten", "1e-6x", "%"} {
		if _, err := parseFigure(bad); err == nil {
			t.Errorf("parseFigure(%q) accepted", bad)
		}
	}
	if Count(15199984.8) != "15,199,985" || Count(13.68) != "13.7" || Percent(0.9991) != "99.91 %" {
		t.Fatalf("formats: %s %s %s", Count(15199984.8), Count(13.68), Percent(0.9991))
	}
}
