package e2ee_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/e2ee"
	"github.com/candor-xmpp/candor/e2ee/internal/testrand"
)

// clock is a settable clock.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

// device is one Candor device in a test world.
type device struct {
	t     testing.TB
	name  string
	jid   string
	m     *e2ee.Manager
	store e2ee.Store
	clock *clock
}

// world is a set of devices that see each other's device lists and
// bundles, as PEP would show them.
type world struct {
	t       testing.TB
	devices []*device
	clock   *clock
}

func newWorld(t testing.TB) *world {
	return &world{t: t, clock: &clock{time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}}
}

func (w *world) add(name, jid string, mod ...func(*e2ee.Config)) *device {
	w.t.Helper()
	cfg := e2ee.Config{Store: e2ee.NewMemoryStore(), OwnJID: jid, Rand: testrand.New(name), Now: w.clock.Now}
	for _, f := range mod {
		f(&cfg)
	}
	m, err := e2ee.Open(context.Background(), cfg)
	if err != nil {
		w.t.Fatal(err)
	}
	d := &device{t: w.t, name: name, jid: jid, m: m, store: cfg.Store, clock: w.clock}
	w.devices = append(w.devices, d)
	return d
}

// publish shows every device list to every device, in version v.
func (w *world) publish(v e2ee.Version) {
	w.t.Helper()
	lists := map[string][]uint32{}
	for _, d := range w.devices {
		lists[d.jid] = append(lists[d.jid], d.m.DeviceID())
	}
	for _, d := range w.devices {
		for jid, ids := range lists {
			up, err := d.m.UpdateDeviceList(context.Background(), v, jid, ids)
			if err != nil {
				w.t.Fatal(err)
			}
			if up.RepublishOwn {
				w.t.Fatalf("%s: own list lacks own device", d.name)
			}
		}
	}
}

func (w *world) byAddr(a e2ee.Address) *device {
	for _, d := range w.devices {
		if d.m.Address() == a {
			return d
		}
	}
	w.t.Fatalf("no device %v", a)
	return nil
}

// prepare fetches and processes the bundles d needs to write to jids.
func (w *world) prepare(d *device, v e2ee.Version, jids ...string) {
	w.t.Helper()
	need, err := d.m.NeedBundles(context.Background(), v, jids)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, a := range need {
		b, err := w.byAddr(a).m.Bundle(context.Background(), v)
		if err != nil {
			w.t.Fatal(err)
		}
		if err := d.m.ProcessBundle(context.Background(), v, a, b); err != nil {
			w.t.Fatal(err)
		}
	}
}

func (d *device) send(v e2ee.Version, text string, jids ...string) *e2ee.Message {
	d.t.Helper()
	res, err := d.m.Encrypt(context.Background(), v, jids, []byte(text))
	if err != nil {
		d.t.Fatalf("%s encrypting %q: %v", d.name, text, err)
	}
	return res.Message
}

// keyFor picks d's key element out of msg.
func (d *device) keyFor(msg *e2ee.Message) (e2ee.Key, bool) {
	for _, k := range msg.Keys {
		if k.Address == d.m.Address() {
			return k, true
		}
	}
	return e2ee.Key{}, false
}

func (d *device) incoming(from *device, msg *e2ee.Message) *e2ee.Incoming {
	k, ok := d.keyFor(msg)
	if !ok {
		d.t.Fatalf("message from %s has no key for %s", from.name, d.name)
	}
	return &e2ee.Incoming{Version: msg.Version, Sender: from.m.Address(), Key: k.Data,
		KeyExchange: k.KeyExchange, IV: msg.IV, Payload: msg.Payload}
}

func (d *device) tryReceive(from *device, msg *e2ee.Message) (*e2ee.Decrypted, error) {
	return d.m.Decrypt(context.Background(), d.incoming(from, msg))
}

// receive decrypts and checks the text; replies are delivered back.
func (d *device) receive(from *device, msg *e2ee.Message, want string) *e2ee.Decrypted {
	d.t.Helper()
	out, err := d.tryReceive(from, msg)
	if err != nil {
		d.t.Fatalf("%s decrypting from %s: %v", d.name, from.name, err)
	}
	if string(out.Plaintext) != want {
		d.t.Fatalf("%s got %q, want %q", d.name, out.Plaintext, want)
	}
	return out
}

func (d *device) receiveEmpty(from *device, msg *e2ee.Message) *e2ee.Decrypted {
	d.t.Helper()
	out, err := d.tryReceive(from, msg)
	if err != nil {
		d.t.Fatalf("%s decrypting empty message from %s: %v", d.name, from.name, err)
	}
	if out.Plaintext != nil {
		d.t.Fatalf("%s: empty message decrypted to %q", d.name, out.Plaintext)
	}
	return out
}

func isDecryptError(err error, target error) error {
	var de *e2ee.DecryptError
	if !errors.As(err, &de) {
		return fmt.Errorf("error %v is not a *DecryptError", err)
	}
	if !errors.Is(err, target) {
		return fmt.Errorf("error %v, want %v", err, target)
	}
	return nil
}
