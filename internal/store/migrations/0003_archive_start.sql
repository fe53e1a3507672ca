-- Conversations whose server archive has been read back to its beginning
-- (XEP-0313 <fin complete="true"/> on a query going back in time): asking
-- for older messages again is pointless.
CREATE TABLE archive_start (
	peer TEXT    PRIMARY KEY,
	at   INTEGER NOT NULL -- when it was reached, Unix milliseconds
);
