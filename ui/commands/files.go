package commands

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Actions of the file commands (fileSpecs). An ID of 0 means the newest.
type (
	SendFile       struct{ Path string }
	CancelTransfer struct{ ID int64 }
	DownloadFile   struct{ ID int64 }
	OpenFile       struct{ ID int64 }
)

// parseFileCommand parses the file commands; ok is false for others.
func parseFileCommand(spec Spec, arg string) (Action, bool, error) {
	switch spec.Name {
	case "send":
		p := strings.TrimSpace(arg)
		if p == "" {
			return nil, true, fmt.Errorf("missing PATH: usage %s", spec.Usage())
		}
		return SendFile{Path: p}, true, nil
	case "cancel", "download", "open":
		id, err := fileNumber(spec, arg)
		if err != nil {
			return nil, true, err
		}
		switch spec.Name {
		case "cancel":
			return CancelTransfer{ID: id}, true, nil
		case "download":
			return DownloadFile{ID: id}, true, nil
		}
		return OpenFile{ID: id}, true, nil
	}
	return nil, false, nil
}

func fileNumber(spec Spec, arg string) (int64, error) {
	a := strings.TrimPrefix(strings.TrimSpace(arg), "#")
	if a == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(a, 10, 64)
	// Files in older history (fetched from the archive) have negative
	// numbers: their messages' IDs sort before every other.
	if err != nil || n == 0 {
		return 0, fmt.Errorf("%q is not a file number (the #N shown with the file): usage %s", arg, spec.Usage())
	}
	return n, nil
}

// maxPathCandidates bounds the listing of a large directory.
const maxPathCandidates = 500

// completePath lists the file system entries that word may become, as
// typed (a leading ~ stays), directories with a trailing slash. Hidden
// entries only when the name being typed starts with a dot.
func completePath(word string) []string {
	dirPart, prefix := "", word
	if i := strings.LastIndexByte(word, '/'); i >= 0 {
		dirPart, prefix = word[:i+1], word[i+1:]
	}
	dir := dirPart
	switch {
	case dir == "":
		dir = "."
	case dir == "~/" || strings.HasPrefix(dir, "~/"):
		home, err := os.UserHomeDir()
		if err != nil {
			return nil
		}
		dir = filepath.Join(home, dir[1:])
	}
	if word == "~" {
		return []string{"~/"}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) || strings.HasPrefix(name, ".") && !strings.HasPrefix(prefix, ".") {
			continue
		}
		cand := dirPart + name
		if isDir(filepath.Join(dir, name), e) {
			cand += "/"
		}
		out = append(out, cand)
		if len(out) >= maxPathCandidates {
			break
		}
	}
	sort.Strings(out)
	return out
}

func isDir(path string, e os.DirEntry) bool {
	if e.IsDir() {
		return true
	}
	if e.Type()&os.ModeSymlink != 0 {
		fi, err := os.Stat(path)
		return err == nil && fi.IsDir()
	}
	return false
}
