package ui

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/inspect"
	"github.com/candor-xmpp/candor/ui/security"
	"github.com/candor-xmpp/candor/ui/wireview"
)

const bobFP = "0123abcd 4567ef01 89abcdef 01234567 89abcdef 01234567 89abcdef 01234567"

func bobSecurity() session.ChatSecurity {
	return session.ChatSecurity{Peer: "bob@example.org", Enabled: true, Version: session.OMEMO2, Fresh: true,
		Devices: []session.DeviceInfo{{JID: "bob@example.org", ID: 42, Fingerprint: bobFP, Trust: session.TrustBlind,
			Versions: []session.Scheme{session.OMEMO03, session.OMEMO2}, Session: true}}}
}

// The status bar says how the open chat is protected, and follows changes.
func TestStatusBarShowsTheChatsEncryption(t *testing.T) {
	x := loggedIn(t, 100, 24)
	x.be.OMEMO.Security = map[string]session.ChatSecurity{"bob@example.org": bobSecurity()}
	x.typeText("/msg bob@example.org")
	x.press("enter")
	x.mustShow("enc: OMEMO 2 · 1 device")

	cs := bobSecurity()
	cs.Devices = append(cs.Devices, session.DeviceInfo{JID: "bob@example.org", ID: 43, Trust: session.TrustUndecided,
		Versions: []session.Scheme{session.OMEMO2}})
	x.be.OMEMO.Security["bob@example.org"] = cs
	x.send(session.SecurityChanged{Peer: "bob@example.org"})
	x.mustShow("OMEMO 2 · 1 device · 1 to decide")

	x.typeText("/encryption off")
	x.press("enter")
	if calls := x.be.Calls("SetChatEncryption"); len(calls) != 1 || !reflect.DeepEqual(calls[0].Args, []any{"bob@example.org", false}) {
		t.Fatalf("SetChatEncryption calls %+v", calls)
	}
	x.mustShow("enc: off (unencrypted)")

	x.typeText("/msg carol@example.org")
	x.press("enter")
	x.mustShow("enc: no OMEMO device")
}

// Each message shows how it travelled: version, device and trust.
func TestMessagesShowTheirEncryption(t *testing.T) {
	x := loggedIn(t, 100, 24)
	x.typeText("/msg bob@example.org")
	x.press("enter")
	in := x.be.Store(session.Message{Peer: "bob@example.org", Direction: session.Incoming, Body: "trusted hello", Time: t0,
		Encryption: session.Encryption{Scheme: session.OMEMO03, DeviceID: 42, Trusted: true}})
	x.send(session.MessageAdded{Message: in})
	x.mustShow("◆")
	x.mustShow("trusted hello [omemo 0.3 · device 42]")
	odd := x.be.Store(session.Message{Peer: "bob@example.org", Direction: session.Incoming, Body: "who is this", Time: t0,
		Encryption: session.Encryption{Scheme: session.OMEMO2, DeviceID: 43}})
	x.send(session.MessageAdded{Message: odd})
	x.mustShow("◇")
	x.mustShow("who is this [omemo 2 · device 43 · not trusted]")

	out := x.be.Store(session.Message{Peer: "bob@example.org", Direction: session.Outgoing, Body: "mine", Time: t0,
		State: session.Queued, Encryption: session.Encryption{Scheme: session.OMEMOPending}})
	x.send(session.MessageAdded{Message: out})
	x.mustNotShow("mine … queued [omemo")
	x.send(session.EncryptionUpdated{ID: out.ID, Peer: "bob@example.org", Encryption: session.Encryption{Scheme: session.OMEMO2, DeviceID: 7, Trusted: true}, Devices: 2})
	x.mustShow("mine … queued [omemo 2]")
}

