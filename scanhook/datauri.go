package scanhook

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
)

// DataURI is a parsed RFC 2397 data: URI, as thumbnails are sent.
type DataURI struct {
	// MediaType is the declared type, lowercased, without parameters
	// ("text/plain" when absent, as RFC 2397 says). It is only shown: the
	// bytes decide what the thumbnail is.
	MediaType string
	// Params are the ;key=value parameters in order (charset and the like).
	Params []string
	Data   []byte
}

// MaxThumbnailBytes bounds a thumbnail's decoded size.
const MaxThumbnailBytes = 1 << 20

// ParseDataURI parses a data: URI. Errors quote at most the start of it.
func ParseDataURI(s string) (DataURI, error) {
	rest, ok := cutPrefixFold(strings.TrimSpace(s), "data:")
	if !ok {
		return DataURI{}, fmt.Errorf("thumbnail %s: not a data: URI", quoteStart(s))
	}
	meta, payload, ok := strings.Cut(rest, ",")
	if !ok {
		return DataURI{}, fmt.Errorf("thumbnail %s: no comma before the data", quoteStart(s))
	}
	var d DataURI
	parts := strings.Split(meta, ";")
	isBase64 := false
	if n := len(parts); n > 1 && strings.EqualFold(parts[n-1], "base64") {
		isBase64 = true
		parts = parts[:n-1]
	}
	d.MediaType = strings.ToLower(strings.TrimSpace(parts[0]))
	if d.MediaType == "" {
		d.MediaType = "text/plain"
	}
	if !validMediaType(d.MediaType) {
		return DataURI{}, fmt.Errorf("thumbnail %s: bad media type %q", quoteStart(s), d.MediaType)
	}
	for _, p := range parts[1:] {
		if !strings.Contains(p, "=") || strings.ContainsAny(p, ",;") {
			return DataURI{}, fmt.Errorf("thumbnail %s: bad parameter %q", quoteStart(s), p)
		}
		d.Params = append(d.Params, p)
	}
	if isBase64 {
		clean := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, payload)
		if u, err := url.PathUnescape(clean); err == nil {
			clean = u
		}
		if base64.StdEncoding.DecodedLen(len(clean)) > MaxThumbnailBytes+3 {
			return DataURI{}, fmt.Errorf("thumbnail %s: larger than %d bytes", quoteStart(s), MaxThumbnailBytes)
		}
		b, err := base64.StdEncoding.DecodeString(clean)
		if err != nil {
			b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(clean, "="))
		}
		if err != nil {
			return DataURI{}, fmt.Errorf("thumbnail %s: bad base64", quoteStart(s))
		}
		d.Data = b
	} else {
		b, err := url.PathUnescape(payload)
		if err != nil {
			return DataURI{}, fmt.Errorf("thumbnail %s: bad percent-encoding", quoteStart(s))
		}
		d.Data = []byte(b)
	}
	if len(d.Data) > MaxThumbnailBytes {
		return DataURI{}, fmt.Errorf("thumbnail %s: larger than %d bytes", quoteStart(s), MaxThumbnailBytes)
	}
	return d, nil
}

// String encodes the URI in base64 form.
func (d DataURI) String() string {
	var b strings.Builder
	b.WriteString("data:")
	b.WriteString(d.MediaType)
	for _, p := range d.Params {
		b.WriteByte(';')
		b.WriteString(p)
	}
	b.WriteString(";base64,")
	b.WriteString(base64.StdEncoding.EncodeToString(d.Data))
	return b.String()
}

// validMediaType accepts type/subtype made of RFC 6838 name characters.
func validMediaType(t string) bool {
	typ, sub, ok := strings.Cut(t, "/")
	return ok && isTokenName(typ) && isTokenName(sub)
}

func isTokenName(s string) bool {
	if s == "" || len(s) > 127 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&-^_.+", c) >= 0) {
			return false
		}
	}
	return true
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// quoteStart quotes the first characters of a long input for an error.
func quoteStart(s string) string {
	const n = 32
	if len(s) > n {
		return fmt.Sprintf("%q…", s[:n])
	}
	return fmt.Sprintf("%q", s)
}
