//go:build integration

package session

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"mellium.im/xmpp/jid"

	"github.com/candor-xmpp/candor/e2ee"
	"github.com/candor-xmpp/candor/internal/omemopeer"
	"github.com/candor-xmpp/candor/internal/prosodytest"
)

// PEP as OMEMO needs it: a device list node left with another access model
// is reconfigured (precondition-not-met) so that strangers can read it; a
// list published without this device gets it back; a message from a device
// we never saw listed makes us read its owner's lists.
func TestIntegrationOMEMOPublishing(t *testing.T) {
	ctx := context.Background()
	srv := prosodytest.Start(t)
	aliceJID := srv.CreateUser(t, "alice", "pw-a")
	carolJID := srv.CreateUser(t, "carol", "pw-c")
	daveJID := srv.CreateUser(t, "dave", "pw-d")
	alice := jid.MustParse(aliceJID)

	one := loginE2E(t, srv, aliceJID, "pw-a")
	carol := loginE2E(t, srv, carolJID, "pw-c") // a stranger to alice
	oneDev, _ := one.OwnDevice(ctx)
	readable := func(v e2ee.Version) ([]uint32, error) {
		l, err := carol.online()
		if err != nil {
			t.Fatal(err)
		}
		return l.fetchDeviceList(ctx, alice, v)
	}
	if ids, err := readable(e2ee.OMEMO2); err != nil || !slices.Contains(ids, oneDev.ID) {
		t.Fatalf("a stranger reads alice's list as %v, %v", ids, err)
	}

	// Someone (an older client) closes the nodes to contacts only.
	l, err := one.online()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range e2ee.Versions {
		if err := l.pepConfigure(ctx, deviceListNode(v), [][2]string{{"access_model", "presence"}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := readable(e2ee.OMEMO2); !isIQCondition(err, "forbidden") {
		t.Fatalf("after closing the node a stranger got %v", err)
	}

	// A second device announces itself: publish-options ask for an open
	// node, the server refuses, the node is reconfigured and the list
	// published again.
	two := loginE2E(t, srv, aliceJID, "pw-a")
	twoDev, _ := two.OwnDevice(ctx)
	for _, v := range e2ee.Versions {
		ids, err := readable(v)
		if err != nil || !slices.Contains(ids, oneDev.ID) || !slices.Contains(ids, twoDev.ID) {
			t.Fatalf("%v list read by a stranger: %v, %v", v, ids, err)
		}
	}

	// Another client of alice publishes a list without the Candor devices:
	// each adds itself back.
	py := omemopeer.Start(t)
	pyDev := py.Connect(peerConfig(srv, aliceJID, "pw-a"))
	py.PublishList(omemopeer.OMEMO2, pyDev.DeviceID)
	py.Wait("alice's list with every device again", func(e omemopeer.Event) bool {
		return e.Event == "devices" && e.JID == aliceJID && e.Namespace == omemopeer.OMEMO2 &&
			slices.Contains(e.IDs, oneDev.ID) && slices.Contains(e.IDs, twoDev.ID) && slices.Contains(e.IDs, pyDev.DeviceID)
	})

	// dave writes first: alice never read his lists; the message decrypts
	// and makes her read them.
	dave := omemopeer.Start(t)
	daveDev := dave.Connect(peerConfig(srv, daveJID, "pw-d", omemopeer.Legacy))
	dave.Send(aliceJID, "hello from an unknown device", omemopeer.Legacy)
	in := one.waitAdded(t, "hello from an unknown device")
	if in.Encryption.DeviceID != daveDev.DeviceID || in.Encryption.Scheme != OMEMO03 {
		t.Fatalf("got %+v", in.Encryption)
	}
	one.waitListed(t, daveJID, daveDev.DeviceID, e2ee.Legacy)
}

// waitListed waits until the client knows device id of who as listed in v.
func (c *tclient) waitListed(t *testing.T, who string, id uint32, v e2ee.Version) {
	t.Helper()
	ctx := context.Background()
	mgr, err := c.e2ee(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for {
		mark := c.mark()
		devs, err := mgr.Devices(ctx, who)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range devs {
			if d.Device == id && d.Listed.Has(v) {
				return
			}
		}
		c.waitFrom(t, mark, fmt.Sprintf("device %d of %s listed in %v", id, who, v), func(ev Event) bool {
			s, ok := ev.(SecurityChanged)
			return ok && s.Peer == who
		})
	}
}
