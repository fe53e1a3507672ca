// Command candor is a terminal XMPP client with OMEMO end-to-end encryption
// and scanhook, a simulation of pre-encryption client-side scanning.
//
// This file only parses the command line and wires the packages together.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "candor: not built yet")
	os.Exit(1)
}
