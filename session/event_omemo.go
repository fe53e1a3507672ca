package session

// Events of end-to-end encryption.

// EncryptionUpdated reports how a stored message is now protected: an
// outgoing message was encrypted (Devices is how many devices it reached),
// or a message was requeued to go unencrypted.
type EncryptionUpdated struct {
	ID         int64
	Peer       string
	Encryption Encryption
	Devices    int
}

// PlaintextNeeded reports that message ID was not sent because Peer has no
// OMEMO device: sending it unencrypted needs the user's confirmation
// (RetryUnencrypted). Reason is a one-line explanation.
type PlaintextNeeded struct {
	ID     int64
	Peer   string
	Reason string
}

// SecurityChanged reports that what protects the chat with Peer may have
// changed: a device list, a new session, a trust decision, the chat's
// setting. Ask ChatSecurity again. Peer is our own JID for our devices.
type SecurityChanged struct{ Peer string }

// DeviceNeedsTrust reports a device of JID that will not get messages until
// the user decides about it (a new device of a contact with a verified
// device, under blind trust before verification).
type DeviceNeedsTrust struct {
	JID         string
	Device      uint32
	Fingerprint string
}

// OMEMOReady reports, after each login, that this device's bundles and its
// place in our device lists are published, so that contacts can encrypt to
// it; Err says what failed (one line), if anything did.
type OMEMOReady struct {
	Device      uint32
	Fingerprint string
	Err         string
}

func (OMEMOReady) isEvent()        {}
func (EncryptionUpdated) isEvent() {}
func (PlaintextNeeded) isEvent()   {}
func (SecurityChanged) isEvent()   {}
func (DeviceNeedsTrust) isEvent()  {}
