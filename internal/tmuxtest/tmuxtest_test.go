package tmuxtest

import (
	"strings"
	"testing"
	"time"
)

// The driver itself against a real program: cat echoes what is typed.
func TestTypeAndReadScreen(t *testing.T) {
	p := Start(t, 60, 10, nil, "cat")
	p.Type("hello 'quoted' world")
	p.Keys("Enter")
	// The terminal shows the typed line, and cat echoes it once more.
	p.WaitUntil(10*time.Second, "the line typed and echoed", func(s string) bool {
		return strings.Count(s, "hello 'quoted' world") == 2
	})
	p.Keys("C-d")
	p.WaitFor(10*time.Second, "[exited 0]")
}
