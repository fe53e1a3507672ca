package scanhook

import (
	"fmt"
	"sort"
)

// Settings is what a tester controls: the mode, single switches flipped
// against the mode's defaults, and the matching thresholds. It is a value;
// the Pipeline holds one and swaps it atomically.
type Settings struct {
	Mode ModeName `json:"mode"`
	// Overrides are the tester's flips of the mode's defaults. Changing the
	// mode clears them: a reading of one text says nothing about another.
	Overrides map[Switch]bool `json:"overrides,omitempty"`
	// PDQThreshold is the largest Hamming distance that counts as a match
	// (ThreatExchange's PDQ_CONFIDENT_MATCH_THRESHOLD is 31).
	PDQThreshold int `json:"pdq_threshold"`
	// QualityGate discards image hashes whose PDQ quality is below
	// QualityMin (ThreatExchange discards quality ≤ 49).
	QualityGate bool `json:"quality_gate"`
	QualityMin  int  `json:"quality_min"`
	// Dihedral also matches the 7 rotations and mirrors of each image: 8
	// times the comparisons, 8 times the false-positive surface.
	Dihedral bool `json:"dihedral"`
	// TextThreshold is the toy text classifier's score that flags a text.
	TextThreshold float64 `json:"text_threshold"`
}

// DefaultSettings is mode off with the reference thresholds.
func DefaultSettings() Settings {
	return Settings{
		Mode:          ModeOff,
		PDQThreshold:  defaultPDQThreshold,
		QualityGate:   true,
		QualityMin:    defaultQualityMin,
		TextThreshold: defaultTextThreshold,
	}
}

// Validate checks the ranges and names.
func (s Settings) Validate() error {
	if _, err := Lookup(s.Mode); err != nil {
		return err
	}
	for sw := range s.Overrides {
		if _, err := ParseSwitch(string(sw)); err != nil {
			return err
		}
	}
	if s.PDQThreshold < 0 || s.PDQThreshold > 256 {
		return fmt.Errorf("PDQ threshold %d: must be between 0 and 256 bits", s.PDQThreshold)
	}
	if s.QualityMin < 0 || s.QualityMin > 100 {
		return fmt.Errorf("PDQ quality minimum %d: must be between 0 and 100", s.QualityMin)
	}
	if s.TextThreshold <= 0 {
		return fmt.Errorf("text threshold %g: must be above 0", s.TextThreshold)
	}
	return nil
}

// WithMode switches the mode and clears the overrides.
func (s Settings) WithMode(name ModeName) Settings {
	s.Mode = name
	s.Overrides = nil
	return s
}

// WithSwitch flips one switch. Setting it back to the mode's default
// removes the override.
func (s Settings) WithSwitch(sw Switch, on bool) Settings {
	m, err := Lookup(s.Mode)
	over := make(map[Switch]bool, len(s.Overrides)+1)
	for k, v := range s.Overrides {
		over[k] = v
	}
	if err == nil && m.Default(sw) == on {
		delete(over, sw)
	} else {
		over[sw] = on
	}
	if len(over) == 0 {
		over = nil
	}
	s.Overrides = over
	return s
}

// WithReading applies the switches of one reading of a contested point of
// the current mode (reading counts from 0, the mode's default reading).
func (s Settings) WithReading(pointID string, reading int) (Settings, error) {
	m, err := Lookup(s.Mode)
	if err != nil {
		return s, err
	}
	for _, p := range m.Contested {
		if p.ID != pointID {
			continue
		}
		if reading < 0 || reading >= len(p.Readings) {
			return s, fmt.Errorf("contested point %q of mode %s has readings 0 to %d, not %d",
				pointID, m.Name, len(p.Readings)-1, reading)
		}
		sets := p.Readings[reading].Sets
		keys := make([]string, 0, len(sets))
		for k := range sets {
			keys = append(keys, string(k))
		}
		sort.Strings(keys)
		for _, k := range keys {
			s = s.WithSwitch(Switch(k), sets[Switch(k)])
		}
		return s, nil
	}
	ids := make([]string, len(m.Contested))
	for i, p := range m.Contested {
		ids[i] = p.ID
	}
	return s, fmt.Errorf("mode %s has no contested point %q (it has %v)", m.Name, pointID, ids)
}

// On reports whether a switch is on under these settings.
func (s Settings) On(m Mode, sw Switch) bool {
	if v, ok := s.Overrides[sw]; ok {
		return v
	}
	return m.Default(sw)
}

// SwitchState is one switch as in effect, for the inspector.
type SwitchState struct {
	Switch  Switch `json:"switch"`
	On      bool   `json:"on"`
	Default bool   `json:"default"`
	// Overridden is set when a tester flipped the switch.
	Overridden bool   `json:"overridden"`
	Basis      string `json:"basis"`
}

// ContestedState is a contested point with the reading now in effect.
type ContestedState struct {
	ContestedPoint
	// InEffect is the index of the reading whose switches all hold, or -1
	// when the switches match none of them.
	InEffect int `json:"in_effect"`
}

// State lists every switch of the settings' mode as in effect.
func (s Settings) State(m Mode) []SwitchState {
	out := make([]SwitchState, 0, len(m.Defaults))
	for _, sw := range Switches() {
		_, over := s.Overrides[sw]
		out = append(out, SwitchState{Switch: sw, On: s.On(m, sw), Default: m.Default(sw),
			Overridden: over && s.On(m, sw) != m.Default(sw), Basis: m.Basis(sw)})
	}
	return out
}

// ContestedStates lists the mode's contested points with the reading in effect.
func (s Settings) ContestedStates(m Mode) []ContestedState {
	out := make([]ContestedState, 0, len(m.Contested))
	for _, p := range m.Contested {
		cs := ContestedState{ContestedPoint: p, InEffect: -1}
		for i, r := range p.Readings {
			all := true
			for sw, v := range r.Sets {
				if s.On(m, sw) != v {
					all = false
				}
			}
			if all && cs.InEffect < 0 {
				cs.InEffect = i
			}
		}
		out = append(out, cs)
	}
	return out
}
