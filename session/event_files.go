package session

// TransferUpdated reports an upload's or download's progress or end. While
// running it comes a few times a second at most.
type TransferUpdated struct{ Transfer Transfer }

// FileUpdated is a message's file that changed: downloaded and verified,
// or a download that failed.
type FileUpdated struct {
	MessageID int64
	Peer      string
	File      FileInfo
}

func (TransferUpdated) isEvent() {}
func (FileUpdated) isEvent()     {}
