package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/candor-xmpp/candor/internal/config"
	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/qrcode"
)

// runOMEMO is "candor omemo": this device's fingerprint, the devices of a
// contact, and trust decisions, for scripts and for verifying without the
// terminal UI.
func runOMEMO(ctx context.Context, env *environment, args []string) error {
	var c common
	fs := newFlagSet(env, "omemo", "fingerprint | devices [JID] | trust JID FINGERPRINT | untrust JID FINGERPRINT | forget JID DEVICE_ID | encryption JID on|off", &c)
	asJSON := fs.Bool("json", false, "print JSON")
	showQR := fs.Bool("qr", false, "fingerprint: also draw the verification URI as a QR code")
	offline := fs.Bool("offline", false, "do not connect: use what this device last saw")
	// Flags may come anywhere: "candor omemo devices bob --json".
	var words []string
	for {
		if err := parse(fs, args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		words = append(words, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(words) == 0 {
		fs.Usage()
		return errUsage
	}
	sub, rest := words[0], words[1:]
	want := map[string][2]int{"fingerprint": {0, 0}, "devices": {0, 1}, "trust": {2, 2}, "untrust": {2, 2}, "forget": {2, 2}, "encryption": {2, 2}}
	n, ok := want[sub]
	if !ok || len(rest) < n[0] || len(rest) > n[1] {
		fs.Usage()
		return errUsage
	}
	client, err := c.openOrLogin(ctx, env, *offline || sub == "fingerprint" || sub == "encryption")
	if err != nil {
		return err
	}
	defer client.Close()
	out := env.stdout
	switch sub {
	case "fingerprint":
		dev, err := client.OwnDevice(ctx)
		if err != nil {
			return err
		}
		uri, err := client.VerificationURI(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(out, map[string]any{"jid": dev.JID, "device_id": dev.ID, "fingerprint": dev.Fingerprint, "uri": uri})
		}
		fmt.Fprintf(out, "%s device %d\n%s\n%s\n", dev.JID, dev.ID, dev.Fingerprint, uri)
		if *showQR {
			code, err := qrcode.Render(uri)
			if err != nil {
				return err
			}
			fmt.Fprintln(out, code)
		}
	case "devices":
		jid := ""
		if len(rest) == 1 {
			jid = rest[0]
		}
		devs, err := client.Devices(ctx, jid)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(out, devicesJSON(devs))
		}
		printDevices(out, devs)
	case "encryption":
		on := rest[1] == "on"
		if !on && rest[1] != "off" {
			return fmt.Errorf("encryption %q: want on or off", rest[1])
		}
		if err := client.SetChatEncryption(ctx, rest[0], on); err != nil {
			return err
		}
		fmt.Fprintf(env.stderr, "candor: encryption %s for %s\n", rest[1], rest[0])
	case "trust", "untrust":
		trust := session.TrustVerified
		if sub == "untrust" {
			trust = session.TrustRejected
		}
		if err := client.SetTrust(ctx, rest[0], rest[1], trust); err != nil {
			return err
		}
		fmt.Fprintf(env.stderr, "candor: %s's device with fingerprint %s is now %s\n", rest[0], rest[1], trust)
	case "forget":
		id, err := strconv.ParseUint(rest[1], 10, 32)
		if err != nil || id == 0 {
			return fmt.Errorf("device id %q: not a number (candor omemo devices %s lists them)", rest[1], rest[0])
		}
		if err := client.ForgetDevice(ctx, rest[0], uint32(id)); err != nil {
			return err
		}
		fmt.Fprintf(env.stderr, "candor: forgot %s's device %d; its next key counts as a new device's\n", rest[0], id)
	}
	return nil
}

// openOrLogin opens the account's data without connecting (offline), or
// logs in so that device lists are fresh.
func (c *common) openOrLogin(ctx context.Context, env *environment, offline bool) (*session.Client, error) {
	if !offline {
		client, _, err := c.login(ctx, env, nil)
		return client, err
	}
	cfg, err := c.load()
	if err != nil {
		return nil, err
	}
	a, err := cfg.Account(c.account)
	if err != nil {
		return nil, err
	}
	if a == nil {
		return nil, &config.Error{Path: cfg.Path, Msg: "no account configured; add an [[account]] table"}
	}
	client, err := c.newClient(cfg)
	if err != nil {
		return nil, err
	}
	if err := applyOMEMO(client, cfg); err != nil {
		client.Close()
		return nil, err
	}
	if err := client.Open(ctx, sessionAccount(a)); err != nil {
		client.Close()
		return nil, err
	}
	return client, nil
}

// applyOMEMO passes the [omemo] settings to the client core.
func applyOMEMO(client *session.Client, cfg *config.Config) error {
	v := session.VersionPreference(cfg.OMEMO.Version)
	if v == "auto" {
		v = session.PreferAuto
	}
	return client.SetOMEMOVersion(v)
}

type deviceJSON struct {
	JID         string    `json:"jid"`
	DeviceID    uint32    `json:"device_id"`
	Fingerprint string    `json:"fingerprint,omitempty"`
	Trust       string    `json:"trust"`
	Versions    []string  `json:"versions"`
	Session     bool      `json:"session"`
	This        bool      `json:"this_device,omitempty"`
	LastSeen    time.Time `json:"last_seen,omitzero"`
}

func devicesJSON(devs []session.DeviceInfo) []deviceJSON {
	out := make([]deviceJSON, 0, len(devs))
	for _, d := range devs {
		j := deviceJSON{JID: d.JID, DeviceID: d.ID, Fingerprint: d.Fingerprint, Trust: string(d.Trust),
			Versions: []string{}, Session: d.Session, This: d.This, LastSeen: d.LastSeen}
		for _, v := range d.Versions {
			j.Versions = append(j.Versions, string(v))
		}
		out = append(out, j)
	}
	return out
}

func printDevices(w io.Writer, devs []session.DeviceInfo) {
	if len(devs) == 0 {
		fmt.Fprintln(w, "no OMEMO devices known")
		return
	}
	for _, d := range devs {
		fp := d.Fingerprint
		if fp == "" {
			fp = "(fingerprint not known yet)"
		}
		var vs []string
		for _, v := range d.Versions {
			vs = append(vs, string(v))
		}
		state := strings.Join(vs, ",")
		if state == "" {
			state = "not listed"
		}
		this := ""
		if d.This {
			this = " (this device)"
		}
		fmt.Fprintf(w, "%s device %d%s: %s [%s; %s]\n", d.JID, d.ID, this, fp, d.Trust, state)
	}
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
