-- The session's OMEMO bookkeeping beside the e2ee state: the wire form of
-- each message (for the "what the server sees" inspector) and each chat's
-- encryption setting.

-- One row per message whose wire form was recorded.
CREATE TABLE message_wire (
	message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
	stanza     TEXT    NOT NULL DEFAULT '', -- the stanza as it crossed the wire, as sent or received
	version    INTEGER NOT NULL DEFAULT 0,  -- OMEMO version (1 legacy, 2 OMEMO 2); 0 plaintext
	recipients TEXT    NOT NULL DEFAULT '', -- JSON: the devices an outgoing message was encrypted for
	trust      TEXT    NOT NULL DEFAULT '', -- incoming: the sending device's trust when it arrived
	note       TEXT    NOT NULL DEFAULT ''  -- why an incoming message could not be decrypted
);

-- Chats where the user chose something other than the default (OMEMO).
CREATE TABLE chat_encryption (
	peer TEXT PRIMARY KEY,
	mode TEXT NOT NULL CHECK (mode IN ('omemo', 'plaintext'))
);