// A contact without OMEMO: the message was not sent; the user decides.
func TestPlaintextNeedsConfirmation(t *testing.T) {
	for _, c := range []struct {
		key    string
		method string
		args   []any
	}{
		{"y", "RetryUnencrypted", []any{int64(1)}},
		{"a", "SetChatEncryption", []any{"carol@example.org", false}},
		{"n", "", nil},
	} {
		x := loggedIn(t, 100, 24)
		x.typeText("/msg carol@example.org")
		x.press("enter")
		m := x.be.Store(session.Message{Peer: "carol@example.org", Direction: session.Outgoing, Body: "are you there", Time: t0,
			State: session.Failed, Err: "not sent: carol@example.org has no OMEMO device", Encryption: session.Encryption{Scheme: session.OMEMOPending}})
		x.send(session.MessageAdded{Message: m})
		x.send(session.PlaintextNeeded{ID: m.ID, Peer: "carol@example.org", Reason: "not sent: carol@example.org has no OMEMO device"})
		x.mustShow("Send unencrypted?")
		x.mustShow("are you there")
		x.be.Reset()
		x.press(c.key) // within the grace period: swallowed
		if calls := x.be.Calls(""); len(calls) != 0 {
			t.Fatalf("%s: a key typed before the dialog answered it: %+v", c.key, calls)
		}
		x.advance(time.Second)
		x.press(c.key)
		x.mustNotShow("Send unencrypted?")
		if c.method == "" {
			if calls := x.be.Calls("RetryUnencrypted"); len(calls) != 0 {
				t.Fatalf("n sent it anyway: %+v", calls)
			}
			continue
		}
		if calls := x.be.Calls(c.method); len(calls) != 1 || !reflect.DeepEqual(calls[0].Args, c.args) {
			t.Fatalf("%s: %s calls %+v", c.key, c.method, x.be.Calls(""))
		}
		if c.key == "a" && len(x.be.Calls("RetryUnencrypted")) != 1 {
			t.Fatal("a did not send the message")
		}
	}
}

// /omemo fingerprint shows the fingerprint and a QR code of the URI.
func TestFingerprintDialog(t *testing.T) {
	x := loggedIn(t, 100, 60)
	x.be.OMEMO.Own = session.DeviceInfo{JID: "me@example.org", ID: 99, Fingerprint: bobFP, This: true}
	x.be.OMEMO.URI = "xmpp:me@example.org?omemo-sid-99=" + strings.ReplaceAll(bobFP, " ", "")
	x.typeText("/omemo fingerprint")
	x.press("enter")
	x.mustShow("OMEMO fingerprint")
	x.mustShow(bobFP)
	x.mustShow("█▀")
	x.press("esc")
	x.mustNotShow("OMEMO fingerprint")
}

// /trust and /untrust take the fingerprint as shown (with spaces); the
// devices dialog records decisions for the device under the cursor.
func TestTrustCommandsAndDevicesDialog(t *testing.T) {
	x := loggedIn(t, 100, 30)
	x.typeText("/trust bob@example.org " + bobFP)
	x.press("enter")
	want := []any{"bob@example.org", strings.ReplaceAll(bobFP, " ", ""), session.TrustVerified}
	if calls := x.be.Calls("SetTrust"); len(calls) != 1 || !reflect.DeepEqual(calls[0].Args, want) {
		t.Fatalf("SetTrust calls %+v", calls)
	}
	x.be.Reset()
	x.be.OMEMO.Devices = map[string][]session.DeviceInfo{"bob@example.org": bobSecurity().Devices}
	x.typeText("/omemo devices bob@example.org")
	x.press("enter")
	x.mustShow("OMEMO devices of bob@example.org")
	x.mustShow("device 42")
	x.mustShow(bobFP)
	x.press("r")
	if calls := x.be.Calls("SetTrust"); len(calls) != 1 || calls[0].Args[2] != session.TrustRejected || calls[0].Args[1] != bobFP {
		t.Fatalf("SetTrust calls %+v", calls)
	}
	if calls := x.be.Calls("Devices"); len(calls) != 2 {
		t.Fatalf("the dialog was not refreshed after the decision: %+v", calls)
	}
	x.press("esc")
	x.typeText("/untrust bob@example.org 0123")
	x.press("enter")
	x.mustShow("a fingerprint is 64 hex digits")
}

