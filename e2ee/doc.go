// Package e2ee implements OMEMO as pure code: identities, prekeys, X3DH, the
// Double Ratchet for legacy OMEMO 0.3 (eu.siacs.conversations.axolotl) and
// OMEMO 2 (urn:xmpp:omemo:2), payload crypto and XEP-0454 file crypto.
//
// It knows no XML and no network and keeps no global state: randomness and the
// clock are injected, and persistence goes through its own Store interface.
package e2ee
