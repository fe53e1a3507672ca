package commands

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/candor-xmpp/candor/session"
)

// The actions a command line turns into. The root model carries them out.
type (
	OpenChat struct {
		JID  string
		Text string // sent at once when not empty
	}
	AddContact         struct{ JID, Name string }
	RemoveContact      struct{ JID string }
	AnswerSubscription struct {
		JID     string
		Approve bool
	}
	SetStatus     struct{ Presence session.Presence }
	CloseChat     struct{}
	LoadHistory   struct{} // older messages of the open chat, from the server
	ToggleConsole struct{}
	Connect       struct{}
	Help          struct{ Topic string } // "" lists all commands
	Quit          struct{}
)

// Action is one of the types above.
type Action any

// Parse turns a command line into an action, or a one-line error that says
// how to fix it.
func (r *Registry) Parse(line string) (Action, error) {
	line = strings.TrimLeftFunc(line, unicode.IsSpace)
	if !strings.HasPrefix(line, "/") {
		return nil, fmt.Errorf("not a command: commands start with /")
	}
	name, rest := cutWord(line[1:])
	spec, ok := r.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown command /%s: /help lists the commands", name)
	}
	args, err := splitArgs(spec, rest)
	if err != nil {
		return nil, err
	}
	get := func(i int) string {
		if i < len(args) {
			return args[i]
		}
		return ""
	}
	if a, ok, err := parseOMEMO(spec, args); ok { // omemo.go
		return a, err
	}
	if a, ok, err := parseScan(spec, args); ok { // scan.go
		return a, err
	}
	switch spec.Name {
	case "msg":
		jid, err := bareJID(get(0))
		if err != nil {
			return nil, err
		}
		return OpenChat{JID: jid, Text: get(1)}, nil
	case "add":
		jid, err := bareJID(get(0))
		if err != nil {
			return nil, err
		}
		return AddContact{JID: jid, Name: strings.TrimSpace(get(1))}, nil
	case "remove", "accept", "deny":
		jid, err := bareJID(get(0))
		if err != nil {
			return nil, err
		}
		switch spec.Name {
		case "remove":
			return RemoveContact{JID: jid}, nil
		case "accept":
			return AnswerSubscription{JID: jid, Approve: true}, nil
		}
		return AnswerSubscription{JID: jid, Approve: false}, nil
	case "status":
		return parseStatus(spec, rest)
	case "close":
		return CloseChat{}, nil
	case "history":
		return LoadHistory{}, nil
	case "xml":
		return ToggleConsole{}, nil
	case "connect":
		return Connect{}, nil
	case "help":
		topic := strings.TrimPrefix(strings.ToLower(get(0)), "/")
		if topic != "" {
			if _, ok := r.Lookup(topic); !ok {
				return nil, fmt.Errorf("no command /%s: /help lists the commands", topic)
			}
		}
		return Help{Topic: topic}, nil
	case "quit":
		return Quit{}, nil
	}
	if a, ok, err := parseFileCommand(spec, get(0)); ok {
		return a, err
	}
	return nil, fmt.Errorf("/%s is not implemented", spec.Name)
}

// Shows maps the words /status accepts to presence shows.
func Shows() []string { return []string{"online", "chat", "away", "xa", "dnd"} }

func parseStatus(spec Spec, rest string) (Action, error) {
	word, text := cutWord(rest)
	if word == "" {
		return SetStatus{Presence: session.Presence{Available: true}}, nil
	}
	var show session.Show
	switch strings.ToLower(word) {
	case "online":
		show = session.ShowOnline
	case "chat":
		show = session.ShowChat
	case "away":
		show = session.ShowAway
	case "xa":
		show = session.ShowXA
	case "dnd":
		show = session.ShowDND
	default:
		return nil, fmt.Errorf("unknown availability %q: usage %s", word, spec.Usage())
	}
	return SetStatus{Presence: session.Presence{Available: true, Show: show, Status: strings.TrimSpace(text)}}, nil
}

// splitArgs splits rest into the spec's arguments: words, except a final
// text argument that takes the rest of the line verbatim.
func splitArgs(spec Spec, rest string) ([]string, error) {
	var args []string
	for _, a := range spec.Args {
		if a.Kind == ArgText || a.Kind == ArgPath {
			if t := strings.TrimLeftFunc(rest, unicode.IsSpace); t != "" {
				args = append(args, t)
			} else if !a.Optional {
				return nil, fmt.Errorf("missing %s: usage %s", a.Name, spec.Usage())
			}
			return args, nil
		}
		var w string
		w, rest = cutWord(rest)
		if w == "" {
			if a.Optional {
				return args, nil
			}
			return nil, fmt.Errorf("missing %s: usage %s", a.Name, spec.Usage())
		}
		args = append(args, w)
	}
	if strings.TrimSpace(rest) != "" {
		return nil, fmt.Errorf("too many arguments: usage %s", spec.Usage())
	}
	return args, nil
}

// cutWord splits off the first whitespace-separated word.
func cutWord(s string) (word, rest string) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

// bareJID checks that s looks like a bare JID (local@domain, or a domain)
// and normalizes it: no resource, lower case.
func bareJID(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("missing JID")
	}
	if i := strings.IndexByte(s, '/'); i >= 0 {
		s = s[:i]
	}
	local, domain, hasAt := strings.Cut(s, "@")
	if !hasAt {
		domain, local = local, ""
	}
	if domain == "" || (hasAt && local == "") || strings.ContainsAny(s, "\"&'<>:") ||
		strings.Contains(domain, "@") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", fmt.Errorf("not a JID: %q (expected user@example.org)", s)
	}
	return strings.ToLower(s), nil
}
