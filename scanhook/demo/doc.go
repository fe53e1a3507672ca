// Package demo generates scanhook's demo material itself, deterministically
// and from nothing but code: a test card and a logo to put on the demo hash
// list, a harmless landscape crafted to collide with the test card under
// PDQ (a false positive), the test card's evasions (turned, mirrored,
// zipped, inside a PDF, sent as a link) each with the outcome a scanner
// would report, and a demo hash list. No third-party image is copied; the
// list names the ThreatExchange test photos by their published hashes only.
//
// Everything here is harmless by construction and labelled DEMO.
package demo
