package config

import (
	"strings"
	"testing"
)

func TestOMEMOVersion(t *testing.T) {
	cfg, err := Parse("c.toml", []byte("[omemo]\nversion = \"legacy\"\n"))
	if err != nil || cfg.OMEMO.Version != "legacy" {
		t.Fatalf("%+v %v", cfg, err)
	}
	_, err = Parse("c.toml", []byte("\n[omemo]\nversion = \"3\"\n"))
	if err == nil || !strings.Contains(err.Error(), "c.toml:3") || !strings.Contains(err.Error(), "not an OMEMO version") {
		t.Fatalf("bad version: %v", err)
	}
}
