-- OMEMO (package e2ee): our identity, prekeys, sessions, and the devices of
-- contacts with their identity keys and our trust in them. Versions are
-- 1 (legacy OMEMO 0.3) and 2 (OMEMO 2). Times are Unix nanoseconds, UTC.

CREATE TABLE omemo_account (
	id                    INTEGER PRIMARY KEY CHECK (id = 1),
	identity_seed         BLOB    NOT NULL CHECK (length(identity_seed) = 32),
	device_id             INTEGER NOT NULL CHECK (device_id > 0),
	last_prekey_id        INTEGER NOT NULL,
	last_signed_prekey_id INTEGER NOT NULL,
	created               INTEGER NOT NULL
);

CREATE TABLE omemo_signed_prekeys (
	version INTEGER NOT NULL CHECK (version IN (1, 2)),
	id      INTEGER NOT NULL,
	private BLOB    NOT NULL CHECK (length(private) = 32),
	created INTEGER NOT NULL,
	PRIMARY KEY (version, id)
) WITHOUT ROWID;

CREATE TABLE omemo_prekeys (
	version INTEGER NOT NULL CHECK (version IN (1, 2)),
	id      INTEGER NOT NULL,
	private BLOB    NOT NULL CHECK (length(private) = 32),
	used    INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1)),
	PRIMARY KEY (version, id)
) WITHOUT ROWID;

CREATE TABLE omemo_sessions (
	version   INTEGER NOT NULL CHECK (version IN (1, 2)),
	jid       TEXT    NOT NULL,
	device_id INTEGER NOT NULL,
	record    BLOB    NOT NULL,
	PRIMARY KEY (version, jid, device_id)
) WITHOUT ROWID;

CREATE TABLE omemo_devices (
	jid          TEXT    NOT NULL,
	device_id    INTEGER NOT NULL,
	identity_key BLOB CHECK (identity_key IS NULL OR length(identity_key) = 32),
	trust        TEXT    NOT NULL CHECK (trust IN ('undecided', 'blind', 'verified', 'untrusted')),
	first_seen   INTEGER NOT NULL,
	last_seen    INTEGER NOT NULL,
	listed       INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (jid, device_id)
) WITHOUT ROWID;
