package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseValid(t *testing.T) {
	cfg, err := Parse("c.toml", []byte(`
default_account = "bob@example.org"

[[account]]
jid = "alice@example.org"
password_command = "pass show alice"

[[account]]
jid = "bob@example.org"
server = "127.0.0.1:5222"
tls = "plain"
ca_file = "/tmp/ca.pem"

[scan]
mode = "belgium-2024"

[ui]
theme = "light"
`))
	if err != nil {
		t.Fatal(err)
	}
	a, err := cfg.Account("")
	if err != nil || a.JID != "bob@example.org" || a.TLS != PlainTCP || a.Server != "127.0.0.1:5222" {
		t.Fatalf("default account = %+v, %v", a, err)
	}
	if a, _ := cfg.Account("ALICE@example.org"); a == nil || a.PasswordCommand != "pass show alice" {
		t.Fatalf("account by jid = %+v", a)
	}
	if cfg.Scan.Mode != "belgium-2024" || cfg.UI.Theme != "light" {
		t.Fatalf("scan/ui = %+v %+v", cfg.Scan, cfg.UI)
	}
}

// Every error names the file, the line and the key.
func TestParseErrorsNameFileLineAndKey(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"syntax", "[[account]]\njid = \"a@b\"\nserver = \n", "c.toml:3"},
		{"bad tls", "[[account]]\njid = \"a@b\"\n\ntls = \"ssl\"\n", `c.toml:4: key account.tls: "ssl" is not a TLS mode`},
		{"unknown key", "[[account]]\njid = \"a@b\"\npasword = \"x\"\n", "c.toml:3: key account.pasword: unknown key"},
		{"unknown table", "[acount]\njid = 1\n", "c.toml:1: key acount"},
		{"no jid", "[[account]]\nserver = \"h:1\"\n", "c.toml:1: key account[1].jid: missing"},
		{"bad jid", "[[account]]\njid = \"alice\"\n", `c.toml:2: key account[1].jid: "alice" is not a bare JID`},
		{"full jid", "[[account]]\njid = \"a@b/res\"\n", `key account[1].jid: "a@b/res" is not a bare JID`},
		{"twice", "[[account]]\njid = \"a@b\"\n[[account]]\njid = \"a@b\"\n", "c.toml:4: key account[2].jid: a@b is configured twice"},
		{"bad server", "[[account]]\njid = \"a@b\"\nserver = \"host\"\n", `c.toml:3: key account[1].server: "host" is not host:port`},
		{"plain remote", "[[account]]\njid = \"a@b\"\nserver = \"example.org:5222\"\ntls = \"plain\"\n", `c.toml:4: key account[1].tls: "plain" (no TLS) is only allowed with a loopback server`},
		{"plain no server", "[[account]]\njid = \"a@b\"\ntls = \"plain\"\n", "c.toml:3: key account[1].tls"},
		{"both passwords", "[[account]]\njid = \"a@b\"\npassword = \"x\"\npassword_command = \"y\"\n", "c.toml:4: key account[1].password_command"},
		{"bad default", "default_account = \"x@y\"\n[[account]]\njid = \"a@b\"\n", "c.toml:1: key default_account: x@y is not"},
		{"bad theme", "[ui]\ntheme = \"pink\"\n", `c.toml:2: key ui.theme: "pink" is not a theme`},
		{"wrong type", "[[account]]\njid = 5\n", "c.toml:2: key account.jid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("c.toml", []byte(c.text))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q does not contain %q", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error spans lines: %q", err)
			}
		})
	}
}

func TestLoadMissingFileIsFirstRun(t *testing.T) {
	cfg, err := Load(filepath.Join(t.TempDir(), "none.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if a, err := cfg.Account(""); a != nil || err != nil {
		t.Fatalf("account on first run = %v, %v", a, err)
	}
}

func TestSeveralAccountsNeedAChoice(t *testing.T) {
	cfg, err := Parse("c.toml", []byte("[[account]]\njid = \"a@b\"\n[[account]]\njid = \"c@d\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cfg.Account(""); err == nil || !strings.Contains(err.Error(), "default_account") {
		t.Fatalf("err = %v", err)
	}
	if _, err := cfg.Account("e@f"); err == nil || !strings.Contains(err.Error(), `no [[account]] with jid = "e@f"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestExampleParses(t *testing.T) {
	if _, err := Parse("example", []byte(Example)); err != nil {
		t.Fatal(err)
	}
}

func TestAppendAccount(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "config.toml")
	if err := AppendAccount(path, Account{JID: "a@b", Password: "secret", Server: "127.0.0.1:5222", TLS: PlainTCP}, false); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), "secret") {
		t.Fatalf("password saved without being asked to:\n%s", data)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %o", fi.Mode().Perm())
	}
	// A hand-written comment survives the next append.
	if err := os.WriteFile(path, append([]byte("# mine\n"), data...), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := AppendAccount(path, Account{JID: "c@d", Password: "pw \"quoted\""}, true); err != nil {
		t.Fatal(err)
	}
	if err := AppendAccount(path, Account{JID: "c@d"}, false); err == nil {
		t.Fatal("second append of the same JID succeeded")
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(path)
	if !strings.HasPrefix(string(data), "# mine\n") {
		t.Fatalf("comment lost:\n%s", data)
	}
	if len(cfg.Accounts) != 2 || cfg.Accounts[0].TLS != PlainTCP || cfg.Accounts[1].Password != "pw \"quoted\"" {
		t.Fatalf("accounts = %+v", cfg.Accounts)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(Example))
	f.Add([]byte("[[account]]\njid = \"a@b\"\ntls = \"plain\"\nserver = \"[::1]:5222\"\n"))
	f.Add([]byte("[a.b]\n\"c.d\" = 1 # x\n[[e]]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("f.toml", data)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		for _, a := range cfg.Accounts {
			if checkJID(a.JID) != nil {
				t.Fatalf("accepted bad jid %q", a.JID)
			}
		}
	})
}
