package prosodytest

import (
	"os"
	"path/filepath"
	"text/template"
)

// config is what the configuration template needs.
type config struct {
	Dir           string
	Domain        string
	UploadDomain  string
	C2SPort       int
	DirectTLSPort int
	S2SPort       int
	HTTPPort      int
	HTTPSPort     int
	AllowPlain    bool
	Modules       []string
	CertNames     []string // names in the certificate; nil: Domain and UploadDomain
	PasswordHash  string   // SCRAM hash of stored passwords ("": Prosody's SHA-1)
	TLS12         bool     // offer TLS 1.2 only (tls-unique channel binding needs it)
	NoUpload      bool     // no http_file_share component
	UploadLimit   int64    // http_file_share_size_limit in bytes (0: 10 MiB)
	UploadQuota   int64    // http_file_share_daily_quota in bytes (0: 10 GiB)
}

// defaultModules are those a modern client expects (see the project's
// reference/prosody-notes.md), stream management and the archive included.
var defaultModules = []string{
	"roster", "saslauth", "tls", "disco", "carbons", "pep", "private",
	"blocklist", "vcard4", "vcard_legacy", "ping", "mam", "smacks",
	"csi_simple", "bookmarks", "offline", "http", "time", "version",
}

var configTemplate = template.Must(template.New("prosody.cfg.lua").Parse(`-- Written by internal/prosodytest for one test run.
run_as_root = true
daemonize = false
pidfile = "{{.Dir}}/prosody.pid"
data_path = "{{.Dir}}/data"
certificates = "{{.Dir}}/certs"
interfaces = { "127.0.0.1" }
local_interfaces = { "127.0.0.1" }
c2s_ports = { {{.C2SPort}} }
c2s_direct_tls_ports = { {{.DirectTLSPort}} }
s2s_ports = { {{.S2SPort}} }
http_ports = { {{.HTTPPort}} }
https_ports = { {{.HTTPSPort}} }
http_interfaces = { "127.0.0.1" }
https_interfaces = { "127.0.0.1" }
modules_disabled = { "s2s" }
storage = "internal"
authentication = "internal_hashed"
c2s_require_encryption = {{if .AllowPlain}}false{{else}}true{{end}}
{{if .PasswordHash}}password_hash = "{{.PasswordHash}}"
{{end}}{{if .TLS12}}ssl = { protocol = "tlsv1_2" }
{{end}}
allow_unencrypted_plain_auth = false
-- Bigger socket reads: with the default 4 KiB, uploads crawl at ~2 MB/s.
network_default_read_size = 262144
default_archive_policy = true
archive_expires_after = "never"
max_archive_query_results = 100
smacks_hibernation_time = 5
log = {
	{ levels = { min = "info" }, to = "file", filename = "{{.Dir}}/prosody.log" };
}
modules_enabled = { {{range .Modules}}"{{.}}"; {{end}} }

VirtualHost "{{.Domain}}"

{{if not .NoUpload}}
Component "{{.UploadDomain}}" "http_file_share"
	http_file_share_size_limit = {{if .UploadLimit}}{{.UploadLimit}}{{else}}10*1024*1024{{end}}
	http_file_share_daily_quota = {{if .UploadQuota}}{{.UploadQuota}}{{else}}10*1024*1024*1024{{end}}
	http_external_url = "https://{{.Domain}}:{{.HTTPSPort}}/"
	http_host = "{{.Domain}}"
{{end}}`))

func writeConfig(path string, c config) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := configTemplate.Execute(f, c); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.MkdirAll(filepath.Join(c.Dir, "data"), 0o700)
}
