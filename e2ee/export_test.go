package e2ee

import "github.com/candor-xmpp/candor/e2ee/internal/curve"

// Internals for the external tests.

// CurveFromEd maps an Ed25519 key to Curve25519.
func CurveFromEd(ed [32]byte) ([32]byte, error) { return curve.Ed25519ToCurve(ed[:]) }
