package e2ee_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/e2ee"
)

func bundleOf(t testing.TB, d *device, v e2ee.Version) *e2ee.Bundle {
	t.Helper()
	b, err := d.m.Bundle(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func hasPreKey(b *e2ee.Bundle, id uint32) bool {
	for _, k := range b.PreKeys {
		if k.ID == id {
			return true
		}
	}
	return false
}

// onePreKey narrows a bundle to the prekey with the given index, so that a
// test knows which one the key exchange uses.
func onePreKey(b *e2ee.Bundle, i int) *e2ee.Bundle {
	c := cloneBundle(b)
	c.PreKeys = c.PreKeys[i : i+1]
	return c
}

func TestPreKeyConsumptionAndRefill(t *testing.T) {
	ctx := context.Background()
	for _, v := range e2ee.Versions {
		w := newWorld(t)
		bob := w.add("bob", "bob@x", func(c *e2ee.Config) { c.PreKeys, c.RefillBelow = 30, 28 })
		var senders []*device
		for i := 0; i < 3; i++ {
			senders = append(senders, w.add(fmt.Sprint("s", i), fmt.Sprintf("s%d@x", i)))
		}
		w.publish(v)
		full := bundleOf(t, bob, v)
		if len(full.PreKeys) != 30 {
			t.Fatalf("%d prekeys", len(full.PreKeys))
		}
		for i, s := range senders {
			used := full.PreKeys[i].ID
			if err := s.m.ProcessBundle(ctx, v, bob.m.Address(), onePreKey(full, i)); err != nil {
				t.Fatal(err)
			}
			out := bob.receive(s, s.send(v, "hi", bob.jid), "hi")
			if !out.BundleChanged {
				t.Fatal("consuming a prekey did not change the bundle")
			}
			b := bundleOf(t, bob, v)
			if hasPreKey(b, used) {
				t.Fatalf("prekey %d still published after use", used)
			}
			want := 30 - (i + 1)
			if i == 2 {
				want = 30 // fell below 28: refilled with fresh ids
			}
			if len(b.PreKeys) != want {
				t.Fatalf("after %d uses: %d prekeys, want %d", i+1, len(b.PreKeys), want)
			}
		}
		// A key exchange on a used (deleted) prekey fails cleanly.
		late := w.add("late", "late@x")
		w.publish(v)
		if err := late.m.ProcessBundle(ctx, v, bob.m.Address(), onePreKey(full, 0)); err != nil {
			t.Fatal(err)
		}
		_, err := bob.tryReceive(late, late.send(v, "stale bundle", bob.jid))
		if isDecryptError(err, e2ee.ErrUnknownPreKey) != nil {
			t.Fatalf("%v: stale prekey: %v", v, err)
		}
		// Ids are never reused.
		seen := map[uint32]bool{}
		for _, k := range full.PreKeys {
			seen[k.ID] = true
		}
		for _, k := range bundleOf(t, bob, v).PreKeys[27:] {
			if seen[k.ID] {
				t.Fatalf("refilled prekey reuses id %d", k.ID)
			}
		}
	}
}

func TestCatchUpDefersPreKeyDeletionAndReplies(t *testing.T) {
	ctx := context.Background()
	v := e2ee.Legacy
	w := newWorld(t)
	bob := w.add("bob", "bob@x")
	a1, a2 := w.add("a1", "a@x"), w.add("a2", "b@x")
	w.publish(v)
	// Two devices used the same prekey from a cached bundle; their messages
	// wait in bob's archive.
	one := onePreKey(bundleOf(t, bob, v), 0)
	for _, s := range []*device{a1, a2} {
		if err := s.m.ProcessBundle(ctx, v, bob.m.Address(), one); err != nil {
			t.Fatal(err)
		}
	}
	m1, m2 := a1.send(v, "one", bob.jid), a2.send(v, "two", bob.jid)

	bob.m.BeginCatchUp()
	for _, c := range []struct {
		from *device
		msg  *e2ee.Message
		text string
	}{{a1, m1, "one"}, {a2, m2, "two"}} {
		out := bob.receive(c.from, c.msg, c.text)
		if out.Reply != nil || !out.NewSession {
			t.Fatalf("during catch-up: %+v", out)
		}
	}
	if hasPreKey(bundleOf(t, bob, v), one.PreKeys[0].ID) {
		t.Fatal("used prekey still published during catch-up")
	}
	res, err := bob.m.EndCatchUp(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Replies) != 2 {
		t.Fatalf("%d held-back replies, want 2", len(res.Replies))
	}
	for _, r := range res.Replies {
		to := w.byAddr(r.Keys[0].Address)
		to.receiveEmpty(bob, r)
	}
	// After catch-up the prekey is gone for good.
	a3 := w.add("a3", "c@x")
	w.publish(v)
	if err := a3.m.ProcessBundle(ctx, v, bob.m.Address(), one); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.tryReceive(a3, a3.send(v, "three", bob.jid)); isDecryptError(err, e2ee.ErrUnknownPreKey) != nil {
		t.Fatalf("prekey after catch-up: %v", err)
	}
	// Without catch-up, the second use would have failed the same way.
	if _, err := bob.tryReceive(a1, m1); isDecryptError(err, e2ee.ErrDuplicate) != nil {
		t.Fatal(err)
	}
}

func TestSignedPreKeyRotation(t *testing.T) {
	ctx := context.Background()
	for _, v := range e2ee.Versions {
		w := newWorld(t)
		bob := w.add("bob", "bob@x")
		early, mid := w.add("early", "e@x"), w.add("mid", "m@x")
		w.publish(v)
		b0 := bundleOf(t, bob, v)
		if err := early.m.ProcessBundle(ctx, v, bob.m.Address(), b0); err != nil {
			t.Fatal(err)
		}
		if err := mid.m.ProcessBundle(ctx, v, bob.m.Address(), b0); err != nil {
			t.Fatal(err)
		}
		if changed, err := bob.m.Maintain(ctx); err != nil || changed != 0 {
			t.Fatalf("fresh keys rotated: %v %v", changed, err)
		}
		w.clock.now = w.clock.now.Add(e2ee.DefaultSignedPreKeyPeriod)
		// Opening the account again does not rotate behind the caller's back.
		reopened, err := e2ee.Open(ctx, e2ee.Config{Store: bob.store, OwnJID: bob.jid, Now: w.clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := reopened.Bundle(ctx, v); b.SignedPreKeyID != b0.SignedPreKeyID {
			t.Fatal("Open rotated the signed prekey")
		}
		changed, err := bob.m.Maintain(ctx)
		if err != nil || !changed.Has(v) {
			t.Fatalf("rotation: %v %v", changed, err)
		}
		b1 := bundleOf(t, bob, v)
		if b1.SignedPreKeyID == b0.SignedPreKeyID {
			t.Fatal("signed prekey id did not change")
		}
		// The previous signed prekey still works for one period.
		bob.receive(early, early.send(v, "old spk", bob.jid), "old spk")
		w.clock.now = w.clock.now.Add(e2ee.DefaultSignedPreKeyPeriod + time.Hour)
		if _, err := bob.m.Maintain(ctx); err != nil {
			t.Fatal(err)
		}
		_, err = bob.tryReceive(mid, mid.send(v, "too old", bob.jid))
		if isDecryptError(err, e2ee.ErrUnknownSignedPreKey) != nil {
			t.Fatalf("%v: two periods later: %v", v, err)
		}
	}
}

func TestHeartbeatAfterLongOneSidedChain(t *testing.T) {
	for _, v := range e2ee.Versions {
		w := newWorld(t)
		alice, bob := w.add("alice", "alice@x"), w.add("bob", "bob@x")
		w.publish(v)
		w.prepare(alice, v, bob.jid)
		out := bob.receive(alice, alice.send(v, "start", bob.jid), "start")
		alice.receiveEmpty(bob, out.Reply)
		// Alice's messages now run in a chain that bob answered with the
		// completion only; count from the start of her next chain.
		alice.receive(bob, bob.send(v, "go", alice.jid), "go")
		for i := 0; i <= e2ee.HeartbeatAfter; i++ {
			out := bob.receive(alice, alice.send(v, fmt.Sprint(i), bob.jid), fmt.Sprint(i))
			if (out.Reply != nil) != (i == e2ee.HeartbeatAfter) {
				t.Fatalf("%v: message %d: heartbeat %v", v, i, out.Reply != nil)
			}
			if out.Reply != nil {
				alice.receiveEmpty(bob, out.Reply)
			}
		}
		// Once answered, no more heartbeats in that chain.
		if out := bob.receive(alice, alice.send(v, "after", bob.jid), "after"); out.Reply != nil {
			t.Fatalf("%v: second heartbeat", v)
		}
	}
}

func TestUnknownDeviceIsReported(t *testing.T) {
	v := e2ee.OMEMO2
	w := newWorld(t)
	alice, bob := w.add("alice", "alice@x"), w.add("bob", "bob@x")
	// Alice knows bob's list, bob has not seen alice's.
	if _, err := alice.m.UpdateDeviceList(context.Background(), v, bob.jid, []uint32{bob.m.DeviceID()}); err != nil {
		t.Fatal(err)
	}
	w.prepare(alice, v, bob.jid)
	out := bob.receive(alice, alice.send(v, "hi", bob.jid), "hi")
	if !out.UnknownDevice {
		t.Fatal("sender outside the device list not reported")
	}
	up, err := bob.m.UpdateDeviceList(context.Background(), v, bob.jid, []uint32{12345})
	if err != nil || !up.RepublishOwn {
		t.Fatalf("own list without own device: %+v %v", up, err)
	}
	if _, err := bob.m.UpdateDeviceList(context.Background(), v, "x@y", []uint32{0}); err == nil {
		t.Fatal("device id 0 accepted")
	}
}
