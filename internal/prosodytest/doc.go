// Package prosodytest runs Debian's Prosody on loopback for integration
// tests: a temporary configuration with free ports, a self-signed certificate
// generated in Go, users created with prosodyctl, restart and stop by the
// process id it started (never by name).
//
// Tests that need it call Start; without prosody installed they skip, or
// fail when CANDOR_INTEGRATION=require (see internal/testenv).
package prosodytest
