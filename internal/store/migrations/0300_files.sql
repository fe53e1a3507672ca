-- Files shared in messages (XEP-0363 uploads, XEP-0454 aesgcm:// links,
-- XEP-0066 out-of-band https links): one row per message that carries a
-- file. The link itself is the message body; for aesgcm:// it holds the
-- key, like the body does, in this 0600 database.
CREATE TABLE files (
	message_id  INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
	url         TEXT    NOT NULL,             -- the link as sent or received
	name        TEXT    NOT NULL,             -- the name shown (never a path)
	size        INTEGER NOT NULL DEFAULT -1,  -- plaintext bytes, -1 when not known yet
	media_type  TEXT    NOT NULL DEFAULT '',
	encrypted   INTEGER NOT NULL CHECK (encrypted IN (0, 1)), -- aesgcm:// (XEP-0454)
	local_path  TEXT    NOT NULL DEFAULT '',  -- the plaintext on this machine, once there
	state       INTEGER NOT NULL DEFAULT 0,   -- session.FileState
	err         TEXT    NOT NULL DEFAULT '',  -- one line, when the last download failed
	upload_name TEXT    NOT NULL DEFAULT ''   -- the name the upload server was given (ours)
);
