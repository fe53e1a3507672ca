-- One-to-one messages, the outbox, the roster cache and the sync positions
-- of the client core (session). Times are Unix milliseconds.

CREATE TABLE messages (
	id          INTEGER PRIMARY KEY AUTOINCREMENT, -- local id, increasing in arrival order
	peer        TEXT    NOT NULL,                  -- bare JID of the other side
	resource    TEXT    NOT NULL DEFAULT '',
	direction   INTEGER NOT NULL,                  -- 0 incoming, 1 outgoing
	body        TEXT    NOT NULL,
	ts          INTEGER NOT NULL,
	state       INTEGER NOT NULL,                  -- session.DeliveryState
	err         TEXT    NOT NULL DEFAULT '',
	origin_id   TEXT,                              -- XEP-0359, chosen by the sender
	stanza_id   TEXT,                              -- XEP-0359, assigned by our server
	msg_id      TEXT,                              -- the stanza's id attribute (receipts name it)
	source      INTEGER NOT NULL,                  -- session.Source
	enc_scheme  TEXT    NOT NULL DEFAULT '',
	enc_device  INTEGER NOT NULL DEFAULT 0,
	enc_trusted INTEGER NOT NULL DEFAULT 0
);
-- History pages: WHERE peer = ? AND id < ? ORDER BY id DESC LIMIT ?.
CREATE INDEX messages_peer_id ON messages(peer, id);
-- Deduplication and receipts.
CREATE UNIQUE INDEX messages_stanza_id ON messages(stanza_id) WHERE stanza_id IS NOT NULL;
CREATE INDEX messages_origin_id ON messages(peer, origin_id) WHERE origin_id IS NOT NULL;
CREATE INDEX messages_msg_id ON messages(peer, msg_id) WHERE msg_id IS NOT NULL;
-- The fallback deduplication of messages without ids looks around a time.
CREATE INDEX messages_peer_ts ON messages(peer, ts);

-- A conversation's newest message and unread count.
CREATE TABLE conversations (
	peer    TEXT    PRIMARY KEY,
	last_id INTEGER NOT NULL,
	unread  INTEGER NOT NULL DEFAULT 0
);

-- Outgoing messages not yet confirmed by the server, sent in message id order.
-- written is set once the stanza went out on some stream; such an entry is
-- resent only if the server's archive does not show it arrived.
CREATE TABLE outbox (
	message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
	written    INTEGER NOT NULL DEFAULT 0,
	attempts   INTEGER NOT NULL DEFAULT 0
);

-- The roster as last fetched or pushed.
CREATE TABLE roster (
	jid          TEXT    PRIMARY KEY,
	name         TEXT    NOT NULL DEFAULT '',
	subscription TEXT    NOT NULL DEFAULT 'none',
	ask          INTEGER NOT NULL DEFAULT 0,   -- our subscription request is pending
	groups       TEXT    NOT NULL DEFAULT ''   -- newline-separated
);

-- Positions to resume from: the roster version, the newest archive id.
CREATE TABLE sync_state (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
