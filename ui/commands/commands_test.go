package commands

import (
	"reflect"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/session"
)

func TestParse(t *testing.T) {
	r := NewRegistry()
	cases := []struct {
		line string
		want Action
	}{
		{"/msg alice@example.org", OpenChat{JID: "alice@example.org"}},
		{"/msg Alice@Example.org/phone hi there  ", OpenChat{JID: "alice@example.org", Text: "hi there  "}},
		{"/msg bob@x.org line one\nline two", OpenChat{JID: "bob@x.org", Text: "line one\nline two"}},
		{"/add bob@x.org", AddContact{JID: "bob@x.org"}},
		{"/add bob@x.org Bob the Builder", AddContact{JID: "bob@x.org", Name: "Bob the Builder"}},
		{"/remove bob@x.org", RemoveContact{JID: "bob@x.org"}},
		{"/accept carol@y.net", AnswerSubscription{JID: "carol@y.net", Approve: true}},
		{"/deny carol@y.net", AnswerSubscription{JID: "carol@y.net", Approve: false}},
		{"/status", SetStatus{Presence: session.Presence{Available: true}}},
		{"/status away gone fishing", SetStatus{Presence: session.Presence{Available: true, Show: session.ShowAway, Status: "gone fishing"}}},
		{"/status DND", SetStatus{Presence: session.Presence{Available: true, Show: session.ShowDND}}},
		{"/status xa", SetStatus{Presence: session.Presence{Available: true, Show: session.ShowXA}}},
		{"/status chat  let's talk", SetStatus{Presence: session.Presence{Available: true, Show: session.ShowChat, Status: "let's talk"}}},
		{"/close", CloseChat{}},
		{"/history", LoadHistory{}},
		{"/xml", ToggleConsole{}},
		{"/connect", Connect{}},
		{"/help", Help{}},
		{"/help /add", Help{Topic: "add"}},
		{"/quit", Quit{}},
		{"  /QUIT", Quit{}},
	}
	for _, c := range cases {
		got, err := r.Parse(c.line)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.line, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Parse(%q) = %#v, want %#v", c.line, got, c.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	r := NewRegistry()
	cases := map[string]string{
		"/frobnicate":        "unknown command /frobnicate",
		"/msg":               "missing JID",
		"/add":               "missing JID",
		"/remove a@b c":      "too many arguments",
		"/msg @example.org":  "not a JID",
		"/msg alice@":        "not a JID",
		"/msg <x>@y":         "not a JID",
		"/status sleeping":   "unknown availability",
		"/help nosuchthing":  "no command /nosuchthing",
		"hello":              "not a command",
		"/close now please":  "too many arguments",
		"/accept":            "missing JID",
		"/msg a@b..":         "not a JID",
		"/deny x@y extra st": "too many arguments",
	}
	for line, want := range cases {
		_, err := r.Parse(line)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) error = %v, want one containing %q", line, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("Parse(%q) error has more than one line: %q", line, err)
		}
	}
}

func TestIsCommand(t *testing.T) {
	for line, want := range map[string]bool{
		"/msg a@b": true, "/x": true, "hello": false, "//not a command": false,
		"/me waves": false, "/me": false, "/meet": true, " /msg": false,
	} {
		if got := IsCommand(line); got != want {
			t.Errorf("IsCommand(%q) = %v, want %v", line, got, want)
		}
	}
	if got := MessageText("//etc/passwd"); got != "/etc/passwd" {
		t.Errorf("MessageText = %q", got)
	}
}

func TestCompleteCommandName(t *testing.T) {
	c := NewCompleter(NewRegistry())
	line, cands, ok := c.Next("/ms", Source{})
	if !ok || line != "/msg " || cands != nil {
		t.Fatalf("Next(/ms) = %q %v %v, want a unique completion", line, cands, ok)
	}
	// "/a" matches /accept and /add: the common prefix adds nothing, so tab
	// cycles through them.
	line, cands, _ = c.Next("/a", Source{})
	if line != "/accept" || !reflect.DeepEqual(cands, []string{"/accept", "/add"}) {
		t.Fatalf("first tab on /a = %q %v", line, cands)
	}
	line, _, _ = c.Next(line, Source{})
	if line != "/add" {
		t.Fatalf("second tab = %q, want /add", line)
	}
	line, _, _ = c.Next(line, Source{})
	if line != "/accept" {
		t.Fatalf("third tab = %q, want /accept again", line)
	}
	if _, _, ok := c.Next("/zzz", Source{}); ok {
		t.Fatal("completed a command that does not exist")
	}
}

func TestCompleteArguments(t *testing.T) {
	c := NewCompleter(NewRegistry())
	src := Source{JIDs: []string{"alice@example.org", "alfred@example.org", "bob@example.org"}, Requests: []string{"carol@y.net"}}

	line, _, ok := c.Next("/msg b", src)
	if !ok || line != "/msg bob@example.org " {
		t.Fatalf("/msg b -> %q", line)
	}
	line, cands, _ := c.Next("/msg al", src)
	if len(cands) != 2 {
		t.Fatalf("candidates %v", cands)
	}
	// Common prefix "al" equals the word: cycling starts at the first.
	if line != "/msg alfred@example.org" {
		t.Fatalf("/msg al -> %q, want the first candidate", line)
	}
	line, _, _ = c.Next("/accept ", src)
	if line != "/accept carol@y.net " {
		t.Fatalf("/accept -> %q, want the pending request", line)
	}
	line, _, _ = c.Next("/status a", src)
	if line != "/status away " {
		t.Fatalf("/status a -> %q", line)
	}
	line, _, _ = c.Next("/help ad", src)
	if line != "/help add " {
		t.Fatalf("/help ad -> %q", line)
	}
	// The text argument of /msg is not completed.
	if got, _, ok := c.Next("/msg bob@example.org he", src); ok || got != "/msg bob@example.org he" {
		t.Fatalf("completed message text: %q", got)
	}
	// A plain message is never completed.
	if _, _, ok := c.Next("hello al", src); ok {
		t.Fatal("completed inside a plain message")
	}
}

func TestCompleteLongestCommonPrefix(t *testing.T) {
	c := NewCompleter(NewRegistry())
	src := Source{JIDs: []string{"team-a@muc.example", "team-b@muc.example"}}
	line, cands, _ := c.Next("/msg t", src)
	if line != "/msg team-" || len(cands) != 2 {
		t.Fatalf("got %q %v, want the common prefix", line, cands)
	}
	line, _, _ = c.Next(line, src)
	if line != "/msg team-a@muc.example" {
		t.Fatalf("next tab = %q", line)
	}
}

func TestHelpCoversEveryCommand(t *testing.T) {
	r := NewRegistry()
	for _, want := range []string{"msg", "add", "remove", "accept", "deny", "status", "close", "quit", "xml", "connect", "help"} {
		s, ok := r.Lookup(want)
		if !ok || s.Summary == "" || s.Help == "" {
			t.Errorf("/%s missing or without help", want)
		}
	}
}
