package config

import (
	"bufio"
	"bytes"
	"strings"

	"github.com/BurntSushi/toml"
)

// The TOML decoder tells the line of syntax errors and of values it rejects,
// but not where a valid-looking key sits. These helpers find it by a light
// scan of the text, good for the simple files people write by hand.

// lineOf is the first line that defines key (a table header or a key = value
// under the right table), or 0.
func lineOf(data []byte, key toml.Key) int {
	want := strings.Join(key, ".")
	found := 0
	scanTOML(data, func(n int, table []string, _ int, k []string) bool {
		if strings.Join(append(append([]string{}, table...), k...), ".") == want {
			found = n
			return false
		}
		return true
	})
	return found
}

// accountKeyLine is the line of key in the index-th [[account]] table, or the
// line of that table's header when the key is absent, or 0.
func accountKeyLine(data []byte, index int, key string) int {
	header, found := 0, 0
	scanTOML(data, func(n int, table []string, arrayIndex int, k []string) bool {
		if len(table) != 1 || table[0] != "account" || arrayIndex != index {
			return true
		}
		if k == nil {
			header = n
		} else if len(k) == 1 && k[0] == key {
			found = n
			return false
		}
		return true
	})
	if found > 0 {
		return found
	}
	return header
}

// scanTOML calls fn for every table header (k nil) and key line, with the
// current table path and, for array tables, the element's index.
func scanTOML(data []byte, fn func(line int, table []string, arrayIndex int, k []string) bool) {
	var table []string
	arrayIndex := 0
	counts := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
			continue
		case strings.HasPrefix(l, "[["):
			name := strings.TrimSpace(strings.Trim(cutComment(l), "[] "))
			table = splitKey(name)
			arrayIndex = counts[name]
			counts[name]++
			if !fn(n, table, arrayIndex, nil) {
				return
			}
		case strings.HasPrefix(l, "["):
			table = splitKey(strings.TrimSpace(strings.Trim(cutComment(l), "[] ")))
			arrayIndex = 0
			if !fn(n, table, arrayIndex, nil) {
				return
			}
		default:
			k, _, ok := strings.Cut(l, "=")
			if ok && !fn(n, table, arrayIndex, splitKey(strings.TrimSpace(k))) {
				return
			}
		}
	}
}

func splitKey(s string) []string {
	parts := strings.Split(s, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return parts
}

func cutComment(l string) string {
	if i := strings.Index(l, "#"); i >= 0 {
		return l[:i]
	}
	return l
}
