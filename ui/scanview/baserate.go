package scanview

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
	"github.com/candor-xmpp/candor/ui/dialog"
)

// BaseRateID is the ID of the base-rate calculator dialog.
const BaseRateID = "baserate"

// BaseRate is the calculator: four editable figures, recomputed on every
// key, and the sourced figures to compare with. It computes with
// session.BaseRate, a pure function (no backend call).
type BaseRate struct {
	com    *common.Common
	fields [4]textinput.Model
	focus  int
	res    session.BaseRateResult
	err    string
}

// baseRateLabels name the four figures, in the order of the fields.
func baseRateLabels() [4]string {
	return [4]string{"messages scanned a day", "false-positive rate", "true-positive rate", "prevalence (share abusive)"}
}

// NewBaseRate returns the calculator with the sourced defaults.
func NewBaseRate(com *common.Common) *BaseRate {
	b := &BaseRate{com: com}
	d := session.DefaultBaseRate()
	for i, v := range []float64{d.ItemsPerDay, d.FalsePositiveRate, d.TruePositiveRate, d.Prevalence} {
		f := textinput.New()
		f.Prompt = ""
		f.CharLimit = 32
		f.SetVirtualCursor(false)
		f.SetValue(strconv.FormatFloat(v, 'g', -1, 64))
		s := textinput.DefaultStyles(com.Theme.Dark)
		s.Focused.Text, s.Blurred.Text = com.Theme.Text, com.Theme.Text
		s.Cursor.Color = nil
		f.SetStyles(s)
		b.fields[i] = f
	}
	b.focusField(0)
	b.compute()
	return b
}

// ID implements dialog.Dialog.
func (b *BaseRate) ID() string { return BaseRateID }

// Result is the last valid computation; Err the problem with the figures
// as typed ("" when none).
func (b *BaseRate) Result() session.BaseRateResult { return b.res }
func (b *BaseRate) Err() string                    { return b.err }

func (b *BaseRate) focusField(i int) {
	b.focus = (i + len(b.fields)) % len(b.fields)
	for j := range b.fields {
		if j == b.focus {
			b.fields[j].Focus()
		} else {
			b.fields[j].Blur()
		}
	}
}

// Update implements dialog.Dialog.
func (b *BaseRate) Update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch msg.String() {
		case "esc":
			b.com.Emit(dialog.CloseRequested{ID: BaseRateID})
			return nil
		case "tab", "down", "enter":
			b.focusField(b.focus + 1)
			return nil
		case "shift+tab", "up":
			b.focusField(b.focus - 1)
			return nil
		}
		b.fields[b.focus], cmd = b.fields[b.focus].Update(msg)
	case tea.PasteMsg:
		b.fields[b.focus], cmd = b.fields[b.focus].Update(tea.PasteMsg{Content: common.OneLine(msg.Content)})
	default:
		return nil
	}
	b.compute()
	return cmd
}

// compute reads the figures (1e-6, 0.001, 15.2e9, 0.1% and 15,200,000,000
// all work) and recomputes; a bad figure keeps the last result and says
// which one.
func (b *BaseRate) compute() {
	var v [4]float64
	for i := range b.fields {
		x, err := parseFigure(b.fields[i].Value())
		if err != nil {
			b.err = baseRateLabels()[i] + ": " + err.Error()
			return
		}
		v[i] = x
	}
	r, err := session.BaseRate(session.BaseRateInput{ItemsPerDay: v[0], FalsePositiveRate: v[1], TruePositiveRate: v[2], Prevalence: v[3]})
	if err != nil {
		b.err = err.Error()
		return
	}
	b.res, b.err = r, ""
}

func parseFigure(s string) (float64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if s == "" {
		return 0, fmt.Errorf("empty")
	}
	scale := 1.0
	if p, ok := strings.CutSuffix(s, "%"); ok {
		s, scale = strings.TrimSpace(p), 0.01
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return x * scale, nil
}

// View implements dialog.Dialog.
func (b *BaseRate) View(width, height int) (string, *tea.Cursor) {
	t := b.com.Theme
	labelW := 28
	lines := []string{t.DialogTitle.Render("Base-rate calculator") + t.Faint.Render("  SIMULATION: arithmetic on the figures given"), ""}
	var cur *tea.Cursor
	for i := range b.fields {
		b.fields[i].SetWidth(max(width-labelW-1, 8))
		label := t.Faint.Render(common.Fit(baseRateLabels()[i], labelW))
		if i == b.focus {
			label = t.InputFocus.Render(common.Fit(baseRateLabels()[i], labelW))
			if c := b.fields[i].Cursor(); c != nil {
				c.Position.X += labelW
				c.Position.Y += len(lines)
				cur = c
			}
		}
		lines = append(lines, label+b.fields[i].View())
	}
	r := b.res
	lines = append(lines, "")
	if b.err != "" {
		lines = append(lines, t.Bad.Render(common.Truncate("✗ "+b.err, width)))
	}
	lines = append(lines,
		t.Bold.Render("False reports a day: ")+t.Bad.Bold(true).Render(Count(r.FalseReportsPerDay))+
			t.Faint.Render("   true: "+Count(r.TrueReportsPerDay)),
		t.Bold.Render("Share of reports about innocent people: ")+t.Bad.Bold(true).Render(Percent(r.InnocentShare))+
			t.Faint.Render("   precision: "+Percent(r.Precision)),
		"")
	figures := session.BaseRateFigures()
	if b.focus < len(figures) {
		// The default of the figure being edited, with its whole source.
		f := figures[b.focus]
		lines = append(lines, t.Bold.Render("Default: ")+common.Truncate(f.Name+" = "+strconv.FormatFloat(f.Value, 'g', 4, 64), width-9))
		for _, l := range common.Wrap("Source: "+f.Source, width) {
			lines = append(lines, t.Faint.Render(l))
		}
	}
	lines = append(lines, "", t.Bold.Render("Other sourced figures")+t.Faint.Render(" (tab to a figure above for its source)"))
	for _, f := range figures[min(len(baseRateLabels()), len(figures)):] {
		lines = append(lines, common.Truncate("• "+f.Name+": "+strconv.FormatFloat(f.Value, 'g', 4, 64)+t.Faint.Render(" — "+f.Source), width))
	}
	lines = append(lines, "", t.Faint.Render("tab/↑/↓ move · edit to recompute · esc closes"))
	if len(lines) > height {
		// Keep the inputs and the results; the figures give way.
		lines = append(lines[:max(height-1, 1)], lines[len(lines)-1])
	}
	return strings.Join(lines, "\n"), cur
}

// Count formats a number of reports a day: 15,199.98 → "15,200".
func Count(x float64) string {
	switch {
	case x >= 100:
		s := strconv.FormatFloat(x, 'f', 0, 64)
		var b strings.Builder
		for i, c := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(c)
		}
		return b.String()
	case x >= 1:
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
	return strconv.FormatFloat(x, 'g', 3, 64)
}

// Percent formats a share as a percentage.
func Percent(x float64) string {
	p := x * 100
	if p >= 1 || p == 0 {
		return strconv.FormatFloat(p, 'f', 2, 64) + " %"
	}
	return strconv.FormatFloat(p, 'g', 3, 64) + " %"
}
