package dialog

import (
	"net"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
)

// LoginID is the ID of the login dialog.
const LoginID = "login"

// Intents of the login dialog.
type (
	// LoginSubmitted asks the root to call Backend.Login.
	LoginSubmitted struct{ Account session.Account }
	// LoginCancelled asks the root to stop the login under way; the dialog
	// stays open for another try.
	LoginCancelled struct{}
	// SaveChosen is the answer to "save this account?".
	SaveChosen struct {
		Account      session.Account
		Save         bool
		SavePassword bool
	}
	// LoginFinished is Login's result, delivered to the dialog.
	LoginFinished struct{ Err error }
)

type loginStep int

const (
	stepForm loginStep = iota
	stepConnecting
	stepSave
)

// Login asks for a JID, a password and an optional server, logs in through
// the root, shows the error and lets the user retry, and on success asks
// whether to save the account and the password.
type Login struct {
	com    *common.Common
	fields [3]textinput.Model // JID, password, server
	focus  int
	step   loginStep
	err    string
	acct   session.Account

	saveAccount, savePassword bool
	choice                    int // 0: save account, 1: save password
}

// NewLogin returns the dialog, prefilled from a known account (JID and
// server; the password only when given).
func NewLogin(com *common.Common, prefill session.Account) *Login {
	l := &Login{com: com, saveAccount: true}
	labels := [3]string{"user@example.org", "password", "host:port (optional)"}
	for i := range l.fields {
		f := textinput.New()
		f.Prompt = ""
		f.Placeholder = labels[i]
		f.SetVirtualCursor(false)
		f.CharLimit = 1024
		l.fields[i] = f
	}
	l.fields[1].EchoMode = textinput.EchoPassword
	l.fields[1].EchoCharacter = '•'
	l.fields[0].SetValue(prefill.JID)
	l.fields[1].SetValue(prefill.Password)
	l.fields[2].SetValue(prefill.Server)
	l.acct = prefill
	if prefill.JID != "" {
		l.focus = 1
	}
	l.styleFields()
	l.focusField(l.focus)
	return l
}

func (l *Login) styleFields() {
	t := l.com.Theme
	s := textinput.DefaultStyles(t.Dark)
	s.Focused.Placeholder, s.Blurred.Placeholder = t.Faint, t.Faint
	s.Focused.Text, s.Blurred.Text = t.Text, t.Text
	s.Cursor.Color = nil
	for i := range l.fields {
		l.fields[i].SetStyles(s)
	}
}

func (l *Login) focusField(i int) {
	l.focus = (i + len(l.fields)) % len(l.fields)
	for j := range l.fields {
		if j == l.focus {
			l.fields[j].Focus()
		} else {
			l.fields[j].Blur()
		}
	}
}

func (l *Login) ID() string { return LoginID }

// Error is the last error shown, "" when none.
func (l *Login) Error() string { return l.err }

// SetError shows err, as when a login the user did not start failed.
func (l *Login) SetError(err string) { l.err = common.OneLine(err) }

func (l *Login) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case LoginFinished:
		return l.finished(msg.Err)
	case tea.KeyPressMsg:
		switch l.step {
		case stepForm:
			return l.formKey(msg)
		case stepConnecting:
			if msg.String() == "esc" {
				l.step = stepForm
				l.err = "cancelled"
				l.com.Emit(LoginCancelled{})
				return nil
			}
		case stepSave:
			return l.saveKey(msg)
		}
	case tea.PasteMsg:
		if l.step == stepForm {
			var cmd tea.Cmd
			l.fields[l.focus], cmd = l.fields[l.focus].Update(tea.PasteMsg{Content: common.OneLine(msg.Content)})
			return cmd
		}
	}
	return nil
}

func (l *Login) formKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "esc":
		l.com.Emit(CloseRequested{ID: LoginID})
		return nil
	case "tab", "down":
		l.focusField(l.focus + 1)
		return nil
	case "shift+tab", "up":
		l.focusField(l.focus - 1)
		return nil
	case "enter":
		if l.focus == 0 && l.fields[1].Value() == "" {
			l.focusField(1)
			return nil
		}
		return l.submit()
	}
	var cmd tea.Cmd
	l.fields[l.focus], cmd = l.fields[l.focus].Update(k)
	return cmd
}

