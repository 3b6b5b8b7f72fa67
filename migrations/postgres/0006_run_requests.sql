-- Run requests (live-api.md, "Run requests"): what users ask the engine to run.
CREATE TABLE run_requests (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id       BIGINT  NOT NULL REFERENCES sites (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('run', 'rerun', 'retry_stage')),
    -- The run a re-run or retry repeats; no foreign key: history may be re-imported.
    source_run_id TEXT COLLATE "C",
    stage         BIGINT  CHECK (stage BETWEEN 1 AND 7),
    -- `expired` is not a state: an unanswered claim goes back to `pending` (see claims).
    state         TEXT    NOT NULL CHECK (state IN ('pending', 'claimed', 'started', 'rejected')),
    requested_at  TIMESTAMPTZ NOT NULL,
    requested_by  TEXT    NOT NULL,
    -- The prediction's total and buffer for the site when it was asked (JSON), shown with it.
    estimate      JSONB   NOT NULL,
    claimed_at    TIMESTAMPTZ,
    -- Times a claim went unanswered for 10 minutes and the request went back to pending.
    claims_expired BIGINT  NOT NULL DEFAULT 0,
    answered_at   TIMESTAMPTZ,
    run_id        TEXT COLLATE "C",
    reason        TEXT,
    CHECK ((kind = 'run') = (source_run_id IS NULL)),
    CHECK ((kind = 'retry_stage') = (stage IS NOT NULL))
);
-- One open request per site, whatever the race: the second insert fails.
CREATE UNIQUE INDEX run_requests_one_open_per_site ON run_requests (site_id) WHERE state IN ('pending', 'claimed');
CREATE INDEX run_requests_by_site ON run_requests (site_id, id);
CREATE INDEX run_requests_open ON run_requests (state, id) WHERE state IN ('pending', 'claimed');
CREATE INDEX run_requests_by_run ON run_requests (run_id) WHERE run_id IS NOT NULL;
