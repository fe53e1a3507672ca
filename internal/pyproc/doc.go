// Package pyproc runs a Python test peer as a subprocess and speaks its
// protocol: JSON lines on stdin and stdout. Every command carries "seq" and
// is answered by {"event": "done", "seq": N} (with "error" when it failed);
// anything else the peer prints is an event the test may wait for.
//
// The Python side of the protocol is jsonlines.py, written beside the
// peer's script so that the script can import it. xmpppeer and omemopeer
// are built on this package.
package pyproc
