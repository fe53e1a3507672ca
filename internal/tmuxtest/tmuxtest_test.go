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
	screen := p.WaitFor(10*time.Second, "hello 'quoted' world")
	// cat echoes the line once more after Enter.
	if strings.Count(screen, "hello 'quoted' world") != 2 {
		t.Fatalf("want the line typed and echoed:\n%s", screen)
	}
	p.Keys("C-d")
	p.WaitFor(10*time.Second, "[exited 0]")
}
