-- Alerts (issue 12): a webhook per account, the alerts raised, their deliveries (an outbox the
-- delivery task works through, so a restart loses none), and the state behind alerts that may
-- come again (a balance that recovers and falls again).
CREATE TABLE alert_webhooks (
    account_id BIGINT  PRIMARY KEY REFERENCES accounts (id),
    url        TEXT    NOT NULL,
    -- The HMAC-SHA256 key of the signature header; kept as it is, since signing needs it.
    secret     TEXT    NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE alerts (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT  NOT NULL REFERENCES accounts (id),
    kind       TEXT    NOT NULL CHECK (kind IN ('budget_at_risk', 'budget_over', 'balance_low', 'run_failed')),
    -- budget:2026-12:at_risk, run_failed:<run_id>, balance_low:<site>:<episode>: one alert per
    -- transition, whichever instance sees it first.
    dedupe_key TEXT    NOT NULL,
    message    TEXT    NOT NULL,
    -- The JSON body the webhook is sent.
    payload    TEXT    NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (account_id, dedupe_key)
);
CREATE INDEX alerts_by_account ON alerts (account_id, id);

CREATE TABLE alert_deliveries (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id        BIGINT  NOT NULL UNIQUE REFERENCES alerts (id),
    account_id      BIGINT  NOT NULL,
    url             TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'given_up')),
    attempts        BIGINT  NOT NULL DEFAULT 0,
    -- Also the lease of an attempt under way: moved ahead when the attempt is claimed.
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_status     BIGINT ,
    last_error      TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX alert_deliveries_by_account ON alert_deliveries (account_id, id);

CREATE TABLE alert_conditions (
    account_id BIGINT  NOT NULL,
    condition  TEXT    NOT NULL,
    active     BOOLEAN NOT NULL,
    -- Times the condition cleared: part of the next alert's key.
    episode    BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, condition)
);

-- A new webhook secret, shown once to the signed-in user who set it through the settings form:
-- looked up by the hash of a short-lived cookie, deleted on first read.
CREATE TABLE secret_reveals (
    id_hash    TEXT    PRIMARY KEY,
    account_id BIGINT  NOT NULL,
    secret     TEXT    NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
