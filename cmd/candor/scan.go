package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/candor-xmpp/candor/scanhook"
	"github.com/candor-xmpp/candor/scanhook/demo"
)

// scanAccount stands for the sender when no account is configured; consent
// is kept per account, in memory for this command.
const scanAccount = "tester@scan.invalid"

// runScan runs scanhook's pipeline offline on files, links or text: one
// JSON result per argument and line.
func runScan(ctx context.Context, env *environment, args []string) error {
	var c common
	fs := newFlagSet(env, "scan", "FILE|URL|TEXT ...", &c)
	mode := fs.String("mode", "", "scan mode (default: the config's [scan] mode); one of "+modeNames())
	e2ee := fs.Bool("e2ee", true, "the chat is end-to-end encrypted (OMEMO)")
	child := fs.Bool("child", false, "a user of the chat is a child (under 17)")
	targeted := fs.Bool("targeted", false, "a (simulated) judicial order names this user (parliament-2023)")
	provider := fs.Bool("provider-scans", false, "the (simulated) provider chose voluntary scanning (council-2025)")
	consent := fs.String("consent", "", "the user's consent decision: accept or decline (default: undecided)")
	threshold := fs.Int("threshold", -1, "PDQ match threshold in bits (default 31)")
	dihedral := fs.Bool("dihedral", false, "also match the 7 rotations and mirrors of each image")
	noGate := fs.Bool("no-quality-gate", false, "keep image hashes of low PDQ quality")
	var switches, readings, lists multiFlag
	fs.Var(&switches, "switch", "flip one scope switch of the mode: NAME=on|off (repeatable)")
	fs.Var(&readings, "reading", "pick a reading of a contested point: POINT=N (repeatable)")
	fs.Var(&lists, "list", "use this demo list file instead of the shipped one of its kind (repeatable)")
	reports := fs.String("reports", "", "also append the simulated reports to DIR/scanhook-reports.jsonl")
	pretty := fs.Bool("pretty", false, "indent the JSON")
	writeDemo := fs.String("write-demo", "", "write the generated demo material (images, evasions, manifest) into DIR and exit")
	baseRate := fs.Bool("base-rate", false, "print the base-rate calculation and its sourced figures and exit")
	items := fs.Float64("items-per-day", scanhook.DefaultItemsPerDay, "base rate: items scanned a day")
	fpr := fs.Float64("fpr", scanhook.DefaultFalsePositiveRate, "base rate: false-positive rate")
	tpr := fs.Float64("tpr", scanhook.DefaultTruePositiveRate, "base rate: true-positive rate")
	prevalence := fs.Float64("prevalence", scanhook.DefaultPrevalence, "base rate: share of abusive items")
	if err := parse(fs, args); err != nil {
		return err
	}
	enc := json.NewEncoder(env.stdout)
	if *pretty {
		enc.SetIndent("", "  ")
	}

	switch {
	case *writeDemo != "":
		if _, err := demo.WriteDir(*writeDemo); err != nil {
			return err
		}
		fmt.Fprintf(env.stderr, "candor: demo material written to %s (see manifest.json); SIMULATION: harmless generated images only\n", *writeDemo)
		return nil
	case *baseRate:
		r, err := scanhook.BaseRate(scanhook.BaseRateInput{ItemsPerDay: *items, FalsePositiveRate: *fpr,
			TruePositiveRate: *tpr, Prevalence: *prevalence})
		if err != nil {
			return err
		}
		return enc.Encode(struct {
			scanhook.BaseRateResult
			Figures []scanhook.Figure `json:"figures"`
		}{r, scanhook.BaseRateFigures()})
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}

	cfg, err := c.load()
	if err != nil {
		return err
	}
	settings := scanhook.DefaultSettings()
	name := *mode
	where := "--mode"
	if name == "" {
		name, where = cfg.Scan.Mode, cfg.Where("scan", "mode")
	}
	if name != "" {
		m, err := scanhook.ParseMode(name)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		settings = settings.WithMode(m)
	}
	for _, s := range switches {
		k, v, _ := strings.Cut(s, "=")
		sw, err := scanhook.ParseSwitch(k)
		if err != nil {
			return fmt.Errorf("--switch %s: %w", s, err)
		}
		if v != "on" && v != "off" {
			return fmt.Errorf("--switch %s: want NAME=on or NAME=off", s)
		}
		settings = settings.WithSwitch(sw, v == "on")
	}
	for _, r := range readings {
		k, v, _ := strings.Cut(r, "=")
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("--reading %s: want POINT=N", r)
		}
		if settings, err = settings.WithReading(k, n); err != nil {
			return fmt.Errorf("--reading %s: %w", r, err)
		}
	}
	if *threshold >= 0 {
		settings.PDQThreshold = *threshold
	}
	settings.Dihedral = *dihedral
	settings.QualityGate = !*noGate

	opts := scanhook.Options{Settings: settings}
	if len(lists) > 0 {
		ls, err := scanhook.DemoLists()
		if err != nil {
			return err
		}
		for _, path := range lists {
			l, err := scanhook.LoadList(path)
			if err != nil {
				return err
			}
			*ls = ls.With(l)
		}
		opts.Lists = ls
	}
	if *reports != "" {
		sink, err := scanhook.NewFileSink(*reports)
		if err != nil {
			return err
		}
		opts.Sink = sink
	}
	pipeline, err := scanhook.New(opts)
	if err != nil {
		return err
	}
	account := scanAccount
	if a, err := cfg.Account(c.account); err == nil && a != nil {
		account = a.JID
	}
	switch *consent {
	case "":
	case "accept", "decline":
		state := scanhook.ConsentAccepted
		if *consent == "decline" {
			state = scanhook.ConsentDeclined
		}
		if err := pipeline.SetConsent(ctx, account, state, scanhook.ViaCommand); err != nil {
			return err
		}
	default:
		return fmt.Errorf("--consent %q: want accept or decline", *consent)
	}

	for i, arg := range fs.Args() {
		msg := scanhook.Message{
			ID: fmt.Sprintf("scan-%d", i+1), Account: account, Recipients: []string{"peer@scan.invalid"},
			EndToEndEncrypted: *e2ee, ChildUser: *child, Targeted: *targeted, ProviderScans: *provider,
		}
		if fi, err := os.Stat(arg); err == nil && fi.Mode().IsRegular() {
			path := arg
			msg.Attachments = []scanhook.Attachment{{
				Name: filepath.Base(path),
				Open: func() (io.ReadCloser, error) { return os.Open(path) },
			}}
		} else {
			msg.Body = arg
		}
		res, err := pipeline.Check(ctx, msg)
		if err != nil {
			return err
		}
		if err := enc.Encode(res); err != nil {
			return err
		}
	}
	return nil
}

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

var _ flag.Value = (*multiFlag)(nil)

func modeNames() string {
	var names []string
	for _, m := range scanhook.Modes() {
		names = append(names, string(m.Name))
	}
	return strings.Join(names, ", ")
}
