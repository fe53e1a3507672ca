package preview

import "strings"

// Mode is how previews are drawn.
type Mode int

const (
	Off    Mode = iota // no previews
	Blocks             // truecolor half-blocks: works in every terminal with colour
	Kitty              // the kitty graphics protocol with Unicode placeholders
)

func (m Mode) String() string {
	switch m {
	case Blocks:
		return "blocks"
	case Kitty:
		return "kitty"
	}
	return "off"
}

// Choose picks the mode from the configuration ("auto", "kitty",
// "blocks", "off") and, for "auto", the environment.
func Choose(config string, getenv func(string) string) Mode {
	switch config {
	case "kitty":
		return Kitty
	case "blocks":
		return Blocks
	case "off":
		return Off
	}
	return Detect(getenv)
}

// Detect guesses what the terminal supports from its environment: kitty
// and Ghostty place images by Unicode placeholders; inside tmux or screen
// (which do not pass images through by default) and everywhere else,
// half-blocks.
func Detect(getenv func(string) string) Mode {
	if getenv("TMUX") != "" || getenv("STY") != "" || strings.HasPrefix(getenv("TERM"), "screen") || strings.HasPrefix(getenv("TERM"), "tmux") {
		return Blocks
	}
	term, prog := getenv("TERM"), strings.ToLower(getenv("TERM_PROGRAM"))
	if term == "xterm-kitty" || getenv("KITTY_WINDOW_ID") != "" || term == "xterm-ghostty" || prog == "ghostty" {
		return Kitty
	}
	return Blocks
}
