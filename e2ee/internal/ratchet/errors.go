package ratchet

import "errors"

// Errors returned by decryption. A failed decryption never changes the
// Record it was attempted on.
var (
	// ErrDuplicate means the message was decrypted before: its key has been
	// used and deleted. XEP-0384 says to ignore such messages silently.
	ErrDuplicate = errors.New("message was already decrypted")
	// ErrKeyEvicted means the message's key was skipped and later dropped
	// because too many skipped keys piled up. The message is lost.
	ErrKeyEvicted = errors.New("message key was skipped and has been dropped")
	// ErrTooManySkipped means the message claims to be more than MaxSkip
	// messages ahead in its chain.
	ErrTooManySkipped = errors.New("message skips too many messages")
	// ErrAuthentication means the MAC did not verify: the message was
	// tampered with, or was made for another session.
	ErrAuthentication = errors.New("message authentication failed")
	// ErrBadPadding means the authenticated ciphertext did not decrypt to
	// padded plaintext, which only a broken sender produces.
	ErrBadPadding = errors.New("ratchet ciphertext has bad padding")
	// ErrInvalidKey means a public key in the message or bundle is a
	// low-order point or otherwise unusable.
	ErrInvalidKey = errors.New("invalid public key")
	// ErrBadSignature means a bundle's signed prekey signature did not
	// verify against its identity key.
	ErrBadSignature = errors.New("signed prekey signature does not verify")
	// ErrNoSession means a Record has no session state to encrypt with.
	ErrNoSession = errors.New("no session")
	// ErrChainExhausted means 2^32-1 messages were sent in one chain.
	ErrChainExhausted = errors.New("sending chain is exhausted")
)
