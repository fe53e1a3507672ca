package pyomemo

// Message is an <encrypted> element as JSON: base64 strings hold the wire
// values.
type Message struct {
	Namespace string  `json:"namespace"`
	From      string  `json:"from"` // sender's bare JID
	SID       uint32  `json:"sid"`
	Keys      []Key   `json:"keys"`
	IV        *string `json:"iv"`      // legacy only
	Payload   *string `json:"payload"` // nil for an empty message
	// KeyMaterial is what python-omemo encrypted with the ratchet (set by
	// Encrypt only), for vectors.
	KeyMaterial string `json:"key_material,omitempty"`
}

// Key is one <key>.
type Key struct {
	JID string `json:"jid"` // OMEMO 2's <keys jid>; empty for legacy
	RID uint32 `json:"rid"`
	KEX bool   `json:"kex"` // prekey / kex attribute present
	// KexAttr is the attribute's literal value as python-omemo wrote it.
	KexAttr *string `json:"kex_attr,omitempty"`
	Data    string  `json:"data"`
}

// Bundle is a <bundle> as JSON.
type Bundle struct {
	Namespace string   `json:"namespace"`
	JID       string   `json:"jid"`
	DeviceID  uint32   `json:"device_id"`
	IK        string   `json:"ik"`
	SPKID     uint32   `json:"spk_id"`
	SPK       string   `json:"spk"`
	SPKS      string   `json:"spks"`
	PreKeys   []PreKey `json:"prekeys"`
}

// PreKey is one published prekey.
type PreKey struct {
	ID  uint32 `json:"id"`
	Key string `json:"key"`
}

// Account is a python-omemo account the peer created.
type Account struct {
	JID         string
	DeviceID    uint32 `json:"device_id"`
	IdentityKey string `json:"identity_key"` // Ed25519, base64
}

// Outgoing is an empty message python-omemo sent on its own.
type Outgoing struct {
	To      string  `json:"to"`
	Message Message `json:"message"`
}

// Secrets are an account's private keys, for test vectors.
type Secrets struct {
	IdentitySeed string                     `json:"identity_seed"`
	Namespaces   map[string]NamespaceSecret `json:"namespaces"`
}

// NamespaceSecret holds one backend's prekeys.
type NamespaceSecret struct {
	SPKID   uint32         `json:"spk_id"`
	SPKPriv string         `json:"spk_priv"`
	PreKeys []PreKeySecret `json:"prekeys"`
}

// PreKeySecret is one private prekey.
type PreKeySecret struct {
	ID   uint32 `json:"id"`
	Priv string `json:"priv"`
}

// Seed makes every later random draw of the peer deterministic.
func (p *Peer) Seed(seed string) error { return p.Call("seed", map[string]any{"seed": seed}, nil) }

// Create makes a python-omemo account for jid, publishing its bundles and
// device lists on the peer's PEP. With historySync it stays in history
// synchronisation mode (prekeys kept, empty messages queued).
func (p *Peer) Create(jid string, historySync bool) (*Account, error) {
	a := &Account{JID: jid}
	return a, p.Call("create", map[string]any{"jid": jid, "history_sync": historySync}, a)
}

// HistorySync enters or leaves history synchronisation mode.
func (p *Peer) HistorySync(jid string, active bool) error {
	return p.Call("history_sync", map[string]any{"jid": jid, "active": active}, nil)
}

// Bundle is the bundle a python account published for namespace.
func (p *Peer) Bundle(jid, namespace string) (*Bundle, error) {
	b := &Bundle{}
	return b, p.Call("bundle", map[string]any{"jid": jid, "namespace": namespace}, b)
}

// PublishBundle puts another client's bundle on the peer's PEP.
func (p *Peer) PublishBundle(b *Bundle) error {
	return p.Call("publish_bundle", map[string]any{"bundle": b}, nil)
}

// PublishDeviceList puts a device list on the PEP and notifies every python
// account.
func (p *Peer) PublishDeviceList(namespace, jid string, ids []uint32) error {
	return p.Call("publish_device_list", map[string]any{"namespace": namespace, "jid": jid, "device_ids": ids}, nil)
}

// Encrypt has a python account encrypt plaintext to the bare JIDs.
func (p *Peer) Encrypt(jid, namespace string, to []string, plaintext []byte) (*Message, error) {
	m := &Message{}
	return m, p.Call("encrypt", map[string]any{"jid": jid, "namespace": namespace, "to": to, "plaintext": plaintext}, m)
}

// EncryptBurst has a python account encrypt count messages ("text 0",
// "text 1", ...) to one device in a row.
func (p *Peer) EncryptBurst(jid, namespace, to string, device uint32, text string, count int) ([]Message, error) {
	var r struct {
		Messages []Message `json:"messages"`
	}
	err := p.Call("encrypt_burst", map[string]any{"jid": jid, "namespace": namespace, "to": to,
		"device_id": device, "text": text, "count": count}, &r)
	return r.Messages, err
}

// EncryptEmpty has a python account send an empty message to one device.
func (p *Peer) EncryptEmpty(jid, namespace, to string, device uint32) (*Outgoing, error) {
	o := &Outgoing{}
	return o, p.Call("encrypt_empty", map[string]any{"jid": jid, "namespace": namespace, "to": to, "device_id": device}, o)
}

// Decrypt has a python account decrypt a message; nil plaintext is an empty
// message.
func (p *Peer) Decrypt(jid string, m *Message) ([]byte, error) {
	var r struct {
		Plaintext []byte `json:"plaintext"`
	}
	err := p.Call("decrypt", map[string]any{"jid": jid, "message": m}, &r)
	return r.Plaintext, err
}

// Outbox returns and clears the empty messages a python account sent on
// its own (session completion, heartbeats).
func (p *Peer) Outbox(jid string) ([]Outgoing, error) {
	var r struct {
		Messages []Outgoing `json:"messages"`
	}
	err := p.Call("outbox", map[string]any{"jid": jid}, &r)
	return r.Messages, err
}

// Secrets returns a python account's private keys.
func (p *Peer) Secrets(jid string) (*Secrets, error) {
	s := &Secrets{}
	return s, p.Call("secrets", map[string]any{"jid": jid}, s)
}

// Draw is one random value the seeded peer handed out, with the python
// function that asked for it.
type Draw struct {
	Label string `json:"label"`
	Value string `json:"value"` // hex
}

// Draws returns and clears the log of random draws since Seed.
func (p *Peer) Draws() ([]Draw, error) {
	var r struct {
		Draws []Draw `json:"draws"`
	}
	err := p.Call("draws", nil, &r)
	return r.Draws, err
}

// BenchRoundTrip times n messages of size bytes from one python account to
// another (encrypt, then decrypt, no XML) and returns the seconds taken.
func (p *Peer) BenchRoundTrip(from, to, namespace string, n, size int) (float64, error) {
	var r struct {
		Seconds float64 `json:"seconds"`
	}
	err := p.Call("bench_roundtrip", map[string]any{"from": from, "to": to, "namespace": namespace, "n": n, "size": size}, &r)
	return r.Seconds, err
}
