package e2ee

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrBadURL: an aesgcm:// link or the https URL to make one from is not
// acceptable.
var ErrBadURL = errors.New("bad aesgcm URL")

// FormatAESGCMURL makes the aesgcm:// link for an uploaded file: the https
// URL with its scheme replaced and the IV and key appended as the fragment
// in lowercase hex, IV first (88 digits for a 12-byte IV). Only https URLs
// are converted (XEP-0454).
func FormatAESGCMURL(httpsURL string, key FileKey) (string, error) {
	rest, ok := cutSchemeFold(httpsURL, "https://")
	if !ok {
		return "", fmt.Errorf("%w: %q is not an https URL", ErrBadURL, httpsURL)
	}
	if strings.Contains(rest, "#") {
		return "", fmt.Errorf("%w: %q already has a fragment", ErrBadURL, httpsURL)
	}
	if len(key.IV) != 12 && len(key.IV) != 16 {
		return "", fmt.Errorf("%w: IV of %d bytes", ErrBadURL, len(key.IV))
	}
	if err := checkHost(rest); err != nil {
		return "", err
	}
	return "aesgcm://" + rest + "#" + hex.EncodeToString(key.IV) + hex.EncodeToString(key.Key[:]), nil
}

// ParseAESGCMURL reads an aesgcm:// link into the https URL to download
// and the file key. The fragment must be 88 hex digits (12-byte IV, 32-byte
// key) or 96 (16-byte IV, as older clients sent), in either case. Errors do
// not repeat the fragment, which holds the key.
func ParseAESGCMURL(s string) (httpsURL string, key FileKey, err error) {
	rest, ok := cutSchemeFold(s, "aesgcm://")
	if !ok {
		return "", FileKey{}, fmt.Errorf("%w: not an aesgcm:// link", ErrBadURL)
	}
	i := strings.LastIndexByte(rest, '#')
	if i < 0 {
		return "", FileKey{}, fmt.Errorf("%w: no key fragment", ErrBadURL)
	}
	loc, frag := rest[:i], rest[i+1:]
	if strings.ContainsRune(loc, '#') {
		return "", FileKey{}, fmt.Errorf("%w: more than one fragment", ErrBadURL)
	}
	if len(frag) != 88 && len(frag) != 96 {
		return "", FileKey{}, fmt.Errorf("%w: key fragment of %d characters, want 88 or 96", ErrBadURL, len(frag))
	}
	raw, err := hex.DecodeString(frag)
	if err != nil {
		return "", FileKey{}, fmt.Errorf("%w: key fragment is not hex", ErrBadURL)
	}
	if err := checkHost(loc); err != nil {
		return "", FileKey{}, err
	}
	ivLen := len(raw) - 32
	key.IV = raw[:ivLen:ivLen]
	copy(key.Key[:], raw[ivLen:])
	return "https://" + loc, key, nil
}

// cutSchemeFold strips a scheme prefix, ignoring its case.
func cutSchemeFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return "", false
	}
	return s[len(prefix):], true
}

// checkHost makes sure what follows the scheme is a URL with a host.
func checkHost(rest string) error {
	u, err := url.Parse("https://" + rest)
	if err != nil || u.Host == "" || u.User != nil {
		return fmt.Errorf("%w: no valid host", ErrBadURL)
	}
	return nil
}
