// Package scanhook simulates the client-side scanning proposed under the EU
// Child Sexual Abuse Regulation ("Chat Control"): legal modes, consent, the
// scan pipeline on plaintext before encryption, scanners, decisions and
// simulated reports written to a local sink.
//
// It is a simulation. It is off by default, it loads demo lists only, it
// never opens a network connection (a test runs it under a seccomp filter
// that kills the process on socket(2)), and it never sees keys. Every
// result, report and request it produces says SIMULATION.
//
// # Modes
//
// A [Mode] is one legal text as data: its source, its scope, whether it
// reaches end-to-end encrypted chats, its consent rule, where reports go,
// and the points where sources disagree ([ContestedPoint]), each with both
// readings. [ParseMode] reads a name for `/scan mode`, `--scan-mode` and the
// config key. [Settings] hold the mode, a tester's [Switch] flips against
// the mode's defaults, and the thresholds.
//
// # Pipeline
//
// [Pipeline.Check] takes an outgoing [Message] in plaintext and returns a
// [Result]: the mode gate, the consent gate, every part (body text, links
// normalised without their fragment, attachments recognised by their bytes,
// animation frames, thumbnails) scanned or not and why, every hash, the
// nearest list entry with its distance and threshold, the decision with the
// rule and article that made it, and the simulated [Report]s exactly as
// written to the [Sink]. Incoming messages are never scanned: the hook sits
// in the send path only.
//
// # Consent
//
// In a mode with forced consent the first image, video or link needs a
// decision. [Asker] publishes a [ConsentRequest] to the UI and blocks the
// message until the UI resolves it (first answer wins). Decisions are kept
// per account and mode by a [ConsentStore] (internal/store on SQLite), with
// an audit log of every decision. [Pipeline.ConsentView] and
// [Pipeline.SetConsent] are the `/consent` command.
//
// # Limits
//
// The lists are demo lists (harmless images, reserved-domain links,
// nonsense words). There is no classifier for new images: demo entries of
// class "new" stand in for one. The text classifier is a toy lexicon.
// Videos other than animated GIFs are not decoded and are listed as not
// scanned. Reports leave out the content, the signature and the IP address
// and say so.
package scanhook
