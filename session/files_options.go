package session

import (
	"path/filepath"
	"time"
)

// FileOptions configure file sharing (Options.Files).
type FileOptions struct {
	// DownloadDir receives downloaded files ("": DataDir/downloads; the
	// command layer passes the XDG download dir's candor folder).
	DownloadDir string
	// AutoDownloadMax: images from contacts up to this many bytes are
	// downloaded when they arrive (0: never automatically).
	AutoDownloadMax int64
	// MaxDownload bounds any download (0: 2 GiB).
	MaxDownload int64
	// StallTimeout ends a transfer that moved no byte for this long as a
	// lost connection (0: 60s).
	StallTimeout time.Duration
	// UploadNames is the name given to the upload server (default random
	// with the file's extension).
	UploadNames NameMode
	// PadSize pads encrypted uploads of formats that tolerate it to a size
	// class (padding.go), so the upload server does not learn exact sizes.
	PadSize bool
	// Opener is the program that opens a file for OpenFile, given the path
	// as its last argument (nil: xdg-open).
	Opener []string
}

// NameMode says which file name the upload server is told.
type NameMode string

const (
	// NameRandom: random letters plus the file's extension, which
	// receivers need to show images inline (the default).
	NameRandom NameMode = "random"
	// NameOpaque: random letters without an extension.
	NameOpaque NameMode = "opaque"
	// NameOriginal: the file's own name.
	NameOriginal NameMode = "original"
)

const defaultMaxDownload = 2 << 30

func (o FileOptions) withDefaults() FileOptions {
	if o.MaxDownload <= 0 {
		o.MaxDownload = defaultMaxDownload
	}
	if o.StallTimeout <= 0 {
		o.StallTimeout = 60 * time.Second
	}
	if o.UploadNames == "" {
		o.UploadNames = NameRandom
	}
	if len(o.Opener) == 0 {
		o.Opener = []string{"xdg-open"}
	}
	return o
}

// downloadDir is where downloads go.
func (c *Client) downloadDir() string {
	if d := c.files.opts.DownloadDir; d != "" {
		return d
	}
	return filepath.Join(c.opts.DataDir, "downloads")
}
