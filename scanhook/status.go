package scanhook

import "fmt"

// Status is what the UI's banner shows while scanning is on.
type Status struct {
	Mode        ModeName `json:"mode"`
	Title       string   `json:"title"`
	Source      string   `json:"source"`
	On          bool     `json:"on"`
	E2EEScanned bool     `json:"e2ee_scanned"`
	// Banner is one line, SIMULATION first.
	Banner string `json:"banner"`
}

// Status describes the current mode for the banner.
func (p *Pipeline) Status() Status {
	s := p.Settings()
	m, err := Lookup(s.Mode)
	if err != nil {
		return Status{Mode: s.Mode, Banner: "SIMULATION · scanhook: " + err.Error()}
	}
	st := Status{Mode: m.Name, Title: m.Title, Source: m.Source, On: m.Name != ModeOff,
		E2EEScanned: m.Name != ModeOff && s.On(m, SwitchE2EE)}
	switch {
	case !st.On:
		st.Banner = "scanhook off"
	case st.E2EEScanned:
		st.Banner = fmt.Sprintf("SIMULATION · scanhook %s · end-to-end encrypted chats ARE scanned before encryption", m.Name)
	default:
		st.Banner = fmt.Sprintf("SIMULATION · scanhook %s · end-to-end encrypted chats are NOT scanned", m.Name)
	}
	return st
}
