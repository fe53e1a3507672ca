package main

import (
	"context"
	"errors"
	"os"

	"github.com/charmbracelet/x/term"

	"github.com/candor-xmpp/candor/internal/config"
	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui"
)

// runTUI opens the terminal UI for the configured account, or for a first
// run without one (the UI then asks for the JID and password).
func runTUI(ctx context.Context, env *environment, args []string) error {
	var c common
	fs := newFlagSet(env, "", "", &c)
	fs.Usage = func() { usage(env.stderr) }
	scanFlag := scanModeFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		usage(env.stderr)
		return errUsage
	}
	if !term.IsTerminal(os.Stdin.Fd()) || !term.IsTerminal(os.Stdout.Fd()) {
		return errors.New("the terminal UI needs a terminal; scripts can use \"candor send\" and \"candor listen\"")
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	a, err := cfg.Account(c.account)
	if err != nil {
		return err
	}
	mode, err := scanMode(cfg, *scanFlag)
	if err != nil {
		return err
	}
	client, err := c.newClient(cfg)
	if err != nil {
		return err
	}
	defer client.Close()
	if err := applyOMEMO(client, cfg); err != nil {
		return err
	}
	if err := applyScanMode(client, mode); err != nil {
		return err
	}
	// The TUI answers consent requests with a dialog.
	if err := client.EnableConsentDialog(); err != nil {
		return err
	}

	opts := ui.Options{Theme: string(cfg.UI.Theme), ScanMode: string(mode), Preview: string(cfg.Files.Preview)}
	if a != nil {
		acct := sessionAccount(a)
		opts.Account = &acct
	}
	return ui.Run(ctx, &configuredBackend{Client: client, configPath: cfg.Path}, opts)
}

// configuredBackend is the client core plus what only the command layer
// knows: where the config file is, so that a first-run login can be saved.
type configuredBackend struct {
	*session.Client
	configPath string
}

// SaveAccount appends the account to the config file.
func (b *configuredBackend) SaveAccount(acct session.Account, savePassword bool) error {
	return config.AppendAccount(b.configPath, config.Account{
		JID:             acct.JID,
		Password:        acct.Password,
		PasswordCommand: acct.PasswordCommand,
		Server:          acct.Server,
		TLS:             config.TLSMode(acct.TLS),
		CAFile:          acct.CAFile,
	}, savePassword)
}
