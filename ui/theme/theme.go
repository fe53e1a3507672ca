package theme

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Mode chooses the palette: follow the terminal, or force one.
type Mode string

const (
	Auto  Mode = ""
	Dark  Mode = "dark"
	Light Mode = "light"
)

// Theme holds the palette and the styles built from it. A Theme is built
// once per background and never changed; a new background makes a new one.
type Theme struct {
	Dark bool

	Accent, Muted, Rule, Success, Warning, Error, Self, Peer color.Color

	Text        lipgloss.Style // the terminal's own colours
	Faint       lipgloss.Style // secondary text: times, hints
	Bold        lipgloss.Style
	Title       lipgloss.Style // pane titles
	TitleFocus  lipgloss.Style // the title of the focused pane
	RuleStyle   lipgloss.Style // separators
	Selected    lipgloss.Style // the cursor row in a focused list
	Active      lipgloss.Style // the open conversation in the list
	Badge       lipgloss.Style // unread counts
	SelfName    lipgloss.Style
	PeerName    lipgloss.Style
	Good        lipgloss.Style
	Warn        lipgloss.Style
	Bad         lipgloss.Style
	Banner      lipgloss.Style // subscription requests and other calls to act
	StatusBar   lipgloss.Style
	StatusKey   lipgloss.Style
	DialogBox   lipgloss.Style
	DialogTitle lipgloss.Style
	Input       lipgloss.Style
	InputFocus  lipgloss.Style

	// XML console
	XMLTag, XMLAttr, XMLValue, XMLText lipgloss.Style
	Outgoing, Incoming                 lipgloss.Style
}

// Resolve turns a mode and the detected background into "is dark".
func Resolve(mode Mode, detectedDark bool) bool {
	switch mode {
	case Dark:
		return true
	case Light:
		return false
	}
	return detectedDark
}

// New builds the theme for a dark or a light background. The pairs are
// chosen for at least 4.5:1 contrast on white and on black.
func New(dark bool) *Theme {
	ld := lipgloss.LightDark(dark)
	c := lipgloss.Color
	t := &Theme{
		Dark:    dark,
		Accent:  ld(c("#0A58CA"), c("#79B8FF")),
		Muted:   ld(c("#5C6370"), c("#A0A7B4")),
		Rule:    ld(c("#8C959F"), c("#5C6370")),
		Success: ld(c("#1A7F37"), c("#56D364")),
		Warning: ld(c("#8A5A00"), c("#E3B341")),
		Error:   ld(c("#C4162A"), c("#FF7B72")),
		Self:    ld(c("#0A58CA"), c("#79B8FF")),
		Peer:    ld(c("#8250DF"), c("#D2A8FF")),
	}
	s := lipgloss.NewStyle
	t.Text = s()
	t.Faint = s().Foreground(t.Muted)
	t.Bold = s().Bold(true)
	t.Title = s().Foreground(t.Muted).Bold(true)
	t.TitleFocus = s().Foreground(t.Accent).Bold(true)
	t.RuleStyle = s().Foreground(t.Rule)
	t.Selected = s().Background(ld(c("#D6E4F5"), c("#264F78"))).Foreground(ld(c("#000000"), c("#FFFFFF")))
	t.Active = s().Foreground(t.Accent).Bold(true)
	t.Badge = s().Foreground(ld(c("#FFFFFF"), c("#000000"))).Background(t.Accent).Bold(true)
	t.SelfName = s().Foreground(t.Self).Bold(true)
	t.PeerName = s().Foreground(t.Peer).Bold(true)
	t.Good = s().Foreground(t.Success)
	t.Warn = s().Foreground(t.Warning)
	t.Bad = s().Foreground(t.Error)
	t.Banner = s().Foreground(t.Warning).Bold(true)
	t.StatusBar = s().Background(ld(c("#E6E9EF"), c("#22272E"))).Foreground(ld(c("#1F2328"), c("#E6EDF3")))
	t.StatusKey = t.StatusBar.Bold(true)
	t.DialogBox = s().Border(lipgloss.RoundedBorder()).BorderForeground(t.Accent).Padding(0, 1)
	t.DialogTitle = s().Foreground(t.Accent).Bold(true)
	t.Input = s().Foreground(t.Muted)
	t.InputFocus = s().Foreground(t.Accent)
	t.XMLTag = s().Foreground(t.Accent)
	t.XMLAttr = s().Foreground(t.Peer)
	t.XMLValue = s().Foreground(t.Success)
	t.XMLText = s()
	t.Outgoing = s().Foreground(t.Warning).Bold(true)
	t.Incoming = s().Foreground(t.Success).Bold(true)
	return t
}
