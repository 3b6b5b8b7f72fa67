-- Failed sign-ins, by the email tried and by the client address, so that every instance on this
-- database counts the same failures (the throttle of src/domain/auth.rs). Rows older than the
-- throttle's window are deleted as new failures arrive. Times are unix seconds.
CREATE TABLE sign_in_failures (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- 'email' (normalised) or 'address' (an IP address).
    kind      TEXT    NOT NULL CHECK (kind IN ('email', 'address')),
    subject   TEXT    NOT NULL,
    failed_at BIGINT  NOT NULL
);
CREATE INDEX sign_in_failures_by_subject ON sign_in_failures (kind, subject, failed_at);
CREATE INDEX sign_in_failures_by_time ON sign_in_failures (failed_at);
