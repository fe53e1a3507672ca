package commands

import (
	"fmt"
	"strconv"
	"strings"
)

// The commands of scanhook, the scanning SIMULATION: /scan, /consent,
// /inspect and /baserate. Their names to complete (modes, switches,
// contested points) come from the backend through Source.Scan.

// Argument kinds of the scan commands: completion depends on the words
// before them.
const (
	ArgScanSub    ArgKind = 100 + iota // mode, off, switch, reading, threshold, dihedral
	ArgScanValue                       // the mode, switch or point name, or on/off
	ArgScanOnOff                       // on/off after a switch name; a number after a point
	ArgConsent                         // accept, decline, reset
	ArgInspectTab                      // a tab of the inspector
)

// ScanWords are the names the scan commands complete.
type ScanWords struct {
	Modes    []string
	Switches []string
	Points   []string // contested points of the current mode
	Facts    []string // simulated facts (provider-scans, ...)
}

// ScanCommand is implemented by the actions below, so that the root can
// route them with one case.
type ScanCommand interface{ scanCommand() }

// The actions of the scan commands.
type (
	ScanShow      struct{}
	ScanSetMode   struct{ Mode string }
	ScanSetSwitch struct {
		Switch string
		On     bool
	}
	ScanSetReading struct {
		Point   string
		Reading int
	}
	ScanSetThreshold struct{ Bits int }
	ScanSetDihedral  struct{ On bool }
	ScanSetFact      struct {
		Fact string
		On   bool
	}
	ConsentShow   struct{}
	ConsentDecide struct{ Decision string } // accept, decline, reset
	Inspect       struct {                  // "scanner", "server" or "you"
		Tab string
		N   int // the N-th newest message of the chat (any direction); 0: our newest
	}
	BaseRate struct{}
)

func (ScanShow) scanCommand()         {}
func (ScanSetMode) scanCommand()      {}
func (ScanSetSwitch) scanCommand()    {}
func (ScanSetReading) scanCommand()   {}
func (ScanSetThreshold) scanCommand() {}
func (ScanSetDihedral) scanCommand()  {}
func (ScanSetFact) scanCommand()      {}
func (ConsentShow) scanCommand()      {}
func (ConsentDecide) scanCommand()    {}
func (Inspect) scanCommand()          {}
func (BaseRate) scanCommand()         {}

// InspectorTabs are the tabs /inspect knows.
func InspectorTabs() []string { return []string{"scanner", "server", "you"} }

// scanSpecs are the scan commands, appended to the registry.
func scanSpecs() []Spec {
	return []Spec{
		{Name: "scan", Args: []Arg{{Name: "mode|off|switch|reading|threshold|dihedral|fact", Kind: ArgScanSub, Optional: true},
			{Name: "VALUE", Kind: ArgScanValue, Optional: true}, {Name: "on|off|N", Kind: ArgScanOnOff, Optional: true}},
			Summary: "show or switch scanhook, the scanning SIMULATION",
			Help: "Without arguments shows the mode, its legal source, switches, contested readings and thresholds. " +
				"/scan mode NAME switches the mode (tab completes the names); /scan off turns scanning off; " +
				"/scan switch NAME on|off flips one switch of the mode; /scan reading POINT N picks reading N of a contested point; " +
				"/scan threshold N sets the PDQ match threshold in bits (default 31); /scan dihedral on|off also matches rotations and mirrors; " +
				"/scan fact NAME on|off sets what the simulation cannot know: provider-scans (council-2025), targeted (parliament-2023), child-user (grooming detection). " +
				"scanhook is a simulation: demo lists only, reports stay in a local file."},
		{Name: "consent", Args: []Arg{{Name: "accept|decline|reset", Kind: ArgConsent, Optional: true}},
			Summary: "show or change your decision on scanning (SIMULATION)",
			Help: "Without an argument shows the decision in effect under the current mode and the audit log of every decision, " +
				"and reopens an unanswered consent request. accept or decline decides (and answers an open request); reset forgets the decision."},
		{Name: "inspect", Args: []Arg{{Name: "scanner|server|you|N", Kind: ArgInspectTab, Optional: true}},
			Summary: "three views of your newest message: you, the scanner, the server",
			Help: "Opens the inspector on your newest message in this chat, on the tab named (scanner by default): " +
				"you: the text and how it was protected; " +
				"scanner: the parts the scanner saw, each hash, the nearest list entry against the threshold, quality, time taken, " +
				"the decision and its rule, and the simulated report as written; " +
				"server: the stanza as it crossed the wire, with addresses, times, sizes, the OMEMO header and the devices it was " +
				"encrypted for. /inspect N shows the N-th newest message of the chat, received ones too, on the server tab. " +
				"[ and ] step to older and newer messages of yours. F8 does the same."},
		{Name: "baserate", Summary: "the base-rate calculator: false reports a day",
			Help: "Opens the calculator: messages scanned a day, false- and true-positive rates and prevalence give the false reports " +
				"a day and the share of reports about innocent people; the defaults and other figures come with their sources."},
	}
}

