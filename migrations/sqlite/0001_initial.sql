-- Run history. Timestamps are RFC 3339 text in UTC, which sorts in time order.
CREATE TABLE accounts (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL,
    credit_balance INTEGER NOT NULL
);

CREATE TABLE sites (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    name       TEXT    NOT NULL,
    domain     TEXT    NOT NULL,
    -- Bumped by every import that touches the site; keys the run-detail cache.
    revision   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sites_by_account ON sites (account_id, id);

CREATE TABLE runs (
    run_id             TEXT    PRIMARY KEY,
    site_id            INTEGER NOT NULL REFERENCES sites (id),
    -- 1, 2, 3 … in (started_at, run_id) order within the site; written at import.
    run_number         INTEGER NOT NULL,
    status             TEXT    NOT NULL CHECK (status IN ('running', 'paused', 'cancelled', 'completed', 'failed')),
    trigger_type       TEXT    NOT NULL CHECK (trigger_type IN ('manual', 'scheduled')),
    current_stage      INTEGER NOT NULL CHECK (current_stage BETWEEN 1 AND 7),
    started_at         TEXT    NOT NULL,
    completed_at       TEXT,
    paused_at          TEXT,
    resumed_at         TEXT,
    cancelled_at       TEXT,
    total_credits_used INTEGER NOT NULL CHECK (total_credits_used >= 0),
    error_message      TEXT,
    initial_snapshot   TEXT    NOT NULL,
    -- The seven stage results, kept whole as the engine wrote them (null where a stage did not run).
    stage_results      TEXT    NOT NULL
);
-- History pages and the total (max run_number) of a site.
CREATE INDEX runs_by_site_number ON runs (site_id, run_number);
-- The last completed runs of a site, for averages and comparisons.
CREATE INDEX runs_by_site_status_number ON runs (site_id, status, run_number);
-- The 30-day statistics window and renumbering from a start time.
CREATE INDEX runs_by_site_started ON runs (site_id, started_at, run_id);

CREATE TABLE pipelines (
    site_id INTEGER PRIMARY KEY REFERENCES sites (id),
    as_of   TEXT    NOT NULL,
    counts  TEXT    NOT NULL
);

CREATE TABLE run_logs (
    id        INTEGER PRIMARY KEY,
    run_id    TEXT    NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    -- 0 for run-level lines.
    stage     INTEGER NOT NULL CHECK (stage BETWEEN 0 AND 7),
    at        TEXT    NOT NULL,
    level     TEXT    NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
    message   TEXT    NOT NULL,
    -- Hash of (at, stage, message): a line loaded twice is kept once.
    line_hash INTEGER NOT NULL,
    UNIQUE (run_id, line_hash)
);
CREATE INDEX run_logs_by_run_at ON run_logs (run_id, at, id);
