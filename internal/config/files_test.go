package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFilesTable(t *testing.T) {
	cfg, err := Parse("c.toml", []byte(`
[files]
download_dir = "~/dl"
auto_download = "1.5 MiB"
max_download = "100MB"
upload_names = "opaque"
pad_size = true
preview = "blocks"
opener = ["feh", "--scale-down"]
`))
	if err != nil {
		t.Fatal(err)
	}
	f := cfg.Files
	if *f.AutoDownload != 1572864 || *f.MaxDownload != 100_000_000 || f.UploadNames != "opaque" || !f.PadSize || f.Preview != "blocks" || len(f.Opener) != 2 {
		t.Fatalf("%+v", f)
	}
	home, _ := os.UserHomeDir()
	if d, err := f.DownloadFolder(); err != nil || d != filepath.Join(home, "dl") {
		t.Fatalf("download folder %q, %v", d, err)
	}
	empty, _ := Parse("c.toml", nil)
	if empty.Files.AutoDownload != nil {
		t.Fatal("auto_download set without the key")
	}
	for text, want := range map[string]string{
		"[files]\nauto_download = \"lots\"\n":   `c.toml:2: key files.auto_download: "lots" is not a size`,
		"[files]\nupload_names = \"hidden\"\n":  `c.toml:2: key files.upload_names: "hidden" is not a naming of uploads`,
		"[files]\npreview = \"sixel\"\n":        `c.toml:2: key files.preview: "sixel" is not a preview mode`,
		"[files]\ndownload_folder = \"/x\"\n":   "c.toml:2: key files.download_folder: unknown key",
		"[files]\nauto_download = \"-1 MiB\"\n": "is not a size",
		"[files]\npad_size = \"yes\"\n":         "c.toml:2: key files.pad_size",
	} {
		if _, err := Parse("c.toml", []byte(text)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", text, err, want)
		}
	}
	if _, err := (Files{DownloadDir: "relative/dir"}).DownloadFolder(); err == nil {
		t.Fatal("a relative download_dir was accepted")
	}
}

func TestDefaultDownloadDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("XDG_DOWNLOAD_DIR", "")
	if d, _ := DefaultDownloadDir(); d != filepath.Join(home, "Downloads", "candor") {
		t.Fatalf("without user-dirs: %q", d)
	}
	os.MkdirAll(filepath.Join(home, ".config"), 0o700)
	os.WriteFile(filepath.Join(home, ".config", "user-dirs.dirs"), []byte("# xdg\nXDG_DOWNLOAD_DIR=\"$HOME/Téléchargements\"\n"), 0o600)
	if d, _ := DefaultDownloadDir(); d != filepath.Join(home, "Téléchargements", "candor") {
		t.Fatalf("from user-dirs: %q", d)
	}
	t.Setenv("XDG_DOWNLOAD_DIR", "/srv/dl")
	if d, _ := DefaultDownloadDir(); d != "/srv/dl/candor" {
		t.Fatalf("from the environment: %q", d)
	}
}
