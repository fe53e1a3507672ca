package store

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/candor-xmpp/candor/e2ee"
	"github.com/candor-xmpp/candor/e2ee/e2eetest"
)

func TestOMEMOStoreConformance(t *testing.T) {
	e2eetest.TestStore(t, func(t *testing.T) e2ee.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "candor.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s.OMEMO()
	})
}

// The OMEMO state survives closing and reopening the database.
func TestOMEMOStatePersists(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "candor.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := e2ee.Open(ctx, e2ee.Config{Store: s.OMEMO(), OwnJID: "me@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	b1, err := m.Bundle(ctx, e2ee.OMEMO2)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	m2, err := e2ee.Open(ctx, e2ee.Config{Store: s.OMEMO(), OwnJID: "me@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	b2, err := m2.Bundle(ctx, e2ee.OMEMO2)
	if err != nil {
		t.Fatal(err)
	}
	if m2.DeviceID() != m.DeviceID() || m2.Fingerprint() != m.Fingerprint() || b2.SignedPreKeyID != b1.SignedPreKeyID || len(b2.PreKeys) != len(b1.PreKeys) {
		t.Fatal("OMEMO state changed across a reopen")
	}
}