// parseScan parses the scan commands; ok is false for other commands.
func parseScan(spec Spec, args []string) (a Action, ok bool, err error) {
	get := func(i int) string {
		if i < len(args) {
			return args[i]
		}
		return ""
	}
	switch spec.Name {
	case "scan":
		a, err = parseScanArgs(spec, get(0), get(1), get(2))
		return a, true, err
	case "consent":
		switch d := strings.ToLower(get(0)); d {
		case "":
			return ConsentShow{}, true, nil
		case "accept", "decline", "reset":
			return ConsentDecide{Decision: d}, true, nil
		default:
			return nil, true, fmt.Errorf("unknown decision %q: usage %s", get(0), spec.Usage())
		}
	case "inspect":
		if n, err := strconv.Atoi(get(0)); err == nil {
			if n < 1 {
				return nil, true, fmt.Errorf("/inspect %d: N counts messages from the newest, 1 or more", n)
			}
			return Inspect{Tab: "server", N: n}, true, nil
		}
		tab := strings.ToLower(get(0))
		if tab == "" || tab == "scan" {
			tab = "scanner"
		}
		for _, t := range InspectorTabs() {
			if t == tab {
				return Inspect{Tab: tab}, true, nil
			}
		}
		return nil, true, fmt.Errorf("no inspector tab %q: the tabs are %s", get(0), strings.Join(InspectorTabs(), ", "))
	case "baserate":
		return BaseRate{}, true, nil
	}
	return nil, false, nil
}

func parseScanArgs(spec Spec, sub, value, third string) (Action, error) {
	want := func(n int, shape string) error {
		got := 0
		for _, w := range []string{value, third} {
			if w != "" {
				got++
			}
		}
		if got != n {
			return fmt.Errorf("usage /scan %s", shape)
		}
		return nil
	}
	switch strings.ToLower(sub) {
	case "":
		return ScanShow{}, nil
	case "off":
		return ScanSetMode{Mode: "off"}, want(0, "off")
	case "mode":
		if err := want(1, "mode NAME (tab completes the names)"); err != nil {
			return nil, err
		}
		return ScanSetMode{Mode: strings.ToLower(value)}, nil
	case "switch":
		if err := want(2, "switch NAME on|off"); err != nil {
			return nil, err
		}
		on, err := onOff(third, "switch "+value)
		return ScanSetSwitch{Switch: strings.ToLower(value), On: on}, err
	case "reading":
		if err := want(2, "reading POINT N"); err != nil {
			return nil, err
		}
		n, err := strconv.Atoi(third)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("reading %q of %s: want a number from 0", third, value)
		}
		return ScanSetReading{Point: value, Reading: n}, nil
	case "threshold":
		if err := want(1, "threshold N (bits, 0 to 256)"); err != nil {
			return nil, err
		}
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 || n > 256 {
			return nil, fmt.Errorf("threshold %q: want a number of bits from 0 to 256", value)
		}
		return ScanSetThreshold{Bits: n}, nil
	case "dihedral":
		if err := want(1, "dihedral on|off"); err != nil {
			return nil, err
		}
		on, err := onOff(value, "dihedral")
		return ScanSetDihedral{On: on}, err
	case "fact":
		if err := want(2, "fact NAME on|off"); err != nil {
			return nil, err
		}
		on, err := onOff(third, "fact "+value)
		return ScanSetFact{Fact: strings.ToLower(value), On: on}, err
	}
	return nil, fmt.Errorf("unknown /scan %q: usage %s", sub, spec.Usage())
}

func onOff(s, what string) (bool, error) {
	switch strings.ToLower(s) {
	case "on":
		return true, nil
	case "off":
		return false, nil
	}
	return false, fmt.Errorf("%s %q: want on or off", what, s)
}

// scanPool lists what the word at argIndex of a scan command may become,
// given the words before it.
func scanPool(kind ArgKind, words []string, src Source) []string {
	prev := func(i int) string {
		if i < len(words) {
			return strings.ToLower(words[i])
		}
		return ""
	}
	switch kind {
	case ArgScanSub:
		return []string{"mode", "off", "switch", "reading", "threshold", "dihedral", "fact"}
	case ArgScanValue:
		switch prev(0) {
		case "mode":
			return src.Scan.Modes
		case "switch":
			return src.Scan.Switches
		case "reading":
			return src.Scan.Points
		case "dihedral":
			return []string{"on", "off"}
		case "fact":
			return src.Scan.Facts
		}
	case ArgScanOnOff:
		if prev(0) == "switch" || prev(0) == "fact" {
			return []string{"on", "off"}
		}
	case ArgConsent:
		return []string{"accept", "decline", "reset"}
	case ArgInspectTab:
		return InspectorTabs()
	}
	return nil
}
