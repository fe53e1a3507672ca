// Package viewer serves scanhook's simulated reports to a browser on the
// loopback interface, read-only. It is the only package of scanhook that may
// import net/http (internal/archtest), and it refuses to listen on any
// address that is not loopback: the reports never leave the machine.
package viewer
