-- Team settings (issue 14): a role per user, invitations, the audit log, and a throttle of the
-- settings forms. Times are unix seconds, as in the other sign-in tables.

-- Users made before roles could do everything: they stay owners.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'owner' CHECK (role IN ('owner', 'member', 'viewer'));
ALTER TABLE users ADD COLUMN last_sign_in_at BIGINT;

-- A one-time link to join an account; only the hash of its token is kept.
CREATE TABLE invitations (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  BIGINT  NOT NULL REFERENCES accounts (id),
    email       TEXT    NOT NULL,
    role        TEXT    NOT NULL CHECK (role IN ('owner', 'member', 'viewer')),
    token_hash  TEXT    NOT NULL UNIQUE,
    -- Who sent it (an email, or "command line"); text, so removing that user keeps the record.
    invited_by  TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    accepted_at BIGINT
);
CREATE INDEX invitations_by_account ON invitations (account_id, id);

-- Who changed what, when: role changes, removals, invitations, tokens, budget, webhook, run
-- requests, passwords. Actors and targets are kept as text: the record outlives the user.
CREATE TABLE audit_log (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT  NOT NULL REFERENCES accounts (id),
    at         BIGINT  NOT NULL,
    actor      TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    target     TEXT,
    detail     TEXT
);
CREATE INDEX audit_log_by_account ON audit_log (account_id, id);

-- Submissions of the settings forms, by subject (a user, or a client address for the public
-- invitation form), for a sliding-window limit shared by every instance.
CREATE TABLE form_submissions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject      TEXT    NOT NULL,
    submitted_at BIGINT  NOT NULL
);
CREATE INDEX form_submissions_by_subject ON form_submissions (subject, submitted_at);
CREATE INDEX form_submissions_by_time ON form_submissions (submitted_at);

-- A revealed secret is of one kind (the webhook's signing secret, an API token, an invitation
-- link), so one kind's cookie never shows another's secret.
ALTER TABLE secret_reveals ADD COLUMN kind TEXT NOT NULL DEFAULT 'webhook';
