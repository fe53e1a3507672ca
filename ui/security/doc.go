// Package security shows end-to-end encryption in the UI: the status bar's
// label for a chat, this device's fingerprint with a QR code to scan, a
// contact's devices with the trust decisions, and the question whether to
// send unencrypted to a contact without OMEMO. Its dialogs return intents
// (TrustRequested, PlaintextChosen) that the root carries out.
package security
