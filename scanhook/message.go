package scanhook

import (
	"fmt"
	"io"
)

// Message is an outgoing message as the send pipeline holds it, in
// plaintext, before any encryption (scanning.md section 5: after XEP-0454
// and OMEMO nothing is scannable).
type Message struct {
	// ID is the message's id (XEP-0359 origin-id).
	ID string
	// Account is the sender's bare JID: consent is kept per account.
	Account string
	// Recipients are the bare JIDs the message goes to.
	Recipients []string
	// Body is the text as typed, links included.
	Body string
	// Attachments are files about to be encrypted and uploaded.
	Attachments []Attachment
	// EndToEndEncrypted is set when the chat uses OMEMO.
	EndToEndEncrypted bool

	// ChildUser says one user of the chat is a child user, under 17
	// (COM(2022) 209 Art. 2(j)); grooming detection applies only then
	// (Art. 7(7)).
	ChildUser bool
	// Targeted says a (simulated) judicial order names this user
	// (parliament-2023).
	Targeted bool
	// ProviderScans says the (simulated) provider chose voluntary scanning
	// (council-2025).
	ProviderScans bool
}

// Attachment is one file of a message. Its kind is decided by its bytes,
// never by Name or DeclaredType, which are only shown beside the result.
type Attachment struct {
	Name         string
	DeclaredType string
	// Open returns the plaintext bytes; the pipeline reads at most
	// MaxAttachmentBytes of them and closes the reader.
	Open func() (io.ReadCloser, error)
	// Thumbnails are data: URIs sent with the file (XEP-0264 style
	// thumbnails in file metadata): images the recipient sees at once.
	Thumbnails []string
}

// MaxAttachmentBytes bounds what the simulation reads of one attachment.
const MaxAttachmentBytes = 64 << 20

// readAttachment reads an attachment's bytes, up to the limit.
func readAttachment(a Attachment) ([]byte, bool, error) {
	if a.Open == nil {
		return nil, false, fmt.Errorf("attachment %q: no way to read its bytes", a.Name)
	}
	rc, err := a.Open()
	if err != nil {
		return nil, false, fmt.Errorf("attachment %q: %w", a.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, MaxAttachmentBytes+1))
	if err != nil {
		return nil, false, fmt.Errorf("attachment %q: %w", a.Name, err)
	}
	if len(b) > MaxAttachmentBytes {
		return b[:MaxAttachmentBytes], true, nil
	}
	return b, false, nil
}
