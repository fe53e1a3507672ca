package commands

import (
	"sort"
	"strings"
)

// ArgKind says what an argument is, for completion and checks.
type ArgKind int

const (
	ArgJID     ArgKind = iota // a contact's bare JID
	ArgRequest                // a JID that asked to see our presence
	ArgShow                   // online, chat, away, xa, dnd
	ArgCommand                // a command name (for /help)
	ArgText                   // the rest of the line, verbatim
	ArgPath                   // a local file: the rest of the line, ~ expanded; tab lists the file system
)

// Arg is one argument of a command.
type Arg struct {
	Name     string
	Kind     ArgKind
	Optional bool
}

// Spec describes one command.
type Spec struct {
	Name    string
	Args    []Arg
	Summary string
	Help    string
}

// Usage is the one-line synopsis, such as "/add JID [name]".
func (s Spec) Usage() string {
	var b strings.Builder
	b.WriteString("/" + s.Name)
	for _, a := range s.Args {
		if a.Optional {
			b.WriteString(" [" + a.Name + "]")
		} else {
			b.WriteString(" " + a.Name)
		}
	}
	return b.String()
}

// Registry is the set of commands. Build one with NewRegistry.
type Registry struct {
	specs  []Spec
	byName map[string]Spec
}

// NewRegistry returns the commands Candor understands.
func NewRegistry() *Registry {
	jid := Arg{Name: "JID", Kind: ArgJID}
	specs := []Spec{
		{Name: "msg", Args: []Arg{jid, {Name: "text", Kind: ArgText, Optional: true}},
			Summary: "open a chat, and send text if given",
			Help:    "Opens the chat with JID and focuses it. With text, sends it as a message at once."},
		{Name: "add", Args: []Arg{jid, {Name: "name", Kind: ArgText, Optional: true}},
			Summary: "add a contact and ask to see their presence",
			Help:    "Adds JID to your contact list, with an optional display name, and sends a subscription request."},
		{Name: "remove", Args: []Arg{jid},
			Summary: "remove a contact",
			Help:    "Removes JID from your contact list and cancels the presence subscriptions both ways."},
		{Name: "accept", Args: []Arg{{Name: "JID", Kind: ArgRequest}},
			Summary: "let JID see your presence",
			Help:    "Approves JID's request to see your presence (a subscription request)."},
		{Name: "deny", Args: []Arg{{Name: "JID", Kind: ArgRequest}},
			Summary: "refuse JID's presence request",
			Help:    "Denies JID's request to see your presence."},
		{Name: "status", Args: []Arg{{Name: "online|chat|away|xa|dnd", Kind: ArgShow, Optional: true}, {Name: "text", Kind: ArgText, Optional: true}},
			Summary: "set your availability and status text",
			Help:    "Sets your presence. Without arguments: online, no text. xa is \"extended away\", dnd \"do not disturb\". The text after the availability is your status message."},
		{Name: "history", Summary: "fetch older messages of this chat from the server",
			Help: "Asks your server's message archive for the messages before the oldest one shown, a page at a time. " +
				"Scrolling up to the first message does the same. Once the archive's beginning is reached, the chat says so."},
		{Name: "close", Summary: "close the current chat",
			Help: "Closes the current chat in this window. Its history stays; it reopens when a message arrives."},
		{Name: "xml", Summary: "show or hide the XML console",
			Help: "Toggles the XML console: every stanza as it crosses the wire, both ways. F12 does the same."},
		{Name: "connect", Summary: "log in to an account",
			Help: "Opens the login dialog: JID, password and an optional server (host:port)."},
		{Name: "help", Args: []Arg{{Name: "command", Kind: ArgCommand, Optional: true}},
			Summary: "list commands, or explain one",
			Help:    "Without an argument lists the commands; with one, explains it. Press ? for the key bindings."},
		{Name: "quit", Summary: "leave Candor", Help: "Closes Candor. Queued messages are sent the next time you are online."},
	}
	specs = append(specs, omemoSpecs()...) // omemo.go
	specs = append(specs, scanSpecs()...)  // scan.go
	specs = append(specs, fileSpecs()...)
	r := &Registry{specs: specs, byName: make(map[string]Spec, len(specs))}
	for _, s := range specs {
		r.byName[s.Name] = s
	}
	return r
}

// Specs returns the commands sorted by name.
func (r *Registry) Specs() []Spec {
	out := append([]Spec(nil), r.specs...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Lookup finds a command by name (without the slash).
func (r *Registry) Lookup(name string) (Spec, bool) {
	s, ok := r.byName[strings.ToLower(name)]
	return s, ok
}

// IsCommand reports whether a compose line is a command rather than a
// message: it starts with one slash. "/me …" is a message (XEP-0245) and
// "//…" sends a line starting with a slash.
func IsCommand(line string) bool {
	if !strings.HasPrefix(line, "/") || strings.HasPrefix(line, "//") {
		return false
	}
	return !(line == "/me" || strings.HasPrefix(line, "/me ") || strings.HasPrefix(line, "/me\n"))
}

// MessageText returns the text to send for a line that is not a command:
// a leading "//" stands for one literal slash.
func MessageText(line string) string {
	if strings.HasPrefix(line, "//") {
		return line[1:]
	}
	return line
}

// fileSpecs are the commands of file sharing (actions in files.go).
func fileSpecs() []Spec {
	num := Arg{Name: "N", Kind: ArgText, Optional: true}
	return []Spec{
		{Name: "send", Args: []Arg{{Name: "PATH", Kind: ArgPath}},
			Summary: "send a file, encrypted",
			Help: "Uploads PATH to your server's upload service, encrypted with AES-256-GCM (XEP-0454), and sends the link. " +
				"Tab completes paths (~ is your home). A dialog first shows what the upload server will learn (name, size, type, time, " +
				"your address) and what stays private; there, p sends without encryption, to contacts without OMEMO only."},
		{Name: "cancel", Args: []Arg{num},
			Summary: "stop the newest upload or download",
			Help:    "Stops the newest file transfer, or transfer N. Nothing half-done is sent or kept. esc does the same while compose is empty."},
		{Name: "download", Args: []Arg{num},
			Summary: "fetch the newest file of this chat, or file #N",
			Help:    "Downloads a received file into your download folder. An encrypted file appears there only once its authentication tag has verified."},
		{Name: "open", Args: []Arg{num},
			Summary: "open the newest file of this chat, or file #N",
			Help:    "Opens the local, decrypted copy with your viewer (xdg-open, or opener under [files]). A link is never handed to another program."},
	}
}
