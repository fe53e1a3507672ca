-- Conversations the user closed (/close). A conversation stays closed until
-- a message newer than last_id arrives: then it is listed again.
CREATE TABLE closed_conversations (
	peer    TEXT    PRIMARY KEY,
	last_id INTEGER NOT NULL
);
