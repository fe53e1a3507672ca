package session

// ScanEvent is implemented by the events of scanhook (SIMULATION), so that
// a UI can route them with one case.
type ScanEvent interface {
	Event
	isScanEvent()
}

// ScanChanged carries the scan settings after any change (mode, switch,
// reading, threshold, dihedral matching).
type ScanChanged struct{ Status ScanStatus }

// ConsentRequested asks the user to decide on scanning before encryption:
// a message waits for the answer (Scanning.ResolveConsent). Only clients
// with EnableConsentDialog ask; others block what needs consent.
type ConsentRequested struct{ Request ConsentRequest }

// ConsentClosed ends a request: answered (Decision "accepted" or
// "declined", by the dialog or by /consent) or withdrawn (Decision "": the
// waiting message gave up because the connection or the client closed).
type ConsentClosed struct {
	ID       string
	Decision string
}

// MessageScanned is the verdict on a message the scan stage checked,
// before it is sent; a blocked message then turns Failed with the reason.
type MessageScanned struct {
	Peer    string
	Verdict ScanVerdict
}

func (ScanChanged) isEvent()      {}
func (ConsentRequested) isEvent() {}
func (ConsentClosed) isEvent()    {}
func (MessageScanned) isEvent()   {}

func (ScanChanged) isScanEvent()      {}
func (ConsentRequested) isScanEvent() {}
func (ConsentClosed) isScanEvent()    {}
func (MessageScanned) isScanEvent()   {}
