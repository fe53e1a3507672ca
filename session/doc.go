// Package session is the client core: connection and reconnect, roster,
// presence, messages, carbons, archive catch-up, the outbox, and the send and
// receive pipelines. It turns everything the UI shows into Events and offers
// the UI and the headless commands one interface, Backend, implemented by
// Client.
//
// It is the only package that speaks XMPP (through mellium.im/xmpp).
//
// # Connection
//
// Login resolves the password (Account.PasswordCommand), finds the server
// (Account.Server, else the SRV records _xmpps-client and _xmpp-client
// merged by priority as XEP-0368 asks, else the domain), connects with
// direct TLS or STARTTLS (certificates verified, Account.CAFile added to the
// roots), authenticates with SCRAM-SHA-256(-PLUS), SCRAM-SHA-1(-PLUS) or,
// inside TLS only, PLAIN, and binds a resource (Options.Resource asks for
// one). Plain TCP is allowed only to loopback addresses, and only when the
// account says so. Then: stream management (XEP-0198, see sm.go), the
// roster (versioned, cached in the store), carbons (XEP-0280), our presence
// with entity capabilities, and in the background the archive catch-up
// (XEP-0313, mam.go) and the outbox.
//
// A connection that ends is tried again with exponential backoff and jitter
// (Backoff, the injected Clock and Options.Rand), announced with
// ConnectionChanged events that carry the reason and the time of the next
// try. A wrong password, a certificate that does not verify, a broken
// configuration or another client taking our resource end the loop (GaveUp).
// Every error meant for the user is a one-line ConnError.
//
// # Pipelines
//
// Receiving (handler.go, recv.go): mellium's Serve calls the handler, which
// decodes each stanza and hands it to the receive worker on a channel; it
// never sends (Serve holds the stream). The worker runs, in arrival order:
// signals (receipts, chat states, errors), hold (live messages wait while the
// archive catches up, so that local ids follow the conversation), dedupe
// (stanza-id, origin-id, a conservative fallback; internal/store), the
// decryption stage (decryptStage: plaintext passes, OMEMO is recognised and
// marked as not decryptable; the e2ee work plugs in there), store, receipt
// reply, event.
//
// Sending (send.go): Send queues into the outbox and returns at once; the
// outbox sender of the live connection takes the queue in order through the
// policy stage (scanStage: scanhook, the scanning SIMULATION, checks the
// plaintext when a mode is on; a blocked message fails with the reason and
// nothing is sent; the verdict is kept with the message), the encryption stage
// (encryptStage: plaintext today; the e2ee work plugs in there), commit
// (marked written before the stanza goes out), the stanza, and confirmation
// by a stream management ack, the archive or a receipt. What a lost
// connection left unconfirmed is sent again after the next catch-up, only if
// the archive does not show it: each message arrives once.
//
// # scanhook
//
// The Scanning methods switch modes and settings (ScanChanged), bridge
// consent requests to the UI (ConsentRequested, ResolveConsent; only after
// EnableConsentDialog, so that headless commands never wait on a dialog),
// and read back the verdict on each sent message (MessageScanned,
// ScanVerdicts, InspectScan). Reports go to the account's local JSONL
// file only. The UI sees all of it through this package's types.
//
// # Files
//
// The Files methods share files (api_files.go). Sending (sendfile.go):
// checks (file, upload service by disco, its size limit, the plaintext
// policy, what the upload server will learn), the scan stage on the
// plaintext, an upload slot (XEP-0363), the upload encrypted as a stream
// (XEP-0454), then the aesgcm:// link queued through Send's pipeline like
// any text, with its file row and scan verdict. Receiving (recvfile.go,
// download.go): links in decrypted bodies are recognised and stored with
// their message; downloads decrypt into a hidden staging folder and reach
// the download folder only verified. Transfers report TransferUpdated.
//
// # XML console
//
// Every byte of the stream (after TLS) is cut into top-level elements
// (xmlsplit.go) and reported as StanzaLogged events, with SASL payloads
// masked (console.go).
package session
