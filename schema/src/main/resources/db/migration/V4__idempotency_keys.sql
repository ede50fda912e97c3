-- The Idempotency-Key of every write request that was applied, with the reply it got: a repeat of
-- the request (a client retrying after a timeout or a cut connection) is answered from here instead
-- of being applied a second time. A key is written in the same transaction as its write, so it
-- exists exactly when the write committed.
CREATE TABLE idempotency_keys (
    -- SHA-256 of the client's key: keys are any text up to 255 characters; the digest keeps the
    -- primary key small and of one length.
    key_digest     BINARY(32)    NOT NULL,
    -- SHA-256 of the request the key first came with (method, target, body): the same key with
    -- another request is refused rather than answered with a reply to something else.
    request_digest BINARY(32)    NOT NULL,
    status         SMALLINT      NOT NULL,
    location       VARCHAR(2048) NULL,
    body           MEDIUMBLOB    NOT NULL,
    created_at     DATETIME(6)   NOT NULL,
    expires_at     DATETIME(6)   NOT NULL,
    PRIMARY KEY (key_digest),
    -- The purge deletes expired keys oldest first.
    INDEX ix_idempotency_keys_expires_at (expires_at)
);
