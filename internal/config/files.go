package config

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Files is the [files] table: file sharing.
type Files struct {
	// DownloadDir receives downloads ("": DefaultDownloadDir). A leading
	// ~/ is the home directory.
	DownloadDir string `toml:"download_dir"`
	// AutoDownload: images from contacts up to this size are fetched when
	// they arrive ("0" turns it off; default DefaultAutoDownload).
	AutoDownload *Size `toml:"auto_download"`
	// MaxDownload bounds every download ("": 2 GiB).
	MaxDownload *Size `toml:"max_download"`
	// UploadNames: "random" (default: random letters plus the extension),
	// "opaque" (random, no extension) or "original".
	UploadNames NameMode `toml:"upload_names"`
	// PadSize pads encrypted uploads of images, PDFs and MP4 videos to a
	// size class, so that the upload server does not learn exact sizes.
	PadSize bool `toml:"pad_size"`
	// Preview: "auto" (default), "kitty", "blocks" or "off".
	Preview PreviewMode `toml:"preview"`
	// Opener is the program /open runs with the file's path (default
	// ["xdg-open"]).
	Opener []string `toml:"opener"`
}

// DefaultAutoDownload is AutoDownload when the file does not say.
const DefaultAutoDownload = 5 << 20

// Size is a byte count written "5 MiB", "800 KiB", "1.5 GiB", "100 MB" or
// a plain number of bytes, as a string.
type Size int64

// UnmarshalText parses a size.
func (s *Size) UnmarshalText(b []byte) error {
	n, err := ParseSize(string(b))
	if err != nil {
		return err
	}
	*s = Size(n)
	return nil
}

// ParseSize reads a size such as "5 MiB".
func ParseSize(text string) (int64, error) {
	t := strings.TrimSpace(text)
	i := strings.IndexFunc(t, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '.') })
	num, unit := t, ""
	if i >= 0 {
		num, unit = t[:i], strings.TrimSpace(t[i:])
	}
	mult := map[string]float64{"": 1, "b": 1, "k": 1e3, "kb": 1e3, "kib": 1 << 10, "m": 1e6, "mb": 1e6, "mib": 1 << 20,
		"g": 1e9, "gb": 1e9, "gib": 1 << 30}[strings.ToLower(unit)]
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || mult == 0 || f < 0 || f*mult > 1<<50 {
		return 0, fmt.Errorf("%q is not a size; write it like \"5 MiB\", \"800 KiB\" or \"0\"", text)
	}
	return int64(f * mult), nil
}

// NameMode says what file name the upload server is told.
type NameMode string

// UnmarshalText validates the mode while decoding.
func (m *NameMode) UnmarshalText(b []byte) error {
	switch v := NameMode(b); v {
	case "", "random", "opaque", "original":
		*m = v
		return nil
	}
	return fmt.Errorf("%q is not a naming of uploads; use \"random\", \"opaque\" or \"original\"", b)
}

// PreviewMode says how images are previewed in the terminal.
type PreviewMode string

// UnmarshalText validates the mode while decoding.
func (m *PreviewMode) UnmarshalText(b []byte) error {
	switch v := PreviewMode(b); v {
	case "", "auto", "kitty", "blocks", "off":
		*m = v
		return nil
	}
	return fmt.Errorf("%q is not a preview mode; use \"auto\", \"kitty\", \"blocks\" or \"off\"", b)
}

// DownloadFolder is the configured download folder, with ~ expanded, or
// the default.
func (f Files) DownloadFolder() (string, error) {
	d := strings.TrimSpace(f.DownloadDir)
	if d == "" {
		return DefaultDownloadDir()
	}
	if d == "~" || strings.HasPrefix(d, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("download_dir %s: no home directory: %w", d, err)
		}
		d = filepath.Join(home, d[1:])
	}
	if !filepath.IsAbs(d) {
		return "", fmt.Errorf("download_dir %q: give an absolute path (or one starting with ~/)", d)
	}
	return d, nil
}

// DefaultDownloadDir is the XDG download folder's candor folder:
// $XDG_DOWNLOAD_DIR, else XDG_DOWNLOAD_DIR in user-dirs.dirs, else
// ~/Downloads.
func DefaultDownloadDir() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no home directory for downloads: %w (set download_dir under [files])", err)
	}
	dir := os.Getenv("XDG_DOWNLOAD_DIR")
	if dir == "" {
		if cfg, err := os.UserConfigDir(); err == nil {
			dir = userDirsDownload(filepath.Join(cfg, "user-dirs.dirs"), home)
		}
	}
	if dir == "" || !filepath.IsAbs(dir) {
		dir = filepath.Join(home, "Downloads")
	}
	return filepath.Join(dir, "candor"), nil
}

// userDirsDownload reads XDG_DOWNLOAD_DIR="$HOME/..." from xdg-user-dirs'
// file.
func userDirsDownload(path, home string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		v, ok := strings.CutPrefix(line, "XDG_DOWNLOAD_DIR=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"`)
		v = strings.Replace(v, "$HOME", home, 1)
		return filepath.Clean(v)
	}
	return ""
}
