package config

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/BurntSushi/toml"
)

// AppendAccount adds an [[account]] table to the file at path, creating the
// file (mode 0600, directory 0700) when needed. The password is written only
// when savePassword is set; otherwise Candor will ask for it (or run the
// password_command). Existing content is kept as written.
func AppendAccount(path string, a Account, savePassword bool) error {
	cfg, err := Load(path)
	if err != nil {
		return err
	}
	if err := checkJID(a.JID); err != nil {
		return fmt.Errorf("account jid: %w", err)
	}
	for _, have := range cfg.Accounts {
		if have.JID == a.JID {
			return fmt.Errorf("%s: %s is already configured", path, a.JID)
		}
	}
	if !savePassword {
		a.Password = ""
	}

	table := struct {
		Account []savedAccount `toml:"account"`
	}{[]savedAccount{savedAccount(a)}}
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(table); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}

	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	out := append([]byte{}, old...)
	if len(out) > 0 && !bytes.HasSuffix(out, []byte("\n")) {
		out = append(out, '\n')
	}
	if len(out) > 0 {
		out = append(out, '\n')
	}
	out = append(out, buf.Bytes()...)

	// Check what we are about to write, then replace the file atomically.
	if _, err := Parse(path, out); err != nil {
		return fmt.Errorf("refusing to write an invalid config: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".config-*.toml")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(out); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// savedAccount is Account with empty fields left out when encoded.
type savedAccount struct {
	JID             string  `toml:"jid"`
	Password        string  `toml:"password,omitempty"`
	PasswordCommand string  `toml:"password_command,omitempty"`
	Server          string  `toml:"server,omitempty"`
	TLS             TLSMode `toml:"tls,omitempty"`
	CAFile          string  `toml:"ca_file,omitempty"`
}
