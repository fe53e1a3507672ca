package preview

import (
	"bytes"
	"context"
	"image/color"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// shows renders a view once and quits when it has been drawn.
type shows struct {
	rows     []string
	transmit string
}

func (s *shows) Init() tea.Cmd                       { return tea.Raw(s.transmit) }
func (s *shows) Update(tea.Msg) (tea.Model, tea.Cmd) { return s, nil }
func (s *shows) View() tea.View                      { return tea.NewView(strings.Join(s.rows, "\n")) }

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Bubble Tea's cell renderer passes the kitty placeholders through intact
// (the placeholder, its row and column diacritics, the id's colour) and
// writes the transmission raw.
func TestKittyThroughTheRenderer(t *testing.T) {
	p := writeImage(t, 60, 30, func(x, y int) color.Color { return color.NRGBA{uint8(x * 4), 90, uint8(y * 8), 255} })
	img, err := Render(p, 6, 3, Kitty, 0x0a0b0c)
	if err != nil {
		t.Fatal(err)
	}
	var out lockedBuffer
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	prog := tea.NewProgram(&shows{rows: img.Rows, transmit: img.Transmit}, tea.WithContext(ctx), tea.WithInput(nil),
		tea.WithOutput(&out), tea.WithWindowSize(40, 10), tea.WithColorProfile(colorprofile.TrueColor), tea.WithoutSignals())
	go func() {
		deadline := time.Now().Add(4 * time.Second)
		for time.Now().Before(deadline) && !strings.Contains(out.String(), placeholder) {
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond)
		prog.Quit()
	}()
	if _, err := prog.Run(); err != nil && ctx.Err() == nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, img.Transmit) {
		t.Fatal("the transmission did not reach the terminal whole")
	}
	for r := range img.Rows {
		if cell := placeholder + string(diacritics[r]) + string(diacritics[0]); !strings.Contains(got, cell) {
			t.Fatalf("row %d's first cell (with its diacritics) is not in the output", r)
		}
	}
	if !strings.Contains(got, "38;2;10;11;12") {
		t.Fatal("the image id's colour is not in the output")
	}
}
