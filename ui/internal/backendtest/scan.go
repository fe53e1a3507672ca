package backendtest

import (
	"context"
	"fmt"

	"github.com/candor-xmpp/candor/session"
)

// ScanData is what the scan methods answer from; tests fill it.
type ScanData struct {
	Status      session.ScanStatus
	Consent     session.ConsentStatus
	Pending     []session.ConsentRequest
	Verdicts    map[int64]session.ScanVerdict
	Inspections map[int64]session.ScanInspection
}

// SetScan replaces the scan data.
func (b *Backend) SetScan(d ScanData) {
	b.mu.Lock()
	b.scan = d
	b.mu.Unlock()
}

func (b *Backend) ScanStatus() session.ScanStatus {
	b.record("ScanStatus")
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.scan.Status
}

// SetScanMode records the call and, unless an error is set, switches the
// recorded status (only Mode and On).
func (b *Backend) SetScanMode(name string) error {
	if err := b.record("SetScanMode", name); err != nil {
		return err
	}
	b.mu.Lock()
	b.scan.Status.Mode, b.scan.Status.On = name, name != "off"
	b.mu.Unlock()
	return nil
}

func (b *Backend) SetScanSwitch(name string, on bool) error {
	return b.record("SetScanSwitch", name, on)
}
func (b *Backend) SetScanReading(point string, n int) error {
	return b.record("SetScanReading", point, n)
}
func (b *Backend) SetScanThreshold(bits int) error { return b.record("SetScanThreshold", bits) }
func (b *Backend) SetScanDihedral(on bool) error   { return b.record("SetScanDihedral", on) }
func (b *Backend) SetScanFact(name string, on bool) error {
	return b.record("SetScanFact", name, on)
}

func (b *Backend) ConsentStatus(ctx context.Context) (session.ConsentStatus, error) {
	if err := b.record("ConsentStatus"); err != nil {
		return session.ConsentStatus{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.scan.Consent, nil
}

func (b *Backend) SetConsent(ctx context.Context, decision string) error {
	return b.record("SetConsent", decision)
}

func (b *Backend) PendingConsent() []session.ConsentRequest {
	b.record("PendingConsent")
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]session.ConsentRequest(nil), b.scan.Pending...)
}

func (b *Backend) ResolveConsent(ctx context.Context, id string, accept bool) error {
	return b.record("ResolveConsent", id, accept)
}

func (b *Backend) ScanVerdicts(ctx context.Context, ids []int64) (map[int64]session.ScanVerdict, error) {
	if err := b.record("ScanVerdicts", ids); err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	out := map[int64]session.ScanVerdict{}
	for _, id := range ids {
		if v, ok := b.scan.Verdicts[id]; ok {
			out[id] = v
		}
	}
	return out, nil
}

func (b *Backend) InspectScan(ctx context.Context, id int64) (session.ScanInspection, error) {
	if err := b.record("InspectScan", id); err != nil {
		return session.ScanInspection{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	in, ok := b.scan.Inspections[id]
	if !ok {
		return session.ScanInspection{}, fmt.Errorf("message %d: %w", id, session.ErrNotScanned)
	}
	return in, nil
}

// Logout records the call and forgets the account.
func (b *Backend) Logout(ctx context.Context) error {
	if err := b.record("Logout"); err != nil {
		return err
	}
	b.SetAccount(session.AccountInfo{})
	return nil
}

func (b *Backend) CloseConversation(ctx context.Context, peer string) error {
	return b.record("CloseConversation", peer)
}

func (b *Backend) PendingSubscriptions() []session.SubscriptionRequested {
	b.record("PendingSubscriptions")
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]session.SubscriptionRequested(nil), b.Requests...)
}

// Receive stores an incoming message as the store would, counting it
// unread, and returns it with the conversation's new unread count: what
// the real backend announces as MessageAdded and UnreadChanged.
func (b *Backend) Receive(msg session.Message) (session.Message, int) {
	msg.Direction = session.Incoming
	stored := b.Store(msg)
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.unread == nil {
		b.unread = map[string]int{}
	}
	b.unread[msg.Peer]++
	return stored, b.unread[msg.Peer]
}
