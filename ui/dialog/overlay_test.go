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
