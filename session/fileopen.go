package session

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"

	"github.com/candor-xmpp/candor/internal/store"
)

// OpenFile implements Files: the local plaintext goes to the opener
// (xdg-open by default). Never a link: an aesgcm:// link holds the key,
// and a browser would send it to places it must not go (history, sync,
// extensions); an https link would make the viewer fetch it again.
func (c *Client) OpenFile(ctx context.Context, messageID int64) error {
	st, err := c.store()
	if err != nil {
		return err
	}
	f, err := st.File(ctx, messageID)
	if errors.Is(err, store.ErrNoFile) {
		return fmt.Errorf("message %d carries no file", messageID)
	}
	if err != nil {
		return err
	}
	if f.State != int(FileLocal) || f.LocalPath == "" {
		return fmt.Errorf("%s is not downloaded yet: /download first", f.Name)
	}
	fi, err := os.Stat(f.LocalPath)
	if err != nil || !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is no longer at %s", f.Name, f.LocalPath)
	}
	opener := c.files.opts.Opener
	cmd := exec.Command(opener[0], append(opener[1:len(opener):len(opener)], f.LocalPath)...)
	// The viewer must not draw over the terminal UI.
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, nil, nil
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("cannot open %s with %s: %v", f.Name, opener[0], unwrapPathErr(err))
	}
	go cmd.Wait()
	return nil
}
