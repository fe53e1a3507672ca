package session

import (
	"context"
	"time"
)

// Files is the part of Backend that shares files: XEP-0363 HTTP File
// Upload, encrypted with XEP-0454 (aesgcm:// links) unless the user chose
// otherwise for a contact without OMEMO, and the download of files others
// sent (aesgcm:// links, or https links with a XEP-0066 <x/> element).
//
// Progress arrives as TransferUpdated events, a received file's new state
// as FileUpdated. aesgcm:// links hold the file's key: they never leave the
// session (FileInfo has no link), and OpenFile hands the system viewer the
// decrypted local copy, never a link.
//
// Sizes are not padded. XEP-0454 has no padding field: receivers decrypt
// the whole upload and keep all of it, so padding the plaintext would
// change the file in every other client, and bytes after the tag would
// break its check (the tag is the last 16 bytes). No interoperable padding
// exists, so the leak report says the size is exact instead.
type Files interface {
	// PrepareFile checks req without uploading anything: the file, the
	// upload service and its size limit, whether plaintext is allowed,
	// and what the upload server would learn.
	PrepareFile(ctx context.Context, req FileRequest) (FilePlan, error)
	// SendFile prepares, then in the background encrypts, uploads, and
	// finally queues the link as a message through the same pipeline as
	// text. It returns the transfer as started; a failure, a cancellation
	// or a lost connection ends it with a one-line reason and no message.
	SendFile(ctx context.Context, req FileRequest) (Transfer, error)
	// DownloadFile fetches the file of a received message into the
	// download folder; an aesgcm:// file appears there only once its tag
	// has verified.
	DownloadFile(ctx context.Context, messageID int64) (Transfer, error)
	// CancelTransfer stops a transfer under way.
	CancelTransfer(id int64) error
	// Transfers lists the transfers under way.
	Transfers() []Transfer
	// OpenFile hands the local plaintext of a message's file (ours, or
	// downloaded and verified) to the system's viewer.
	OpenFile(ctx context.Context, messageID int64) error
}

// FileRequest is a file the user wants to send.
type FileRequest struct {
	To   string // bare JID
	Path string // a local file; a leading ~/ is the home directory
	// Plaintext uploads without XEP-0454 encryption. Only allowed to a
	// contact without OMEMO, and only after the user confirmed it.
	Plaintext bool
	// PadSize pads the upload's size even when FileOptions.PadSize is off.
	PadSize bool
}

// FilePlan is what sending a file would do.
type FilePlan struct {
	To, Path  string // Path made absolute
	Name      string // the file's own name
	Size      int64  // plaintext bytes
	MediaType string // sniffed from the content
	// Encrypted is XEP-0454: the server stores AES-256-GCM ciphertext.
	Encrypted bool
	// PeerHasOMEMO is what the session knows about the peer's OMEMO (see
	// peerHasOMEMO); plaintext is refused when set.
	PeerHasOMEMO bool
	// Service is the upload service's JID; MaxSize its limit in bytes
	// (0 when it announced none).
	Service string
	MaxSize int64
	// Leak is what the upload server learns.
	Leak UploadLeak

	pad padding // padding.go
}

// UploadLeak is what an upload reveals to the upload server (and to
// anyone who learns the link), as opposed to what stays private. See
// Lines for the wording shown to the user.
type UploadLeak struct {
	Service  string // the upload component's JID
	Host     string // the HTTP host, once the slot named it
	FileName string // the name in the slot request
	// RandomName says FileName was drawn at random (the default).
	RandomName bool
	Size       int64 // bytes the server receives and stores
	// Padded bytes were added to the file's end to hide its exact size
	// (PadFormat says why they are harmless); PadRefused says why a file
	// went exact although padding was asked for.
	Padded      int64
	PadFormat   string
	PadRefused  string
	ContentType string // as declared in the slot request
	Uploader    string // our bare JID
	Encrypted   bool   // XEP-0454
	// LinkEncrypted says the message carrying the link is end-to-end
	// encrypted; when not, the XMPP servers on the way can read the link,
	// and for aesgcm:// its key.
	LinkEncrypted bool
	At            time.Time // the upload's time, once done
}

// Transfer is one upload or download.
type Transfer struct {
	ID        int64
	Peer      string
	Upload    bool
	MessageID int64  // the message (downloads; uploads once queued)
	Name      string // the file's name as shown
	Total     int64  // bytes to move, -1 when unknown
	Done      int64  // bytes moved so far
	Rate      float64
	State     TransferState
	Err       string // one line, when Failed
	Path      string // the local plaintext: the source, or the verified download
	Started   time.Time
	Leak      *UploadLeak // uploads
}

// TransferState is where a transfer is.
type TransferState int

const (
	TransferPreparing TransferState = iota // finding the service, asking for a slot
	TransferRunning                        // bytes are moving
	TransferFinished                       // uploaded and queued, or downloaded and verified
	TransferFailed                         // Err says why; nothing was sent or kept
	TransferCancelled                      // stopped by the user; nothing was sent or kept
)

func (s TransferState) String() string {
	switch s {
	case TransferPreparing:
		return "preparing"
	case TransferRunning:
		return "running"
	case TransferFinished:
		return "finished"
	case TransferFailed:
		return "failed"
	case TransferCancelled:
		return "cancelled"
	}
	return "unknown"
}

// Ended reports whether the transfer is over.
func (s TransferState) Ended() bool { return s >= TransferFinished }

// FileInfo is the file a message carries. It never holds the link.
type FileInfo struct {
	Name      string
	Size      int64 // plaintext bytes, -1 when not known yet
	MediaType string
	Encrypted bool   // XEP-0454 (aesgcm://)
	Host      string // where it is stored
	LocalPath string // the plaintext on this machine, when State is FileLocal
	State     FileState
	Err       string // one line, when State is FileFailed
	// UploadName is the name the upload server was told (files we sent).
	UploadName string
}

// IsImage reports whether the file is an image a preview can show.
func (f FileInfo) IsImage() bool {
	switch f.MediaType {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}

// FileState says whether a file is on this machine.
type FileState int

const (
	FileRemote FileState = iota // only on the server: DownloadFile fetches it
	FileLocal                   // LocalPath is the plaintext (ours, or verified)
	FileFailed                  // the last download failed (Err); it may be tried again
)
