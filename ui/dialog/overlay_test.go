package dialog

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/candor-xmpp/candor/ui/common"
)

// recorder is a dialog that records the keys it gets.
type recorder struct {
	id   string
	keys []string
}

func (r *recorder) ID() string { return r.id }
func (r *recorder) Update(msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case tea.KeyPressMsg:
		r.keys = append(r.keys, m.String())
	case tea.PasteMsg:
		r.keys = append(r.keys, "paste:"+m.Content)
	}
	return nil
}
func (r *recorder) View(w, h int) (string, *tea.Cursor) { return "Answer? " + r.id, nil }

func TestGracePeriodSwallowsKeys(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	com := common.New(true)
	com.Now = func() time.Time { return now }
	o := NewOverlay(com)
	d := &recorder{id: "consent"}
	o.Open(d, Grace)

	// Keys typed just before the dialog appeared arrive right after it:
	// none of them may answer it.
	for _, k := range []tea.Msg{tea.KeyPressMsg{Code: 'y', Text: "y"}, tea.KeyPressMsg{Code: tea.KeyEnter}, tea.PasteMsg{Content: "yes"}} {
		o.Update(k)
	}
	now = now.Add(Grace - time.Millisecond)
	o.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if len(d.keys) != 0 {
		t.Fatalf("keys within the grace period reached the dialog: %v", d.keys)
	}
	now = now.Add(time.Millisecond)
	o.Update(tea.KeyPressMsg{Code: 'n', Text: "n"})
	if len(d.keys) != 1 || d.keys[0] != "n" {
		t.Fatalf("key after the grace period: %v", d.keys)
	}
}

func TestNoGraceForDialogsTheUserOpened(t *testing.T) {
	com := common.New(true)
	o := NewOverlay(com)
	d := &recorder{id: "help"}
	o.Open(d, 0)
	o.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	if len(d.keys) != 1 {
		t.Fatalf("keys: %v", d.keys)
	}
}

func TestTopDialogGetsTheKeysAndResultsFindTheirOwner(t *testing.T) {
	com := common.New(true)
	o := NewOverlay(com)
	below, above := &recorder{id: "below"}, &recorder{id: "above"}
	o.Open(below, 0)
	o.Open(above, 0)
	o.Update(tea.KeyPressMsg{Code: 'x', Text: "x"})
	o.Deliver("below", tea.KeyPressMsg{Code: 'r', Text: "r"})
	if strings.Join(above.keys, ",") != "x" || strings.Join(below.keys, ",") != "r" {
		t.Fatalf("above %v below %v", above.keys, below.keys)
	}
	o.Close("above")
	if o.Top() != Dialog(below) {
		t.Fatal("closing the top did not uncover the one below")
	}
}

func TestRenderCentresTheBoxOverTheScreen(t *testing.T) {
	com := common.New(false)
	o := NewOverlay(com)
	o.Open(&recorder{id: "consent"}, 0)
	base := strings.TrimSuffix(strings.Repeat(strings.Repeat("x", 60)+"\n", 20), "\n")
	out, _ := o.Render(base, 60, 20)
	lines := strings.Split(ansi.Strip(out), "\n")
	found := false
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > 60 {
			t.Fatalf("line wider than the screen: %d", w)
		}
		if strings.Contains(l, "Answer? consent") {
			found = true
		}
	}
	if !found || !strings.Contains(lines[0], "xxxx") {
		t.Fatalf("box or backdrop missing:\n%s", strings.Join(lines, "\n"))
	}
}

// long is a dialog whose lines are longer than it was given, with a cursor
// at the start of its second line.
type long struct{}

func (long) ID() string             { return "long" }
func (long) Update(tea.Msg) tea.Cmd { return nil }
func (long) View(w, h int) (string, *tea.Cursor) {
	return "Title\n>" + strings.Repeat("y", 3*w) + "\nshort", tea.NewCursor(0, 1)
}

// The box covers every row it spans, from the cell left of its border to
// the cell right of it, and the rows above and below it when they fit,
// even when a dialog's lines overrun; the cursor lands where the dialog
// put it.
func TestRenderCoversTheBoxRows(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {41, 10}} {
		w, h := size[0], size[1]
		o := NewOverlay(common.New(true))
		o.Open(long{}, 0)
		base := strings.TrimSuffix(strings.Repeat(strings.Repeat("x", w)+"\n", h), "\n")
		out, cur := o.Render(base, w, h)
		lines := strings.Split(ansi.Strip(out), "\n")
		var box []int
		for i, l := range lines {
			if lw := ansi.StringWidth(l); lw > w {
				t.Fatalf("%v: row %d is %d wide", size, i, lw)
			}
			if strings.ContainsAny(l, "│╭╰") {
				box = append(box, i)
			}
		}
		if len(box) != 5 || box[4]-box[0] != 4 || box[0] == 0 || box[4] == h-1 {
			t.Fatalf("%v: the box is on rows %v:\n%s", size, box, strings.Join(lines, "\n"))
		}
		top := lines[box[0]]
		l, r := strings.Index(top, "╭"), strings.Index(top, "╮")
		if l < 0 || r < 0 {
			t.Fatalf("%v: the box's top is cut: %q", size, top)
		}
		left, right := ansi.StringWidth(top[:l]), ansi.StringWidth(top[:r])
		for i := box[0] - 1; i <= box[4]+1; i++ {
			if s := ansi.Cut(lines[i], left-1, right+2); strings.Contains(s, "x") {
				t.Fatalf("%v: row %d shows the screen behind the box: %q", size, i, s)
			}
		}
		if cur == nil || ansi.Cut(lines[cur.Position.Y], cur.Position.X, cur.Position.X+1) != ">" {
			t.Fatalf("%v: cursor %+v is not on the dialog's '>':\n%s", size, cur, strings.Join(lines, "\n"))
		}
	}
}
