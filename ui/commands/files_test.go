package commands

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseFileCommands(t *testing.T) {
	r := NewRegistry()
	for line, want := range map[string]Action{
		"/send ~/Pictures/my photo.png ": SendFile{Path: "~/Pictures/my photo.png"},
		"/cancel":                        CancelTransfer{},
		"/cancel 3":                      CancelTransfer{ID: 3},
		"/download #12":                  DownloadFile{ID: 12},
		"/open 7":                        OpenFile{ID: 7},
		"/open -2":                       OpenFile{ID: -2}, // older history
	} {
		got, err := r.Parse(line)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%q: %#v, %v", line, got, err)
		}
	}
	for line, want := range map[string]string{
		"/send":         "missing PATH: usage /send PATH",
		"/download abc": `"abc" is not a file number`,
		"/open 0":       "is not a file number",
	} {
		if _, err := r.Parse(line); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", line, err, want)
		}
	}
}

// Tab completes file system paths after /send: names with spaces,
// directories (with a slash and no space after, to go on), ~ for home,
// hidden files only when asked for.
func TestCompletePaths(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, p := range []string{"photo one.png", "photo two.jpg", "notes.txt", ".secret"} {
		os.WriteFile(filepath.Join(home, p), nil, 0o600)
	}
	os.Mkdir(filepath.Join(home, "Pictures"), 0o700)
	os.WriteFile(filepath.Join(home, "Pictures", "cat.png"), nil, 0o600)
	c := NewCompleter(NewRegistry())

	line, cands, ok := c.Next("/send ~/ph", Source{})
	if !ok || line != "/send ~/photo " || !reflect.DeepEqual(cands, []string{"~/photo one.png", "~/photo two.jpg"}) {
		t.Fatalf("common prefix: %q %q", line, cands)
	}
	if line, _, _ = c.Next(line, Source{}); line != "/send ~/photo one.png" {
		t.Fatalf("cycle: %q", line)
	}
	c.Reset()
	if line, _, _ := c.Next("/send ~/Pic", Source{}); line != "/send ~/Pictures/" {
		t.Fatalf("directory: %q", line)
	}
	if line, _, _ := c.Next("/send ~/Pictures/", Source{}); line != "/send ~/Pictures/cat.png " {
		t.Fatalf("into the directory: %q", line)
	}
	if _, cands, _ := c.Next("/send ~/", Source{}); len(cands) != 4 || strings.Contains(strings.Join(cands, " "), ".secret") {
		t.Fatalf("home listing: %q", cands)
	}
	if line, _, _ := c.Next("/send ~/.se", Source{}); line != "/send ~/.secret " {
		t.Fatalf("hidden on request: %q", line)
	}
	abs := filepath.Join(home, "Pictures") + "/c"
	if line, _, _ := c.Next("/send "+abs, Source{}); line != "/send "+abs+"at.png " {
		t.Fatalf("absolute: %q", line)
	}
	if _, _, ok := c.Next("/send /no/such/dir/x", Source{}); ok {
		t.Fatal("completed in a missing directory")
	}
}