func (l *Login) submit() tea.Cmd {
	acct := l.acct
	acct.JID = strings.ToLower(strings.TrimSpace(l.fields[0].Value()))
	acct.Password = l.fields[1].Value()
	acct.Server = strings.TrimSpace(l.fields[2].Value())
	if err := checkAccount(acct); err != "" {
		l.err = err
		return nil
	}
	l.acct, l.err, l.step = acct, "", stepConnecting
	l.com.Emit(LoginSubmitted{Account: acct})
	return nil
}

func checkAccount(a session.Account) string {
	local, domain, ok := strings.Cut(a.JID, "@")
	if !ok || local == "" || domain == "" || strings.ContainsAny(a.JID, " /\"'<>&") {
		return "the JID looks like user@example.org"
	}
	if a.Password == "" && a.PasswordCommand == "" {
		return "the password is empty"
	}
	if a.Server != "" {
		host, port, err := net.SplitHostPort(a.Server)
		if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
			return "the server is host:port, such as xmpp.example.org:5222"
		}
	}
	return ""
}

func (l *Login) finished(err error) tea.Cmd {
	if l.step != stepConnecting {
		return nil // cancelled meanwhile
	}
	if err != nil {
		l.step = stepForm
		l.err = common.OneLine(err.Error())
		l.focusField(1)
		return nil
	}
	l.step = stepSave
	return nil
}

func (l *Login) saveKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "up", "down", "tab", "shift+tab", "k", "j":
		l.choice = 1 - l.choice
	case "space", "x":
		if l.choice == 0 {
			l.saveAccount = !l.saveAccount
		} else {
			l.savePassword = !l.savePassword
		}
	case "y":
		l.saveAccount = true
	case "n":
		l.saveAccount, l.savePassword = false, false
	case "enter":
		l.com.Emit(SaveChosen{Account: l.acct, Save: l.saveAccount, SavePassword: l.saveAccount && l.savePassword})
		return nil
	case "esc":
		l.com.Emit(SaveChosen{Account: l.acct})
		return nil
	}
	return nil
}

func (l *Login) View(width, height int) (string, *tea.Cursor) {
	t := l.com.Theme
	switch l.step {
	case stepConnecting:
		return strings.Join([]string{
			t.DialogTitle.Render("Log in"), "",
			"Connecting as " + t.Bold.Render(common.OneLine(l.acct.JID)) + "…", "",
			t.Faint.Render("esc cancels"),
		}, "\n"), nil
	case stepSave:
		box := func(on bool) string {
			if on {
				return "[x]"
			}
			return "[ ]"
		}
		item := func(i int, text string) string {
			if i == l.choice {
				return t.InputFocus.Render("› " + text)
			}
			return "  " + text
		}
		return strings.Join([]string{
			t.DialogTitle.Render("Logged in"), "",
			"You are online as " + t.Bold.Render(common.OneLine(l.acct.JID)) + ".", "",
			item(0, box(l.saveAccount)+" Save this account for next time"),
			item(1, box(l.savePassword)+" Also save the password (in the config file)"),
			"",
			t.Faint.Render("space toggles · ↑/↓ move · enter done · esc saves nothing"),
		}, "\n"), nil
	}
	labelW := 10
	fieldW := max(width-labelW, 8)
	labels := [3]string{"JID", "Password", "Server"}
	lines := []string{t.DialogTitle.Render("Log in to your XMPP account"), ""}
	var cur *tea.Cursor
	for i := range l.fields {
		l.fields[i].SetWidth(fieldW - 1)
		label := t.Faint.Render(common.Fit(labels[i], labelW))
		if i == l.focus {
			label = t.InputFocus.Render(common.Fit(labels[i], labelW))
			if c := l.fields[i].Cursor(); c != nil {
				c.Position.X += labelW
				c.Position.Y += len(lines)
				cur = c
			}
		}
		lines = append(lines, label+l.fields[i].View())
	}
	lines = append(lines, "")
	if l.err != "" {
		lines = append(lines, t.Bad.Render(common.Truncate("✗ "+l.err, width)))
	} else {
		lines = append(lines, t.Faint.Render("The server is found from the JID unless you give one."))
	}
	lines = append(lines, t.Faint.Render("enter logs in · tab next field · esc cancels"))
	return strings.Join(lines, "\n"), cur
}
