// Package archtest holds the test that enforces the import rules of
// DESIGN.md: which package of Candor may import which.
package archtest
