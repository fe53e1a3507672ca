package e2ee

import (
	"io"

	"github.com/candor-xmpp/candor/e2ee/internal/curve"
)

// Internals for the external tests.

// CurveFromEd maps an Ed25519 key to Curve25519.
func CurveFromEd(ed [32]byte) ([32]byte, error) { return curve.Ed25519ToCurve(ed[:]) }

// DecryptFileStream is DecryptFile's decryption without the file, for
// measuring the crypto alone.
func DecryptFileStream(w io.Writer, src io.Reader, key FileKey) (int64, error) {
	s, err := key.stream()
	if err != nil {
		return 0, err
	}
	return decryptStream(w, src, s)
}
