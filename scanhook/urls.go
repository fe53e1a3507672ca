package scanhook

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// NormalizedURL is a link as the URL scanner sees it: lowercase scheme and
// host, the host in IDNA ASCII form, the scheme's default port dropped,
// percent-encoding normalised (RFC 3986 section 6.2.2), dot segments removed,
// and no user info and no fragment. It never holds the fragment: in an
// `aesgcm://` link (XEP-0454) the fragment is the file's IV and key.
type NormalizedURL struct {
	URL string `json:"url"`
	// SHA256 is the hex SHA-256 of URL, the value matched against the list.
	SHA256 string `json:"sha256"`
	// FragmentDropped is set when the link had a fragment.
	FragmentDropped bool `json:"fragment_dropped"`
	// KeyDropped is set when the dropped fragment was an aesgcm:// file key.
	KeyDropped bool `json:"key_dropped,omitempty"`
	// UserinfoDropped is set when the link carried a user name or password.
	UserinfoDropped bool `json:"userinfo_dropped,omitempty"`
}

// defaultPorts are dropped from normalised links. aesgcm:// is an https://
// link with another scheme (XEP-0454).
var defaultPorts = map[string]int{"http": 80, "https": 443, "aesgcm": 443, "ftp": 21}

// hostProfile is IDNA lookup (UTS #46) that also refuses empty and
// over-long labels, which the plain Lookup profile lets through.
var hostProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.VerifyDNSLength(true))

// urlPattern finds links in text: a scheme the scanner knows, or a bare
// "www." host. Defanged links (example[.]org) are not found, as in real
// list matching: an evasion the demo shows.
var urlPattern = regexp.MustCompile(`(?i)\b(?:(?:https?|aesgcm|ftp)://|www\.)[^\s<>"'\x60]+`)

// ExtractURLs returns the links found in text, in order. They are raw text
// and may hold a fragment: pass each to NormalizeURL and keep only its
// result.
func ExtractURLs(text string) []string {
	var out []string
	for _, m := range urlPattern.FindAllString(text, -1) {
		m = trimURLTail(m)
		if strings.HasPrefix(strings.ToLower(m), "www.") {
			m = "http://" + m
		}
		if len(m) > len("http://") {
			out = append(out, m)
		}
	}
	return out
}

// trimURLTail drops sentence punctuation after a link and closing brackets
// that have no opening partner inside it.
func trimURLTail(s string) string {
	for s != "" {
		last := s[len(s)-1]
		switch {
		case strings.IndexByte(".,;:!?*", last) >= 0:
			s = s[:len(s)-1]
			continue
		case last == ')' && strings.Count(s, "(") < strings.Count(s, ")"),
			last == ']' && strings.Count(s, "[") < strings.Count(s, "]"),
			last == '}' && strings.Count(s, "{") < strings.Count(s, "}"):
			s = s[:len(s)-1]
			continue
		}
		return s
	}
	return s
}

// NormalizeURL normalises one link. The fragment is cut off before anything
// else, so that neither the result nor an error can carry it.
func NormalizeURL(raw string) (NormalizedURL, error) {
	var n NormalizedURL
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		n.FragmentDropped = true
		n.KeyDropped = strings.HasPrefix(strings.ToLower(strings.TrimSpace(raw)), "aesgcm:")
		raw = raw[:i]
	}
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return NormalizedURL{}, fmt.Errorf("link %q: not a URL", raw)
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme == "" || u.Opaque != "" || u.Host == "" {
		return NormalizedURL{}, fmt.Errorf("link %q: not an absolute URL with a host", raw)
	}
	n.UserinfoDropped = u.User != nil
	host, err := normalizeHost(u.Hostname())
	if err != nil {
		return NormalizedURL{}, fmt.Errorf("link %q: %v", raw, err)
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if p := u.Port(); p != "" {
		port, err := strconv.Atoi(p)
		if err != nil || port > 65535 {
			return NormalizedURL{}, fmt.Errorf("link %q: bad port %q", raw, p)
		}
		if defaultPorts[scheme] != port {
			host += ":" + strconv.Itoa(port)
		}
	}
	path := removeDotSegments(normalizePercent(u.EscapedPath()))
	if path == "" {
		path = "/"
	}
	var b strings.Builder
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(host)
	b.WriteString(path)
	if u.RawQuery != "" {
		b.WriteByte('?')
		b.WriteString(normalizePercent(u.RawQuery))
	}
	n.URL = b.String()
	sum := sha256.Sum256([]byte(n.URL))
	n.SHA256 = hex.EncodeToString(sum[:])
	return n, nil
}

// normalizeHost lowercases a host, drops a trailing dot and converts a
// domain name to IDNA ASCII (UTS #46 lookup rules). IP literals stay as
// they are, in canonical form.
func normalizeHost(h string) (string, error) {
	if h == "" {
		return "", fmt.Errorf("empty host")
	}
	if a, err := netip.ParseAddr(h); err == nil {
		return a.WithZone("").String(), nil
	}
	h = strings.TrimSuffix(h, ".")
	if !utf8.ValidString(h) {
		return "", fmt.Errorf("host %q is not valid UTF-8", h)
	}
	ascii, err := hostProfile.ToASCII(h)
	if err != nil {
		return "", fmt.Errorf("host %q is not a valid domain name", h)
	}
	ascii = strings.ToLower(ascii)
	// The ASCII form must be stable, so that normalising twice changes nothing.
	if again, err := hostProfile.ToASCII(ascii); err != nil || again != ascii {
		return "", fmt.Errorf("host %q is not a valid domain name", h)
	}
	return ascii, nil
}

// normalizePercent decodes percent-escapes of unreserved characters and
// writes the other escapes in upper case (RFC 3986 section 6.2.2.1-2).
func normalizePercent(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if c := byte(v); isUnreserved(c) {
				b.WriteByte(c)
			} else {
				b.WriteByte('%')
				b.WriteString(strings.ToUpper(s[i+1 : i+3]))
			}
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// removeDotSegments applies RFC 3986 section 5.2.4 to an absolute path.
func removeDotSegments(p string) string {
	if !strings.Contains(p, ".") {
		return p
	}
	var out []string
	segs := strings.Split(p, "/")
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 1 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	r := strings.Join(out, "/")
	if !strings.HasPrefix(r, "/") {
		r = "/" + r
	}
	return r
}
