package commands

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseScanCommands(t *testing.T) {
	r := NewRegistry()
	cases := []struct {
		line string
		want Action
	}{
		{"/scan", ScanShow{}},
		{"/scan off", ScanSetMode{Mode: "off"}},
		{"/scan mode Belgium-2024", ScanSetMode{Mode: "belgium-2024"}},
		{"/scan switch images off", ScanSetSwitch{Switch: "images", On: false}},
		{"/scan switch URLs ON", ScanSetSwitch{Switch: "urls", On: true}},
		{"/scan reading consent-links 1", ScanSetReading{Point: "consent-links", Reading: 1}},
		{"/scan threshold 40", ScanSetThreshold{Bits: 40}},
		{"/scan dihedral on", ScanSetDihedral{On: true}},
		{"/scan fact Child-User on", ScanSetFact{Fact: "child-user", On: true}},
		{"/consent", ConsentShow{}},
		{"/consent Decline", ConsentDecide{Decision: "decline"}},
		{"/consent reset", ConsentDecide{Decision: "reset"}},
		{"/inspect", Inspect{Tab: "scanner"}},
		{"/inspect scan", Inspect{Tab: "scanner"}},
		{"/inspect server", Inspect{Tab: "server"}},
		{"/inspect 3", Inspect{Tab: "server", N: 3}},
		{"/baserate", BaseRate{}},
	}
	for _, c := range cases {
		got, err := r.Parse(c.line)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.line, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Parse(%q) = %#v, want %#v", c.line, got, c.want)
		}
		if _, ok := got.(ScanCommand); !ok {
			t.Errorf("%T is not routed as a scan command", got)
		}
	}
}

func TestParseScanErrorsSayHowToFix(t *testing.T) {
	r := NewRegistry()
	for line, want := range map[string]string{
		"/scan mode":              "usage /scan mode NAME",
		"/scan mode a b":          "usage /scan mode NAME",
		"/scan off now":           "usage /scan off",
		"/scan switch images":     "usage /scan switch NAME on|off",
		"/scan switch images yes": `switch images "yes": want on or off`,
		"/scan reading p x":       `reading "x" of p`,
		"/scan threshold 300":     `threshold "300"`,
		"/scan threshold -1":      `threshold "-1"`,
		"/scan dihedral maybe":    `dihedral "maybe"`,
		"/scan fact targeted":     "usage /scan fact NAME on|off",
		"/scan frobnicate":        `unknown /scan "frobnicate"`,
		"/consent perhaps":        `unknown decision "perhaps"`,
		"/inspect sever":          `no inspector tab "sever"`,
		"/inspect 0":              "N counts messages from the newest",
		"/baserate now":           "too many arguments",
	} {
		_, err := r.Parse(line)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("Parse(%q) = %v, want one line containing %q", line, err, want)
		}
	}
}

func TestCompleteScanArguments(t *testing.T) {
	c := NewCompleter(NewRegistry())
	src := Source{Scan: ScanWords{Modes: []string{"off", "belgium-2024", "commission-2022", "council-2025"},
		Switches: []string{"images", "urls", "e2ee"}, Points: []string{"consent-links", "consent-direction"},
		Facts: []string{"provider-scans", "targeted", "child-user"}}}
	for line, want := range map[string]string{
		"/sc":                         "/scan ",
		"/scan m":                     "/scan mode ",
		"/scan mode b":                "/scan mode belgium-2024 ",
		"/scan switch u":              "/scan switch urls ",
		"/scan switch urls o":         "/scan switch urls off", // off and on: cycling starts at the first
		"/scan dihedral of":           "/scan dihedral off ",
		"/scan reading consent-d":     "/scan reading consent-direction ",
		"/consent a":                  "/consent accept ",
		"/scan fact ch":               "/scan fact child-user ",
		"/scan fact child-user of":    "/scan fact child-user off ",
		"/inspect sc":                 "/inspect scanner ",
		"/scan mode commission-2022 ": "/scan mode commission-2022 ",
	} {
		c.Reset()
		got, _, _ := c.Next(line, src)
		if got != want {
			t.Errorf("tab on %q = %q, want %q", line, got, want)
		}
	}
	c.Reset()
	_, cands, _ := c.Next("/scan mode co", src)
	if !reflect.DeepEqual(cands, []string{"commission-2022", "council-2025"}) {
		t.Fatalf("candidates %v", cands)
	}
}
