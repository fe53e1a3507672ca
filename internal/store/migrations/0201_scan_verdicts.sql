-- scanhook (SIMULATION): the verdict of the scan stage on each outgoing
-- message, kept with the message so that its badge and the scan inspector
-- work after a restart. Messages sent while scanning was off have no row.
CREATE TABLE scan_verdicts (
	message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
	mode       TEXT    NOT NULL,
	action     TEXT    NOT NULL CHECK (action IN ('allow', 'allow-and-report', 'block')),
	scanned    INTEGER NOT NULL CHECK (scanned IN (0, 1)), -- scanned before encryption
	reported   INTEGER NOT NULL CHECK (reported IN (0, 1)),
	summary    TEXT    NOT NULL,
	reason     TEXT    NOT NULL DEFAULT '',                -- one-line block reason
	result     TEXT    NOT NULL,                           -- scanhook.Result as JSON
	at         INTEGER NOT NULL                            -- Unix milliseconds
);
