// Package testenv decides what a test does when something it needs from the
// machine is missing: skip on a developer's machine, fail where the whole
// suite is required (CANDOR_INTEGRATION=require, as the test script sets).
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Required reports whether missing prerequisites must fail tests.
func Required() bool { return os.Getenv("CANDOR_INTEGRATION") == "require" }

// Skip skips the test with reason, or fails it when tests are required.
func Skip(t testing.TB, reason string) {
	t.Helper()
	if Required() {
		t.Fatalf("required but unavailable: %s", reason)
	}
	t.Skip(reason)
}

// LookPath finds a program or skips (fails when required) without it.
func LookPath(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Skip(t, name+" is not installed")
	}
	return p
}

// SystemPython is Debian's python3, which sees Debian's python3-* packages
// (slixmpp, omemo); a python3 earlier in PATH (pyenv) may not.
func SystemPython(t testing.TB) string {
	t.Helper()
	const p = "/usr/bin/python3"
	if _, err := os.Stat(p); err != nil {
		Skip(t, p+" is not installed")
	}
	return p
}

// ModuleRoot is the directory holding go.mod.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// SharedDir is the project's shared reference folder (../shared beside the
// repository, or $CANDOR_SHARED). Test data is read from there, never copied.
func SharedDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("CANDOR_SHARED")
	if dir == "" {
		dir = filepath.Join(ModuleRoot(t), "..", "shared")
	}
	if _, err := os.Stat(dir); err != nil {
		Skip(t, "shared reference folder not found at "+dir)
	}
	return dir
}
