package main

import (
	"github.com/candor-xmpp/candor/internal/config"
	"github.com/candor-xmpp/candor/session"
)

// fileOptions turns the [files] table into the client core's options.
func fileOptions(cfg *config.Config) (session.FileOptions, error) {
	f := cfg.Files
	dir, err := f.DownloadFolder()
	if err != nil {
		return session.FileOptions{}, &config.Error{Path: cfg.Path, Key: "files.download_dir", Msg: err.Error()}
	}
	opts := session.FileOptions{
		DownloadDir:     dir,
		AutoDownloadMax: config.DefaultAutoDownload,
		UploadNames:     session.NameMode(f.UploadNames),
		PadSize:         f.PadSize,
		Opener:          f.Opener,
	}
	if f.AutoDownload != nil {
		opts.AutoDownloadMax = int64(*f.AutoDownload)
	}
	if f.MaxDownload != nil {
		opts.MaxDownload = int64(*f.MaxDownload)
	}
	return opts, nil
}
