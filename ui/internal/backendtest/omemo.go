package backendtest

import (
	"context"
	"fmt"

	"github.com/candor-xmpp/candor/session"
)

// OMEMOData is what the EndToEnd methods answer.
type OMEMOData struct {
	Security     map[string]session.ChatSecurity // by peer; missing: OMEMO with no device
	Own          session.DeviceInfo
	Devices      map[string][]session.DeviceInfo // by JID
	URI          string
	Inspections  map[int64]session.Inspection
	ChatDisabled map[string]bool
}

func (b *Backend) ChatSecurity(ctx context.Context, peer string) (session.ChatSecurity, error) {
	if err := b.record("ChatSecurity", peer); err != nil {
		return session.ChatSecurity{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if cs, ok := b.OMEMO.Security[peer]; ok {
		return cs, nil
	}
	return session.ChatSecurity{Peer: peer, Enabled: !b.OMEMO.ChatDisabled[peer], Fresh: true}, nil
}

func (b *Backend) SetChatEncryption(ctx context.Context, peer string, on bool) error {
	if err := b.record("SetChatEncryption", peer, on); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.OMEMO.ChatDisabled == nil {
		b.OMEMO.ChatDisabled = map[string]bool{}
	}
	b.OMEMO.ChatDisabled[peer] = !on
	if cs, ok := b.OMEMO.Security[peer]; ok {
		cs.Enabled = on
		b.OMEMO.Security[peer] = cs
	}
	return nil
}

func (b *Backend) RetryUnencrypted(ctx context.Context, id int64) error {
	return b.record("RetryUnencrypted", id)
}

func (b *Backend) OwnDevice(ctx context.Context) (session.DeviceInfo, error) {
	if err := b.record("OwnDevice"); err != nil {
		return session.DeviceInfo{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.OMEMO.Own, nil
}

func (b *Backend) Devices(ctx context.Context, jid string) ([]session.DeviceInfo, error) {
	if err := b.record("Devices", jid); err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]session.DeviceInfo(nil), b.OMEMO.Devices[jid]...), nil
}

func (b *Backend) SetTrust(ctx context.Context, jid, fingerprint string, trust session.Trust) error {
	return b.record("SetTrust", jid, fingerprint, trust)
}

func (b *Backend) ForgetDevice(ctx context.Context, jid string, id uint32) error {
	return b.record("ForgetDevice", jid, id)
}

func (b *Backend) VerificationURI(ctx context.Context) (string, error) {
	if err := b.record("VerificationURI"); err != nil {
		return "", err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.OMEMO.URI, nil
}

func (b *Backend) Inspect(ctx context.Context, id int64) (session.Inspection, error) {
	if err := b.record("Inspect", id); err != nil {
		return session.Inspection{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	in, ok := b.OMEMO.Inspections[id]
	if !ok {
		return in, fmt.Errorf("no message %d", id)
	}
	return in, nil
}
