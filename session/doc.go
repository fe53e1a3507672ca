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
// decryption stage (decryptStage, omemo_recv.go: OMEMO is decrypted once,
// after dedupe, and the plaintext stored; a failure is stored as a one-line
// reason), store (with the stanza as received, for the inspector), receipt
// reply, event.
//
// Sending (send.go): Send queues into the outbox and returns at once; the
// outbox sender of the live connection takes the queue in order through the
// policy stage (scanStage: scanhook, the scanning SIMULATION, checks the
// plaintext when a mode is on; a blocked message fails with the reason and
// nothing is sent; the verdict is kept with the message), the encryption stage
// (encryptStage, omemo_send.go: OMEMO unless the user chose plaintext;
// anything that prevents encryption fails the message and nothing is sent),
// commit (the ratchet state and the stanza recorded, marked written before
// the stanza goes out), the stanza, and confirmation
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
// # OMEMO
//
// The account's e2ee.Manager (omemo.go) is opened on first use. At each
// login a goroutine of the connection announces this device: it publishes
// both bundles, reads our own device lists (learning our other devices) and
// adds this device where missing, all with publish-options access_model=open
// (a node with other settings is reconfigured: pep.go); OMEMOReady says
// when. Our caps carry +notify for both device list nodes, so contacts'
// lists arrive by themselves; others are read when first needed, and again
// when a message comes from a device they did not list.
//
// A message goes in one version: the one that reaches most devices of the
// peer and our own (OMEMO 2 on a tie), unless SetOMEMOVersion says
// otherwise. Devices without a session get one from their bundle first;
// only trusted devices get keys (blind trust before verification: once a
// device of a contact is verified, new ones wait for the user). OMEMO 2
// encrypts an SCE envelope (omemo_sce.go) and checks its affixes on the way
// in. Key exchanges are completed with an empty message; long one-sided
// chains get a heartbeat; during the archive catch-up prekeys stay and
// those replies wait (BeginCatchUp, EndCatchUp). A peer without any OMEMO
// device gets a message only after the user confirms plaintext
// (PlaintextNeeded, RetryUnencrypted, or SendRequest.Plaintext).
//
// The EndToEnd methods (api_omemo.go) report a chat's protection, devices
// and trust, our fingerprint and xmpp: verification URI, and what the
// server sees of each message (Inspect, from the recorded stanza).
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
