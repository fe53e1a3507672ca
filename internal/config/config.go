package config

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Config is the whole configuration file.
type Config struct {
	// Path is the file this was read from (or will be written to).
	Path string `toml:"-"`

	// DefaultAccount picks the account when several are configured.
	DefaultAccount string    `toml:"default_account"`
	Accounts       []Account `toml:"account"`
	Scan           Scan      `toml:"scan"`
	UI             UI        `toml:"ui"`
	OMEMO          OMEMO     `toml:"omemo"`
	Files          Files     `toml:"files"` // files.go
}

// Account is one [[account]] table.
type Account struct {
	JID             string  `toml:"jid"`
	Password        string  `toml:"password"`
	PasswordCommand string  `toml:"password_command"`
	Server          string  `toml:"server"` // host:port, overrides SRV lookup
	TLS             TLSMode `toml:"tls"`
	CAFile          string  `toml:"ca_file"`
}

// Scan is the [scan] table: scanhook's settings. Mode names are checked by
// the caller (scanhook owns them); Where gives the line for its errors.
type Scan struct {
	Mode string `toml:"mode"`
}

// UI is the [ui] table.
type UI struct {
	// Theme is "auto" (follow the terminal), "dark" or "light".
	Theme Theme `toml:"theme"`
}

// TLSMode says how an account's connection is secured.
type TLSMode string

const (
	StartTLS  TLSMode = "starttls"
	DirectTLS TLSMode = "direct"
	PlainTCP  TLSMode = "plain"
)

// UnmarshalText validates the mode while decoding, so that the TOML decoder
// reports the line of a bad value.
func (m *TLSMode) UnmarshalText(b []byte) error {
	switch v := TLSMode(b); v {
	case "", StartTLS, DirectTLS, PlainTCP:
		*m = v
		return nil
	}
	return fmt.Errorf("%q is not a TLS mode; use \"starttls\", \"direct\" or \"plain\"", b)
}

// Theme selects the colours.
type Theme string

// UnmarshalText validates the theme while decoding.
func (t *Theme) UnmarshalText(b []byte) error {
	switch v := Theme(b); v {
	case "", "auto", "dark", "light":
		*t = v
		return nil
	}
	return fmt.Errorf("%q is not a theme; use \"auto\", \"dark\" or \"light\"", b)
}

// Example is shown with every error about the file's content.
const Example = `[[account]]
jid = "alice@example.org"
password_command = "pass show xmpp/alice"   # or leave it out to be asked
# server = "xmpp.example.org:5222"          # skips the SRV lookup
# tls = "starttls"                          # or "direct"; "plain" only to a loopback server
# ca_file = "/path/to/ca.pem"               # trust a self-signed server

[scan]
mode = "off"   # scanhook is a simulation; see "candor scan --help"`

// Error is a problem in the config file.
type Error struct {
	Path string
	Line int    // 0 when unknown
	Key  string // dotted, e.g. account[1].tls; "" when not about one key
	Msg  string
}

// Hint is shown on the lines after the error: what a valid file looks like.
func (e *Error) Hint() string {
	return "For example:\n" + indent(Example, "    ")
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Key != "" {
		fmt.Fprintf(&b, ": key %s", e.Key)
	}
	fmt.Fprintf(&b, ": %s", e.Msg)
	return b.String()
}

// Load reads the file at path. A file that does not exist gives an empty
// Config with Path set and no error: that is a first run.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &Config{Path: path}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return Parse(path, data)
}

// Parse decodes and validates data read from path.
func Parse(path string, data []byte) (*Config, error) {
	cfg := &Config{Path: path}
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(cfg)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &Error{Path: path, Line: pe.Position.Line, Key: pe.LastKey, Msg: firstLine(pe.Message)}
		}
		return nil, decodeError(path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		k := und[0]
		return nil, &Error{Path: path, Line: lineOf(data, k), Key: k.String(),
			Msg: "unknown key; see the example"}
	}
	if err := cfg.validate(data); err != nil {
		return nil, err
	}
	return cfg, nil
}

