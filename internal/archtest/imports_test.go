package archtest

import (
	"bufio"
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/candor-xmpp/candor"

// rule says what the packages under one directory of the module may not import.
type rule struct {
	dir    string   // package directory relative to the module root, "" for none
	forbid []string // import path prefixes, module-relative when they start with "/"
	allow  []string // exceptions to forbid, same form
	except []string // package directories the rule does not cover
}

var rules = []rule{
	// e2ee and scanhook are leaves: only internal helpers (not the store,
	// which implements their interfaces) and their own subpackages.
	{dir: "e2ee", forbid: []string{"/"}, allow: []string{"/e2ee", "/internal/"}},
	{dir: "scanhook", forbid: []string{"/"}, allow: []string{"/scanhook", "/internal/"}},
	{dir: "e2ee", forbid: []string{"/internal/store", "mellium.im/"}},
	{dir: "scanhook", forbid: []string{"/internal/store", "mellium.im/"}},
	// scanhook never opens a connection; only its report viewer listens, on loopback.
	{dir: "scanhook", forbid: []string{"net", "net/http", "net/rpc", "net/smtp", "crypto/tls"}, except: []string{"scanhook/viewer"}},
	// session is the client core: e2ee, scanhook and internal are below it.
	{dir: "session", forbid: []string{"/ui", "/cmd"}},
	// ui sees only session's types and interface.
	{dir: "ui", forbid: []string{"mellium.im/", "/e2ee", "/scanhook", "/internal/store", "/cmd"}},
	// internal packages serve everyone above and import none of ui and cmd.
	{dir: "internal", forbid: []string{"/ui", "/cmd"}},
}

func TestImportRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps=false", "-test=false",
		"-f", `{{.ImportPath}} {{join .Imports " "}} {{join .TestImports " "}} {{join .XTestImports " "}}`,
		module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		pkg := strings.TrimPrefix(strings.TrimPrefix(fields[0], module), "/")
		seen++
		for _, imp := range fields[1:] {
			if err := check(pkg, imp); err != "" {
				t.Errorf("%s imports %s: %s", pkg, imp, err)
			}
		}
	}
	if seen < 5 {
		t.Fatalf("go list saw only %d packages; the test is not looking at the module", seen)
	}
}

func check(pkg, imp string) string {
	for _, r := range rules {
		if !under(pkg, r.dir) || under(pkg, r.except...) {
			continue
		}
		if matchAny(imp, r.forbid) && !matchAny(imp, r.allow) {
			return "forbidden by the rule for " + r.dir + "/"
		}
	}
	// mellium is the session's business (cmd and internal test peers aside).
	if strings.HasPrefix(imp, "mellium.im/") && !under(pkg, "session", "cmd", "internal") {
		return "only session speaks XMPP"
	}
	if strings.HasPrefix(imp, module+"/ui") && !under(pkg, "cmd", "ui") {
		return "only cmd wires the UI"
	}
	return ""
}

func under(pkg string, dirs ...string) bool {
	for _, d := range dirs {
		if pkg == d || strings.HasPrefix(pkg, d+"/") {
			return true
		}
	}
	return false
}

func matchAny(imp string, prefixes []string) bool {
	for _, p := range prefixes {
		switch {
		case p == "/":
			if strings.HasPrefix(imp, module+"/") {
				return true
			}
		case strings.HasPrefix(p, "/"):
			full := module + p
			if imp == strings.TrimSuffix(full, "/") || strings.HasPrefix(imp, strings.TrimSuffix(full, "/")+"/") {
				return true
			}
		case !strings.Contains(p, "."):
			// A standard library package: exactly that one.
			if imp == p {
				return true
			}
		default:
			if imp == p || strings.HasPrefix(imp, strings.TrimSuffix(p, "/")+"/") {
				return true
			}
		}
	}
	return false
}

func TestCheckCatchesViolations(t *testing.T) {
	bad := [][2]string{
		{"e2ee", module + "/session"},
		{"e2ee/internal/wire", module + "/scanhook"},
		{"scanhook", "net/http"},
		{"scanhook", "net"},
		{"scanhook/pdq", "mellium.im/xmpp"},
		{"ui", "mellium.im/xmpp/jid"},
		{"ui/compose", module + "/e2ee"},
		{"session", module + "/ui"},
		{"internal/store", module + "/cmd/candor"},
	}
	for _, c := range bad {
		if check(c[0], c[1]) == "" {
			t.Errorf("%s importing %s was allowed", c[0], c[1])
		}
	}
	good := [][2]string{
		{"e2ee", module + "/internal/testkit"},
		{"scanhook", "image/png"},
		{"scanhook", "net/url"},
		{"scanhook/viewer", "net/http"},
		{"session", module + "/e2ee"},
		{"session", "mellium.im/xmpp"},
		{"ui", module + "/session"},
		{"internal/store", module + "/e2ee"},
		{"cmd/candor", module + "/ui"},
	}
	for _, c := range good {
		if msg := check(c[0], c[1]); msg != "" {
			t.Errorf("%s importing %s was refused: %s", c[0], c[1], msg)
		}
	}
}
