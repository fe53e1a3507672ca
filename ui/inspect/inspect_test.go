package inspect

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/candor-xmpp/candor/ui/common"
	"github.com/candor-xmpp/candor/ui/dialog"
)

// panel is a tab with n numbered lines that records what it gets.
type panel struct {
	title string
	n     int
	got   []string
}

func (p *panel) Title() string  { return p.title }
func (p *panel) Footer() string { return "" }
func (p *panel) Lines(int) []string {
	var out []string
	for i := range p.n {
		out = append(out, fmt.Sprintf("%s line %d", p.title, i))
	}
	return out
}
func (p *panel) Update(msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case tea.KeyPressMsg:
		p.got = append(p.got, m.String())
	case string:
		p.got = append(p.got, "msg:"+m)
	}
	return nil
}

func key(s string) tea.KeyPressMsg {
	switch s {
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	}
	return tea.KeyPressMsg{Code: rune(s[0]), Text: s}
}

// Tabs switch, the host scrolls, other keys reach the panel shown, and
// addressed messages reach every panel.
func TestTabsScrollAndRouting(t *testing.T) {
	com := common.New(true)
	scanner, server := &panel{title: "scanner", n: 50}, &panel{title: "server", n: 3}
	d := New(com, "server", scanner, server)
	if d.Active() != "server" {
		t.Fatalf("opened on %s", d.Active())
	}
	view := func() string { v, _ := d.View(60, 12); return ansi.Strip(v) }
	if v := view(); !strings.Contains(v, "[ server ]") || !strings.Contains(v, "server line 2") {
		t.Fatalf("server tab:\n%s", v)
	}
	d.Update(key("tab"))
	if v := view(); !strings.Contains(v, "[ scanner ]") || !strings.Contains(v, "scanner line 0") || !strings.Contains(v, "tab switches") {
		t.Fatalf("scanner tab:\n%s", v)
	}
	d.Update(key("pgdown"))
	if v := view(); strings.Contains(v, "scanner line 0\n") || !strings.Contains(v, "scanner line 8") {
		t.Fatalf("after pgdown:\n%s", v)
	}
	d.Update(key("["))
	d.Update("loaded")
	if strings.Join(scanner.got, ",") != "[,msg:loaded" || strings.Join(server.got, ",") != "msg:loaded" {
		t.Fatalf("scanner got %v, server got %v", scanner.got, server.got)
	}
	for _, l := range strings.Split(view(), "\n") {
		if ansi.StringWidth(l) > 60 {
			t.Fatalf("line wider than the box: %q", l)
		}
	}
	d.Update(key("esc"))
	if in := com.TakeIntents(); len(in) != 1 || in[0] != (dialog.CloseRequested{ID: ID}) {
		t.Fatalf("esc emitted %v", in)
	}
}
