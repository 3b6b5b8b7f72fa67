-- Run requests (live-api.md, "Run requests"): what users ask the engine to run. Timestamps are
-- RFC 3339 text in UTC, as in the other tables.
CREATE TABLE run_requests (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id       INTEGER NOT NULL REFERENCES sites (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('run', 'rerun', 'retry_stage')),
    -- The run a re-run or retry repeats; no foreign key: history may be re-imported.
    source_run_id TEXT,
    stage         INTEGER CHECK (stage BETWEEN 1 AND 7),
    -- `expired` is not a state: an unanswered claim goes back to `pending` (see claims).
    state         TEXT    NOT NULL CHECK (state IN ('pending', 'claimed', 'started', 'rejected')),
    requested_at  TEXT    NOT NULL,
    requested_by  TEXT    NOT NULL,
    -- The prediction's total and buffer for the site when it was asked (JSON), shown with it.
    estimate      TEXT    NOT NULL,
    claimed_at    TEXT,
    -- Times a claim went unanswered for 10 minutes and the request went back to pending.
    claims_expired INTEGER NOT NULL DEFAULT 0,
    answered_at   TEXT,
    run_id        TEXT,
    reason        TEXT,
    CHECK ((kind = 'run') = (source_run_id IS NULL)),
    CHECK ((kind = 'retry_stage') = (stage IS NOT NULL))
);
-- One open request per site, whatever the race: the second insert fails.
CREATE UNIQUE INDEX run_requests_one_open_per_site ON run_requests (site_id) WHERE state IN ('pending', 'claimed');
CREATE INDEX run_requests_by_site ON run_requests (site_id, id);
CREATE INDEX run_requests_open ON run_requests (state, id) WHERE state IN ('pending', 'claimed');
CREATE INDEX run_requests_by_run ON run_requests (run_id) WHERE run_id IS NOT NULL;
