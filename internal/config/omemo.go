package config

import "fmt"

// OMEMO is the [omemo] table.
type OMEMO struct {
	// Version is what messages are sent with: "auto" (OMEMO 2 to contacts
	// that announce it, legacy OMEMO to the others; the default), "legacy"
	// or "2".
	Version OMEMOVersion `toml:"version"`
}

// OMEMOVersion is the [omemo] version setting.
type OMEMOVersion string

// UnmarshalText validates the version while decoding.
func (v *OMEMOVersion) UnmarshalText(b []byte) error {
	switch s := OMEMOVersion(b); s {
	case "", "auto", "legacy", "2":
		*v = s
		return nil
	}
	return fmt.Errorf("%q is not an OMEMO version; use \"auto\", \"legacy\" or \"2\"", b)
}
