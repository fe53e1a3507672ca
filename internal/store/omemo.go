package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/candor-xmpp/candor/e2ee"
)

// OMEMO is the account's OMEMO state as an e2ee.Store (tables from
// migrations/0100_omemo.sql). Each Update is one SQLite transaction.
func (s *Store) OMEMO() e2ee.Store { return omemoStore{s} }

type omemoStore struct{ s *Store }

func (o omemoStore) Update(ctx context.Context, fn func(e2ee.Tx) error) error {
	return o.s.Tx(ctx, func(tx *sql.Tx) error { return fn(&omemoTx{ctx, tx}) })
}

type omemoTx struct {
	ctx context.Context
	tx  *sql.Tx
}

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return e2ee.ErrNotFound
	}
	return err
}

func copy32(dst *[32]byte, b []byte, what string) error {
	if len(b) != 32 {
		return fmt.Errorf("omemo store: %s is %d bytes", what, len(b))
	}
	copy(dst[:], b)
	return nil
}

func (t *omemoTx) exec(q string, args ...any) error {
	_, err := t.tx.ExecContext(t.ctx, q, args...)
	return err
}

func (t *omemoTx) Account() (*e2ee.AccountRecord, error) {
	var a e2ee.AccountRecord
	var seed []byte
	var created int64
	err := t.tx.QueryRowContext(t.ctx, `SELECT identity_seed, device_id, last_prekey_id, last_signed_prekey_id, created
		FROM omemo_account WHERE id = 1`).Scan(&seed, &a.DeviceID, &a.LastPreKeyID, &a.LastSignedPreKeyID, &created)
	if err != nil {
		return nil, notFound(err)
	}
	a.Created = fromNanos(created)
	return &a, copy32(&a.IdentitySeed, seed, "identity seed")
}

func (t *omemoTx) PutAccount(a *e2ee.AccountRecord) error {
	return t.exec(`INSERT INTO omemo_account (id, identity_seed, device_id, last_prekey_id, last_signed_prekey_id, created)
		VALUES (1, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET identity_seed = excluded.identity_seed, device_id = excluded.device_id,
			last_prekey_id = excluded.last_prekey_id, last_signed_prekey_id = excluded.last_signed_prekey_id,
			created = excluded.created`,
		a.IdentitySeed[:], a.DeviceID, a.LastPreKeyID, a.LastSignedPreKeyID, nanos(a.Created))
}

func (t *omemoTx) SignedPreKeys(v e2ee.Version) ([]e2ee.SignedPreKeyRecord, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT id, private, created FROM omemo_signed_prekeys WHERE version = ?`, v)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []e2ee.SignedPreKeyRecord
	for rows.Next() {
		var k e2ee.SignedPreKeyRecord
		var priv []byte
		var created int64
		if err := rows.Scan(&k.ID, &priv, &created); err != nil {
			return nil, err
		}
		if err := copy32(&k.Private, priv, "signed prekey"); err != nil {
			return nil, err
		}
		k.Created = fromNanos(created)
		out = append(out, k)
	}
	return out, rows.Err()
}

func (t *omemoTx) PutSignedPreKey(v e2ee.Version, k e2ee.SignedPreKeyRecord) error {
	return t.exec(`INSERT OR REPLACE INTO omemo_signed_prekeys (version, id, private, created) VALUES (?, ?, ?, ?)`,
		v, k.ID, k.Private[:], nanos(k.Created))
}

func (t *omemoTx) DeleteSignedPreKey(v e2ee.Version, id uint32) error {
	return t.exec(`DELETE FROM omemo_signed_prekeys WHERE version = ? AND id = ?`, v, id)
}

func (t *omemoTx) PreKeys(v e2ee.Version) ([]e2ee.PreKeyRecord, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT id, private, used FROM omemo_prekeys WHERE version = ?`, v)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []e2ee.PreKeyRecord
	for rows.Next() {
		var k e2ee.PreKeyRecord
		var priv []byte
		if err := rows.Scan(&k.ID, &priv, &k.Used); err != nil {
			return nil, err
		}
		if err := copy32(&k.Private, priv, "prekey"); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

func (t *omemoTx) PutPreKey(v e2ee.Version, k e2ee.PreKeyRecord) error {
	return t.exec(`INSERT OR REPLACE INTO omemo_prekeys (version, id, private, used) VALUES (?, ?, ?, ?)`,
		v, k.ID, k.Private[:], k.Used)
}

func (t *omemoTx) DeletePreKey(v e2ee.Version, id uint32) error {
	return t.exec(`DELETE FROM omemo_prekeys WHERE version = ? AND id = ?`, v, id)
}

func (t *omemoTx) Session(v e2ee.Version, a e2ee.Address) ([]byte, error) {
	var rec []byte
	err := t.tx.QueryRowContext(t.ctx, `SELECT record FROM omemo_sessions WHERE version = ? AND jid = ? AND device_id = ?`,
		v, a.JID, a.Device).Scan(&rec)
	return rec, notFound(err)
}

func (t *omemoTx) PutSession(v e2ee.Version, a e2ee.Address, record []byte) error {
	return t.exec(`INSERT OR REPLACE INTO omemo_sessions (version, jid, device_id, record) VALUES (?, ?, ?, ?)`,
		v, a.JID, a.Device, record)
}

func (t *omemoTx) DeleteSession(v e2ee.Version, a e2ee.Address) error {
	return t.exec(`DELETE FROM omemo_sessions WHERE version = ? AND jid = ? AND device_id = ?`, v, a.JID, a.Device)
}

const deviceColumns = `jid, device_id, identity_key, trust, first_seen, last_seen, listed`

func scanDevice(scan func(...any) error) (*e2ee.DeviceRecord, error) {
	var d e2ee.DeviceRecord
	var trust string
	var first, last int64
	if err := scan(&d.JID, &d.Device, &d.IdentityKey, &trust, &first, &last, &d.Listed); err != nil {
		return nil, err
	}
	var err error
	if d.Trust, err = e2ee.ParseTrust(trust); err != nil {
		return nil, err
	}
	d.FirstSeen, d.LastSeen = fromNanos(first), fromNanos(last)
	return &d, nil
}

func (t *omemoTx) Device(a e2ee.Address) (*e2ee.DeviceRecord, error) {
	row := t.tx.QueryRowContext(t.ctx, `SELECT `+deviceColumns+` FROM omemo_devices WHERE jid = ? AND device_id = ?`, a.JID, a.Device)
	d, err := scanDevice(row.Scan)
	return d, notFound(err)
}

func (t *omemoTx) PutDevice(d *e2ee.DeviceRecord) error {
	var key any
	if d.IdentityKey != nil {
		key = d.IdentityKey
	}
	return t.exec(`INSERT OR REPLACE INTO omemo_devices (`+deviceColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		d.JID, d.Device, key, d.Trust.String(), nanos(d.FirstSeen), nanos(d.LastSeen), d.Listed)
}

func (t *omemoTx) Devices(jid string) ([]e2ee.DeviceRecord, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+deviceColumns+` FROM omemo_devices WHERE jid = ?`, jid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []e2ee.DeviceRecord
	for rows.Next() {
		d, err := scanDevice(rows.Scan)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, rows.Err()
}

func (t *omemoTx) DeleteDevice(a e2ee.Address) error {
	return t.exec(`DELETE FROM omemo_devices WHERE jid = ? AND device_id = ?`, a.JID, a.Device)
}
