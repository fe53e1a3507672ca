// Command candor is a terminal XMPP client with OMEMO end-to-end encryption
// and scanhook, a simulation of pre-encryption client-side scanning.
//
// Without a subcommand it opens the terminal UI. The subcommands serve
// scripts and tests:
//
//	candor send JID [MESSAGE]   send one message (read from stdin when not given)
//	candor send --file PATH JID send a file (encrypted upload, XEP-0363 + XEP-0454)
//	candor listen [--json]      print incoming messages until interrupted
//	                            (--download: fetch their files first)
//	candor scan FILE|URL|TEXT   run the scanhook simulation offline (JSON out)
//	candor omemo ...            OMEMO fingerprints, devices and trust
//
// Every subcommand takes --config FILE, --data-dir DIR and --account JID.
// The TUI and send take --scan-mode NAME (scanhook, a SIMULATION; default
// the config's [scan] mode, else off); send also takes --consent.
//
// This package only parses the command line and wires the packages together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// A command is one subcommand: it parses its own flags and runs.
type command struct {
	name, args, summary string
	run                 func(ctx context.Context, env *environment, args []string) error
}

var errUsage = errors.New("usage")

func commands() []command {
	return []command{
		{"send", "[--scan-mode NAME] [--consent accept|decline] JID [MESSAGE] | --file PATH JID", "send one message (read from stdin when not given), or a file", runSend},
		{"listen", "[--json] [--download]", "print incoming messages until interrupted", runListen},
		{"scan", "[--mode NAME] FILE|URL|TEXT ...", "run the scanhook simulation offline: one JSON result per argument", runScan},
		{"omemo", "fingerprint | devices [JID] | trust JID FP | untrust JID FP | encryption JID on|off", "OMEMO: this device's fingerprint, devices, trust, a chat's encryption", runOMEMO},
	}
}

// environment is what a command may touch of the outside world.
type environment struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &environment{stdin: stdin, stdout: stdout, stderr: stderr}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	name, rest := "", args
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, rest = args[0], args[1:]
	}
	var err error
	switch name {
	case "":
		err = runTUI(ctx, env, rest)
	case "help":
		usage(stdout)
		return 0
	default:
		found := false
		for _, c := range commands() {
			if c.name == name {
				found = true
				err = c.run(ctx, env, rest)
			}
		}
		if !found {
			fmt.Fprintf(stderr, "candor: unknown command %q\n", name)
			usage(stderr)
			return 2
		}
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintf(stderr, "candor: %s\n", oneLine(err.Error()))
	var h hinter
	if errors.As(err, &h) {
		fmt.Fprintln(stderr, h.Hint())
	}
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: candor [--config FILE] [--data-dir DIR] [--account JID] [--scan-mode NAME]   (the terminal UI)")
	for _, c := range commands() {
		fmt.Fprintf(w, "       candor %s [flags] %s\n            %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintln(w, "Run \"candor COMMAND --help\" for a command's flags.")
}

// hinter is an error with advice for the lines after it, such as an example
// of a valid config file.
type hinter interface{ Hint() string }

// oneLine keeps error output to one line, whatever a library put in it.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return s
}
