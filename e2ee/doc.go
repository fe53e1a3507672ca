// Package e2ee implements OMEMO as pure code: identities, prekeys, X3DH, the
// Double Ratchet for legacy OMEMO 0.3 (eu.siacs.conversations.axolotl, what
// Conversations, Dino, Gajim, Profanity and Monal speak) and OMEMO 2
// (urn:xmpp:omemo:2), payload crypto, trust, and XEP-0454 file crypto.
//
// It knows no XML and no network and keeps no global state: randomness and
// the clock are injected (Config.Rand, Config.Now), and persistence goes
// through its own Store interface (internal/store implements it on SQLite;
// NewMemoryStore is for tests). The session layer turns the values here
// into XML and back.
//
// # One identity, two versions
//
// A device has one identity, kept as an Ed25519 seed as python-omemo does.
// OMEMO 2 publishes it as Ed25519; legacy OMEMO publishes its Curve25519
// form (0x05-prefixed), with the signed prekey signature carrying the Ed25519
// sign bit in its top bit, which libsignal's verifier expects. Fingerprints
// (Fingerprint) are the Curve25519 form and the same in both versions. The
// device id is the same too.
//
// # Using a Manager
//
// A Manager is one account's OMEMO. Each method runs in one Store
// transaction, so that a crash never leaves half an operation behind:
//
//   - Publish: Bundle(v) is this device's bundle, as wire values; publish it
//     again when Maintain, Decrypt or EndCatchUp say it changed. Call
//     Maintain at startup and daily: it rotates the signed prekey weekly
//     (keeping the previous one a week longer) and refills one-time prekeys.
//   - Learn devices: UpdateDeviceList(v, jid, ids) with every device list
//     from PEP, our own included (RepublishOwn says when ours lacks us).
//   - Before sending: NeedBundles(v, jids) lists devices without a session;
//     fetch their bundles and give them to ProcessBundle, which verifies
//     each and runs X3DH. Nothing is built behind the caller's back, and
//     never in answer to a decryption error.
//   - Send: Encrypt(v, jids, plaintext) encrypts once for every trusted,
//     listed device of the JIDs and of our own account, and returns only
//     after the advanced ratchet states are committed, so the Message can
//     be sent at once. Devices that are not trusted get no key; they are
//     listed in EncryptResult.Skipped, and a JID left with no device at all
//     is an error (NoRecipientsError), so encryption never degrades
//     silently.
//   - Receive: Decrypt(Incoming) verifies before it decrypts and commits
//     everything or nothing. Its result carries the empty message to send
//     back when a key exchange built a session or a heartbeat is due
//     (Decrypted.Reply, already committed), whether to republish the
//     bundle, and whether the sender was unknown. ErrDuplicate means the
//     message was already decrypted: ignore it.
//   - History: BeginCatchUp before fetching the archive (MAM) keeps used
//     prekeys and holds replies back; EndCatchUp deletes the prekeys and
//     returns the replies.
//   - Trust: Devices lists fingerprints and trust; SetTrust records the
//     user's decision against the fingerprint they saw. The default policy
//     is blind trust before verification (BTBV).
//
// Errors are typed: test them with errors.Is against the Err variables, and
// errors.As with *DecryptError, *BundleError and *DeviceError, which name the
// input. No input makes this package panic; decoders are strict and fuzzed.
//
// # Files
//
// XEP-0454 files are AES-256-GCM with the tag appended, processed as
// streams in constant memory: NewFileEncrypter for uploads, DecryptFile,
// which writes a temporary file and renames it into place only once the tag
// has verified, and FormatAESGCMURL / ParseAESGCMURL for the aesgcm://
// links.
package e2ee
