package dialog

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/ui/common"
)

// Confirmed is the answer to a Confirm dialog: the root acts on ID when
// Yes is set.
type Confirmed struct {
	ID  string
	Yes bool
}

// Confirm asks a yes/no question: y or enter says yes, n or esc no.
type Confirm struct {
	com       *common.Common
	id, title string
	lines     []string
	yes       string
}

// NewConfirm returns a question with ID id; yes names what yes does.
func NewConfirm(com *common.Common, id, title, yes string, lines ...string) *Confirm {
	return &Confirm{com: com, id: id, title: title, lines: lines, yes: yes}
}

// ID implements Dialog.
func (c *Confirm) ID() string { return c.id }

// Update implements Dialog.
func (c *Confirm) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch k.String() {
	case "y", "Y", "enter":
		c.com.Emit(Confirmed{ID: c.id, Yes: true})
	case "n", "N", "esc":
		c.com.Emit(Confirmed{ID: c.id})
	}
	return nil
}

// View implements Dialog.
func (c *Confirm) View(width, height int) (string, *tea.Cursor) {
	t := c.com.Theme
	out := []string{t.DialogTitle.Render(c.title), ""}
	for _, l := range c.lines {
		out = append(out, common.Wrap(l, width)...)
	}
	out = append(out, "", t.Faint.Render(common.Truncate("y/enter: "+c.yes+" · n/esc: cancel", width)))
	return strings.Join(out, "\n"), nil
}