func (c *Config) validate(data []byte) error {
	seen := map[string]bool{}
	for i := range c.Accounts {
		a := &c.Accounts[i]
		bad := func(key, msg string) error {
			return &Error{Path: c.Path, Line: accountKeyLine(data, i, key),
				Key: fmt.Sprintf("account[%d].%s", i+1, key), Msg: msg}
		}
		if err := checkJID(a.JID); err != nil {
			return bad("jid", err.Error())
		}
		if seen[a.JID] {
			return bad("jid", fmt.Sprintf("%s is configured twice", a.JID))
		}
		seen[a.JID] = true
		if a.Server != "" {
			if _, port, err := net.SplitHostPort(a.Server); err != nil || port == "" {
				return bad("server", fmt.Sprintf("%q is not host:port", a.Server))
			}
		}
		if a.TLS == PlainTCP && !isLoopback(a.Server) {
			return bad("tls", `"plain" (no TLS) is only allowed with a loopback server, e.g. server = "127.0.0.1:5222"`)
		}
		if a.Password != "" && a.PasswordCommand != "" {
			return bad("password_command", "set either password or password_command, not both")
		}
	}
	if c.DefaultAccount != "" && !seen[c.DefaultAccount] {
		return &Error{Path: c.Path, Line: lineOf(data, toml.Key{"default_account"}), Key: "default_account",
			Msg: fmt.Sprintf("%s is not one of the [[account]] tables", c.DefaultAccount)}
	}
	return nil
}

// Account returns the account to use: the one named, else the default one,
// else the only one. It returns nil, nil when none is configured.
func (c *Config) Account(jid string) (*Account, error) {
	if jid == "" {
		jid = c.DefaultAccount
	}
	if jid == "" {
		switch len(c.Accounts) {
		case 0:
			return nil, nil
		case 1:
			return &c.Accounts[0], nil
		}
		return nil, &Error{Path: c.Path, Key: "default_account",
			Msg: "several accounts are configured; set default_account or pass --account"}
	}
	for i := range c.Accounts {
		if strings.EqualFold(c.Accounts[i].JID, jid) {
			return &c.Accounts[i], nil
		}
	}
	return nil, &Error{Path: c.Path, Msg: fmt.Sprintf("no [[account]] with jid = %q", jid)}
}

// Where names the file and line of a key (for errors the caller finds in a
// value, such as an unknown scan mode): "path:line" or just "path".
func (c *Config) Where(key ...string) string {
	data, err := os.ReadFile(c.Path)
	if err == nil {
		if l := lineOf(data, toml.Key(key)); l > 0 {
			return fmt.Sprintf("%s:%d", c.Path, l)
		}
	}
	return c.Path
}

func checkJID(j string) error {
	if j == "" {
		return errors.New("missing; every [[account]] needs a jid such as \"alice@example.org\"")
	}
	local, domain, _ := strings.Cut(j, "@")
	if strings.Count(j, "@") != 1 || local == "" || domain == "" || strings.ContainsAny(j, " /\t") {
		return fmt.Errorf("%q is not a bare JID such as \"alice@example.org\"", j)
	}
	return nil
}

func isLoopback(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// typeError is how the TOML decoder words a value of the wrong type.
var typeError = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)

func decodeError(path string, err error) error {
	msg := firstLine(err.Error())
	if m := typeError.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{Path: path, Line: line, Key: m[2], Msg: m[3]}
	}
	return &Error{Path: path, Msg: strings.TrimPrefix(msg, "toml: ")}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// DefaultPath is $XDG_CONFIG_HOME/candor/config.toml (~/.config/... by default).
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no config directory: %w (pass --config FILE)", err)
	}
	return filepath.Join(dir, "candor", "config.toml"), nil
}

// DefaultDataDir is $XDG_DATA_HOME/candor (~/.local/share/candor by default).
func DefaultDataDir() (string, error) {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "candor"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no home directory: %w (pass --data-dir DIR)", err)
	}
	return filepath.Join(home, ".local", "share", "candor"), nil
}
