CREATE TABLE accounts (
    id             BIGINT PRIMARY KEY,
    name           TEXT   NOT NULL,
    credit_balance BIGINT NOT NULL
);

CREATE TABLE sites (
    id         BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    name       TEXT   NOT NULL,
    domain     TEXT   NOT NULL,
    -- Bumped by every import that touches the site; keys the run-detail cache.
    revision   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sites_by_account ON sites (account_id, id);

CREATE TABLE runs (
    -- Byte order, as on SQLite: run numbers break start-time ties by run_id, and must not
    -- depend on the server's locale.
    run_id             TEXT        COLLATE "C" PRIMARY KEY,
    site_id            BIGINT      NOT NULL REFERENCES sites (id),
    -- 1, 2, 3 … in (started_at, run_id) order within the site; written at import.
    run_number         BIGINT      NOT NULL,
    status             TEXT        NOT NULL CHECK (status IN ('running', 'paused', 'cancelled', 'completed', 'failed')),
    trigger_type       TEXT        NOT NULL CHECK (trigger_type IN ('manual', 'scheduled')),
    current_stage      BIGINT      NOT NULL CHECK (current_stage BETWEEN 1 AND 7),
    started_at         TIMESTAMPTZ NOT NULL,
    completed_at       TIMESTAMPTZ,
    paused_at          TIMESTAMPTZ,
    resumed_at         TIMESTAMPTZ,
    cancelled_at       TIMESTAMPTZ,
    total_credits_used BIGINT      NOT NULL CHECK (total_credits_used >= 0),
    error_message      TEXT,
    initial_snapshot   JSONB       NOT NULL,
    -- The seven stage results, kept whole as the engine wrote them (null where a stage did not run).
    stage_results      JSONB       NOT NULL
);
CREATE INDEX runs_by_site_number ON runs (site_id, run_number);
CREATE INDEX runs_by_site_status_number ON runs (site_id, status, run_number);
CREATE INDEX runs_by_site_started ON runs (site_id, started_at, run_id);

CREATE TABLE pipelines (
    site_id BIGINT      PRIMARY KEY REFERENCES sites (id),
    as_of   TIMESTAMPTZ NOT NULL,
    counts  JSONB       NOT NULL
);

CREATE TABLE run_logs (
    id        BIGSERIAL   PRIMARY KEY,
    run_id    TEXT        COLLATE "C" NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    stage     BIGINT      NOT NULL CHECK (stage BETWEEN 0 AND 7),
    at        TIMESTAMPTZ NOT NULL,
    level     TEXT        NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
    message   TEXT        NOT NULL,
    line_hash BIGINT      NOT NULL,
    UNIQUE (run_id, line_hash)
);
CREATE INDEX run_logs_by_run_at ON run_logs (run_id, at, id);
