package e2ee

import (
	"errors"
	"fmt"

	"github.com/candor-xmpp/candor/e2ee/internal/ratchet"
	"github.com/candor-xmpp/candor/e2ee/internal/wire"
)

// Errors, to be tested with errors.Is. Decryption and bundle errors come
// wrapped in a *DecryptError or *BundleError naming the input.
var (
	// ErrDuplicate: the message was decrypted before. XEP-0384 says to
	// ignore it silently; the caller should have deduplicated by stanza id.
	ErrDuplicate = ratchet.ErrDuplicate
	// ErrKeyEvicted: the message's skipped key was dropped because more
	// than 1000 skipped keys piled up. The message is lost.
	ErrKeyEvicted = ratchet.ErrKeyEvicted
	// ErrTooManySkipped: the message claims to be more than 1000 messages
	// ahead of the last one received.
	ErrTooManySkipped = ratchet.ErrTooManySkipped
	// ErrAuthentication: a MAC or GCM tag did not verify. Nothing was
	// decrypted or changed.
	ErrAuthentication = ratchet.ErrAuthentication
	// ErrMalformed: a key element or stored record did not decode.
	ErrMalformed = wire.ErrMalformed
	// ErrInvalidKey: a public key is a low-order point or unusable.
	ErrInvalidKey = ratchet.ErrInvalidKey
	// ErrBadSignature: a bundle's signed prekey signature does not verify.
	ErrBadSignature = ratchet.ErrBadSignature
	// ErrIdentityMismatch: a device presented another identity key than
	// the one recorded for it. Nothing is accepted from it until the user
	// resolves it (ForgetDevice).
	ErrIdentityMismatch = ratchet.ErrIdentityMismatch
	// ErrKeyExchangeMismatch: a key exchange repeats a known base key but
	// names other prekeys: it was tampered with.
	ErrKeyExchangeMismatch = ratchet.ErrKeyExchangeMismatch
	// ErrNoSession: there is no session with the device; a message that is
	// not a key exchange cannot be decrypted, and nothing can be encrypted
	// to it until ProcessBundle. Candor never builds a session on its own in
	// answer to a decryption error (XEP-0384 §Security).
	ErrNoSession = ratchet.ErrNoSession
	// ErrUnknownPreKey: a key exchange names a one-time prekey we do not
	// have (already used, or never ours).
	ErrUnknownPreKey = errors.New("unknown one-time prekey")
	// ErrUnknownSignedPreKey: a key exchange names a signed prekey we no
	// longer have.
	ErrUnknownSignedPreKey = errors.New("unknown signed prekey")
	// ErrUntrusted: the sender's identity key is marked Untrusted.
	ErrUntrusted = errors.New("sender device is untrusted")
	// ErrNotTrusted: a device is not trusted for encryption (Undecided or
	// Untrusted); reported per device by Encrypt.
	ErrNotTrusted = errors.New("device is not trusted")
	// ErrNoRecipients: a message would have reached none of a recipient's
	// devices, so it was not encrypted at all.
	ErrNoRecipients = errors.New("no trusted device with a session")
	// ErrTooLarge: an input is over its size limit.
	ErrTooLarge = errors.New("input too large")
	// ErrUnknownDevice: no identity key is known for the device.
	ErrUnknownDevice = errors.New("unknown device")
	// ErrBadBundle: a bundle is incomplete or has keys of the wrong size.
	ErrBadBundle = errors.New("invalid bundle")
	// ErrBadPayload: a payload, IV or key material has the wrong size.
	ErrBadPayload = errors.New("invalid payload")
)

// DecryptError is a failure to decrypt a message from one device.
type DecryptError struct {
	Version Version
	Sender  Address
	Err     error
}

func (e *DecryptError) Error() string {
	return fmt.Sprintf("e2ee: %v message from %v: %v", e.Version, e.Sender, e.Err)
}

func (e *DecryptError) Unwrap() error { return e.Err }

// BundleError is a rejected bundle.
type BundleError struct {
	Version Version
	Device  Address
	Err     error
}

func (e *BundleError) Error() string {
	return fmt.Sprintf("e2ee: %v bundle of %v: %v", e.Version, e.Device, e.Err)
}

func (e *BundleError) Unwrap() error { return e.Err }

// DeviceError is why one device was left out of an encrypted message.
type DeviceError struct {
	Device Address
	Err    error
}

func (e *DeviceError) Error() string { return fmt.Sprintf("e2ee: device %v: %v", e.Device, e.Err) }

func (e *DeviceError) Unwrap() error { return e.Err }

// NoRecipientsError is returned by Encrypt when a requested JID would
// receive the message on none of its devices. Nothing was encrypted or
// stored. Skipped says why each device was left out.
type NoRecipientsError struct {
	JIDs    []string
	Skipped []DeviceError
}

func (e *NoRecipientsError) Error() string {
	return fmt.Sprintf("e2ee: %v for %v (%d devices skipped)", ErrNoRecipients, e.JIDs, len(e.Skipped))
}

func (e *NoRecipientsError) Unwrap() error { return ErrNoRecipients }
