package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/candor-xmpp/candor/internal/config"
	"github.com/candor-xmpp/candor/scanhook"
	"github.com/candor-xmpp/candor/session"
)

// scanModeFlag registers --scan-mode for the commands that send.
func scanModeFlag(fs *flag.FlagSet) *string {
	return fs.String("scan-mode", "", "scanhook SIMULATION mode (default: the config's [scan] mode, else off); one of "+modeNames())
}

// scanMode picks the scan mode: the flag, else the config's [scan] mode,
// else off. A bad name in the config is an error naming its file and
// line, even when the flag overrides it; a bad flag names the flag.
func scanMode(cfg *config.Config, flagValue string) (scanhook.ModeName, error) {
	mode := scanhook.ModeOff
	if cfg.Scan.Mode != "" {
		m, err := scanhook.ParseMode(cfg.Scan.Mode)
		if err != nil {
			return "", fmt.Errorf("%s: [scan] mode: %w", cfg.Where("scan", "mode"), err)
		}
		mode = m
	}
	if flagValue != "" {
		m, err := scanhook.ParseMode(flagValue)
		if err != nil {
			return "", fmt.Errorf("--scan-mode: %w", err)
		}
		mode = m
	}
	return mode, nil
}

// applyScanMode sets the client's scan mode before it connects, so that
// nothing queued goes out under another mode.
func applyScanMode(client *session.Client, mode scanhook.ModeName) error {
	if mode == scanhook.ModeOff {
		return nil // the client starts off; no need to load the demo lists
	}
	return client.SetScanMode(string(mode))
}

// consentFlag checks --consent: "", accept or decline.
func consentFlag(v string) error {
	switch v {
	case "", "accept", "decline":
		return nil
	}
	return fmt.Errorf("--consent %q: want accept or decline", v)
}

// applyConsent records a --consent decision in the account's store (with
// the audit log) before the client connects.
func applyConsent(ctx context.Context, client *session.Client, acct session.Account, decision string) error {
	if decision == "" {
		return nil
	}
	if err := client.Open(ctx, acct); err != nil {
		return err
	}
	if err := client.SetConsentFromFlag(ctx, decision); err != nil {
		return fmt.Errorf("--consent %s: %w", decision, err)
	}
	return nil
}
