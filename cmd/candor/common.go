package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/candor-xmpp/candor/internal/config"
	"github.com/candor-xmpp/candor/session"
)

// common holds the flags every command takes.
type common struct {
	configPath string
	dataDir    string
	account    string
	// noAutoDownload turns off automatic downloads (listen --download
	// fetches every file itself).
	noAutoDownload bool
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.configPath, "config", "", "config file (default $XDG_CONFIG_HOME/candor/config.toml)")
	fs.StringVar(&c.dataDir, "data-dir", "", "data directory (default $XDG_DATA_HOME/candor)")
	fs.StringVar(&c.account, "account", "", "the account to use when several are configured")
}

// newFlagSet makes a flag set whose errors go to env.stderr and that does
// not exit the process.
func newFlagSet(env *environment, name, args string, c *common) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "usage: candor %s [flags] %s\n", name, args)
		fs.PrintDefaults()
	}
	c.register(fs)
	return fs
}

// parse parses args, turning flag errors into errUsage (already printed).
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

// load reads the config file (a missing file is an empty config).
func (c *common) load() (*config.Config, error) {
	path := c.configPath
	if path == "" {
		var err error
		if path, err = config.DefaultPath(); err != nil {
			return nil, err
		}
	}
	return config.Load(path)
}

func (c *common) dataDirectory() (string, error) {
	if c.dataDir != "" {
		return c.dataDir, nil
	}
	return config.DefaultDataDir()
}

// newClient makes the client core for the data directory.
func (c *common) newClient(cfg *config.Config) (*session.Client, error) {
	dir, err := c.dataDirectory()
	if err != nil {
		return nil, err
	}
	files, err := fileOptions(cfg)
	if err != nil {
		return nil, err
	}
	if c.noAutoDownload {
		files.AutoDownloadMax = 0
	}
	return session.New(session.Options{DataDir: dir, Files: files})
}

// sessionAccount converts a configured account for the client core.
func sessionAccount(a *config.Account) session.Account {
	return session.Account{
		JID:             a.JID,
		Password:        a.Password,
		PasswordCommand: a.PasswordCommand,
		Server:          a.Server,
		TLS:             session.TLSMode(a.TLS),
		CAFile:          a.CAFile,
	}
}

// headlessAccount is the account a headless command uses: it must be
// configured, and without a password or password_command the password is
// asked on the terminal (never read from stdin, which may carry a message).
func (c *common) headlessAccount(cfg *config.Config, env *environment) (session.Account, error) {
	a, err := cfg.Account(c.account)
	if err != nil {
		return session.Account{}, err
	}
	if a == nil {
		return session.Account{}, &config.Error{Path: cfg.Path, Msg: "no account configured; add an [[account]] table"}
	}
	acct := sessionAccount(a)
	if acct.Password == "" && acct.PasswordCommand == "" {
		pw, err := askPassword(env, acct.JID)
		if err != nil {
			return session.Account{}, err
		}
		acct.Password = pw
	}
	return acct, nil
}

// askPassword reads a password from the controlling terminal without echo.
func askPassword(env *environment, jid string) (string, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", fmt.Errorf("no password for %s: set password_command in the config, or run from a terminal", jid)
	}
	defer tty.Close()
	fmt.Fprintf(tty, "Password for %s: ", jid)
	pw, err := term.ReadPassword(tty.Fd())
	fmt.Fprintln(tty)
	if err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	return strings.TrimRight(string(pw), "\r\n"), nil
}

// readMessage reads a message from r, dropping one trailing newline.
func readMessage(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxMessage+1))
	if err != nil {
		return "", fmt.Errorf("reading the message from stdin: %w", err)
	}
	if len(b) > maxMessage {
		return "", fmt.Errorf("message on stdin is longer than %d bytes", maxMessage)
	}
	s := strings.TrimSuffix(string(b), "\n")
	return strings.TrimSuffix(s, "\r"), nil
}

// maxMessage bounds a message body; servers commonly cut stanzas near 256 KiB.
const maxMessage = 64 << 10

// login logs the configured account in for a headless command; prepare,
// when not nil, sets the client up before it connects. The caller closes
// the client.
func (c *common) login(ctx context.Context, env *environment, prepare func(*config.Config, *session.Client, session.Account) error) (*session.Client, session.Account, error) {
	cfg, err := c.load()
	if err != nil {
		return nil, session.Account{}, err
	}
	acct, err := c.headlessAccount(cfg, env)
	if err != nil {
		return nil, session.Account{}, err
	}
	client, err := c.newClient(cfg)
	if err != nil {
		return nil, session.Account{}, err
	}
	if err := applyOMEMO(client, cfg); err != nil {
		client.Close()
		return nil, session.Account{}, err
	}
	if prepare != nil {
		if err := prepare(cfg, client, acct); err != nil {
			client.Close()
			return nil, session.Account{}, err
		}
	}
	if err := client.Login(ctx, acct); err != nil {
		client.Close()
		return nil, session.Account{}, err
	}
	return client, acct, nil
}
