// Package config reads and writes Candor's TOML configuration: accounts,
// scanhook settings and UI preferences, in the XDG config dir by default.
//
// Errors name the file, the line and the key, and show an example of what
// is expected, because a config file is edited by hand.
package config
