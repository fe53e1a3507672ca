package session

import "fmt"

// Lines words the upload leak report: what the upload server (and anyone
// holding the https link) learns, and what stays private. The TUI and the
// command line show the same lines before and after an upload.
func (l UploadLeak) Lines() (learns, private []string) {
	server := l.Service
	if l.Host != "" && l.Host != l.Service {
		server += " (" + l.Host + ")"
	}
	name := fmt.Sprintf("file name %q", l.FileName)
	switch {
	case !l.RandomName:
		name += ": your file's real name"
	case hasExt(l.FileName):
		name += ": random, but the extension is real (receivers need it to show images)"
	default:
		name += ": random"
	}
	learns = append(learns, name)
	size := fmt.Sprintf("size %s (%d bytes)", HumanSize(l.Size), l.Size)
	switch {
	case l.Padded > 0:
		size += fmt.Sprintf(", padded by %s to a size class: not the file's exact size", HumanSize(l.Padded))
	case l.PadRefused != "":
		size += ", exact: " + l.PadRefused
	case l.Encrypted:
		size += ", exact: encryption adds 16 bytes and XEP-0454 has no padding (pad_size under [files] pads images, PDFs and MP4 videos)"
	default:
		size += ", exact"
	}
	learns = append(learns, size)
	ctype := fmt.Sprintf("content type %q", l.ContentType)
	if l.ContentType == "application/octet-stream" {
		ctype += " (says nothing)"
	}
	learns = append(learns, ctype)
	who := "the time of the upload, your address " + l.Uploader + " and your IP address"
	if !l.At.IsZero() {
		who = "the time (" + l.At.Local().Format("2006-01-02 15:04:05") + "), your address " + l.Uploader + " and your IP address"
	}
	learns = append(learns, who)
	if l.Encrypted {
		learns = append(learns, "it keeps the ciphertext until it expires; anyone with the https link can fetch that ciphertext")
	} else {
		learns = append(learns, "the whole file: it is uploaded without encryption, and anyone with the link can fetch it")
	}
	switch {
	case l.Encrypted && l.LinkEncrypted:
		private = append(private,
			"the content: "+server+" only gets AES-256-GCM ciphertext",
			"the key: it is in the link's #fragment, which travels only inside the OMEMO-encrypted message")
	case l.Encrypted:
		private = append(private, "the content, from "+server+" alone: it only gets AES-256-GCM ciphertext")
		learns = append(learns, "NOT private: the message with the link is not end-to-end encrypted, so the XMPP servers on its way can read the link and its key, and so the file")
	default:
		private = append(private, "nothing: the upload is not encrypted")
	}
	if l.Padded > 0 {
		private = append(private, fmt.Sprintf("the exact size: %d bytes were added at the end (%s); the receiver's copy keeps them", l.Padded, l.PadFormat))
	}
	return learns, private
}

func hasExt(name string) bool {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '.' {
			return i < len(name)-1
		}
	}
	return false
}