// /omemo forget takes a contact's device id; the devices are reloaded.
func TestForgetDeviceCommand(t *testing.T) {
	x := loggedIn(t, 100, 30)
	x.typeText("/omemo forget bob@example.org 42")
	x.press("enter")
	if calls := x.be.Calls("ForgetDevice"); len(calls) != 1 || !reflect.DeepEqual(calls[0].Args, []any{"bob@example.org", uint32(42)}) {
		t.Fatalf("ForgetDevice calls %+v", calls)
	}
	x.mustShow("forgot bob@example.org's device 42")
	x.typeText("/omemo forget bob@example.org phone")
	x.press("enter")
	x.mustShow("a device id is a number")
	if calls := x.be.Calls("ForgetDevice"); len(calls) != 1 {
		t.Fatalf("a bad id reached the backend: %+v", calls)
	}
}

// /inspect shows what you see beside what the server sees, side by side on
// a wide screen and as tabs on a narrow one.
func TestInspectorShowsTheServersView(t *testing.T) {
	x := loggedIn(t, 140, 40)
	x.typeText("/msg bob@example.org")
	x.press("enter")
	m := x.be.Store(session.Message{Peer: "bob@example.org", Direction: session.Outgoing, Body: "the secret plan", Time: t0,
		State: session.Sent, Encryption: session.Encryption{Scheme: session.OMEMO2, DeviceID: 7, Trusted: true}})
	x.send(session.MessageAdded{Message: m})
	x.be.OMEMO.Inspections = map[int64]session.Inspection{m.ID: {
		Message: m, Version: session.OMEMO2, SenderDevice: 7, From: "me@example.org/phone", To: "bob@example.org", Size: 812,
		Stanza:      `<message to="bob@example.org" id="x1" type="chat"><encrypted xmlns="urn:xmpp:omemo:2"><header sid="7"><keys jid="bob@example.org"><key rid="42" kex="true">QUJD</key></keys></header><payload>WFla</payload></encrypted></message>`,
		Keys:        []session.InspectedKey{{JID: "bob@example.org", Device: 42, KeyExchange: true, Size: 3}},
		PayloadSize: 3,
	}}
	x.typeText("/inspect server")
	x.press("enter")
	x.mustShow("What you see")
	x.mustShow("What the server sees")
	x.mustShow("[ server ]")
	x.mustShow("SIMULATION") // the scanner's view of our own message sits between
	x.mustShow("the secret plan")
	x.mustShow("bob@example.org · device 42 · new")
	x.mustShow("(prekey)")
	x.mustShow(`<encrypted xmlns='urn:xmpp:omemo:2'>`)
	d := x.m.overlay.Get(inspect.ID).(*inspect.Dialog)
	if len(d.Panels()) != 3 || !d.SideBySide(132) || d.SideBySide(110) {
		t.Fatal("layout choice")
	}
	x.press("esc")

	x.typeText("/inspect 5")
	x.press("enter")
	x.mustShow("has 1 messages")

	// A received message: you and the server, no scanner (it only sees
	// what we send).
	in := x.be.Store(session.Message{Peer: "bob@example.org", Direction: session.Incoming, Body: "a reply", Time: t0,
		Encryption: session.Encryption{Scheme: session.OMEMO2, DeviceID: 42}})
	x.send(session.MessageAdded{Message: in})
	x.be.OMEMO.Inspections[in.ID] = session.Inspection{Message: in, Version: session.OMEMO2, SenderDevice: 42, Trust: session.TrustUndecided}
	x.typeText("/inspect 1")
	x.press("enter")
	d = x.m.overlay.Get(inspect.ID).(*inspect.Dialog)
	if len(d.Panels()) != 2 || d.Panel(wireview.ServerTab) == nil || d.Active() != wireview.ServerTab {
		t.Fatalf("inspector of a received message: %d panels, on %s", len(d.Panels()), d.Active())
	}
	x.mustShow("You have not trusted that device")
}

func TestSecurityLabel(t *testing.T) {
	cs := bobSecurity()
	cs.Devices[0].Trust = session.TrustVerified
	if got := security.Label(cs); got != "OMEMO 2 · 1 device, verified" {
		t.Fatal(got)
	}
	cs.Devices[0].Trust = session.TrustRejected
	if got := security.Label(cs); got != "OMEMO 2 · no trusted device" || security.Locked(cs) {
		t.Fatal(got)
	}
}
