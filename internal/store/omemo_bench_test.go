package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/e2ee"
)

// BenchmarkOMEMOOnSQLite is Manager.Encrypt and Manager.Decrypt with the
// state in SQLite (WAL, synchronous=NORMAL), one transaction each.
func BenchmarkOMEMOOnSQLite(b *testing.B) {
	ctx := context.Background()
	for _, v := range e2ee.Versions {
		for _, n := range []int{1, 10} {
			b.Run(fmt.Sprintf("%v/encrypt-%d-devices", v, n), func(b *testing.B) {
				alice, _ := sqlitePair(b, v, n)
				msg := []byte("one message for every device of the contact")
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if _, err := alice.Encrypt(ctx, v, []string{"bob@x"}, msg); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		b.Run(fmt.Sprintf("%v/decrypt", v), func(b *testing.B) {
			alice, bobs := sqlitePair(b, v, 1)
			// Here the SQLite side receives.
			bob := bobs[0]
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				res, err := bob.Encrypt(ctx, v, []string{"alice@x"}, []byte("reply"))
				if err != nil {
					b.Fatal(err)
				}
				k := res.Message.Keys[0]
				in := &e2ee.Incoming{Version: v, Sender: bob.Address(), Key: k.Data, KeyExchange: k.KeyExchange, IV: res.Message.IV, Payload: res.Message.Payload}
				b.StartTimer()
				if _, err := alice.Decrypt(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// sqlitePair is a Manager on SQLite with sessions to n devices on memory
// stores, each of which has answered.
func sqlitePair(b *testing.B, v e2ee.Version, n int) (*e2ee.Manager, []*e2ee.Manager) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "candor.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	now := func() time.Time { return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) }
	alice, err := e2ee.Open(ctx, e2ee.Config{Store: s.OMEMO(), OwnJID: "alice@x", Now: now})
	if err != nil {
		b.Fatal(err)
	}
	var bobs []*e2ee.Manager
	var ids []uint32
	for i := 0; i < n; i++ {
		bob, err := e2ee.Open(ctx, e2ee.Config{Store: e2ee.NewMemoryStore(), OwnJID: "bob@x", Now: now})
		if err != nil {
			b.Fatal(err)
		}
		bobs = append(bobs, bob)
		ids = append(ids, bob.DeviceID())
	}
	if _, err := alice.UpdateDeviceList(ctx, v, "bob@x", ids); err != nil {
		b.Fatal(err)
	}
	for _, bob := range bobs {
		if _, err := bob.UpdateDeviceList(ctx, v, "alice@x", []uint32{alice.DeviceID()}); err != nil {
			b.Fatal(err)
		}
		bundle, err := bob.Bundle(ctx, v)
		if err != nil {
			b.Fatal(err)
		}
		if err := alice.ProcessBundle(ctx, v, bob.Address(), bundle); err != nil {
			b.Fatal(err)
		}
	}
	res, err := alice.Encrypt(ctx, v, []string{"bob@x"}, []byte("setup"))
	if err != nil {
		b.Fatal(err)
	}
	for _, bob := range bobs {
		var k e2ee.Key
		for _, key := range res.Message.Keys {
			if key.Address == bob.Address() {
				k = key
			}
		}
		out, err := bob.Decrypt(ctx, &e2ee.Incoming{Version: v, Sender: alice.Address(), Key: k.Data, KeyExchange: k.KeyExchange, IV: res.Message.IV, Payload: res.Message.Payload})
		if err != nil {
			b.Fatal(err)
		}
		r := out.Reply.Keys[0]
		if _, err := alice.Decrypt(ctx, &e2ee.Incoming{Version: v, Sender: bob.Address(), Key: r.Data, KeyExchange: r.KeyExchange, IV: out.Reply.IV}); err != nil {
			b.Fatal(err)
		}
	}
	return alice, bobs
}
