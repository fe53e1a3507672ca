-- scanhook (SIMULATION): consent to scanning per account and mode, and the
-- audit log of every consent decision. See scanhook.ConsentStore.
CREATE TABLE scan_consent (
	account    TEXT NOT NULL,
	mode       TEXT NOT NULL,
	state      TEXT NOT NULL CHECK (state IN ('undecided', 'accepted', 'declined')),
	covers     TEXT NOT NULL DEFAULT '',   -- comma-separated: images,videos,links
	decided_at TEXT NOT NULL,              -- RFC 3339 with nanoseconds and zone
	via        TEXT NOT NULL,
	PRIMARY KEY (account, mode)
);

CREATE TABLE scan_consent_log (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	at         TEXT NOT NULL,
	account    TEXT NOT NULL,
	mode       TEXT NOT NULL,
	decision   TEXT NOT NULL CHECK (decision IN ('undecided', 'accepted', 'declined')),
	covers     TEXT NOT NULL DEFAULT '',
	via        TEXT NOT NULL,
	request_id TEXT NOT NULL DEFAULT '',
	message_id TEXT NOT NULL DEFAULT '',
	question   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX scan_consent_log_account ON scan_consent_log (account, id);
