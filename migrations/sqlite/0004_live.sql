-- Live system (live-api.md): token scopes and the event outbox.

-- `read` tokens see the JSON API; `ingest` tokens may also write through it (the engine).
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'read' CHECK (scope IN ('read', 'ingest'));

-- Every committed change a page may want to follow, written in the changing transaction: the
-- servers read it in id order (SQLite) and replay it to clients that reconnect with
-- Last-Event-ID. AUTOINCREMENT: ids never come back after old rows are pruned.
CREATE TABLE events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL,
    -- Null for events of the whole account (its balance).
    site_id    INTEGER,
    name       TEXT    NOT NULL,
    data       TEXT    NOT NULL,
    -- Unix seconds, for pruning.
    at         INTEGER NOT NULL
);
CREATE INDEX events_by_site ON events (site_id, id);
CREATE INDEX events_by_account ON events (account_id, id);
