-- Live system (live-api.md): token scopes and the event outbox.

-- `read` tokens see the JSON API; `ingest` tokens may also write through it (the engine).
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'read' CHECK (scope IN ('read', 'ingest'));

-- Every committed change a page may want to follow, written in the changing transaction and
-- announced by NOTIFY from the same transaction, so every instance hears it at commit and a
-- client that reconnects with Last-Event-ID is replayed what it missed.
CREATE TABLE events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL,
    -- Null for events of the whole account (its balance).
    site_id    BIGINT,
    name       TEXT   NOT NULL,
    data       TEXT   NOT NULL,
    -- Unix seconds, for pruning.
    at         BIGINT NOT NULL
);
CREATE INDEX events_by_site ON events (site_id, id);
CREATE INDEX events_by_account ON events (account_id, id);

-- Any writer (a server, the command-line import) announces its events; NOTIFY is delivered
-- only if the transaction commits.
CREATE FUNCTION announce_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('automation_events', json_build_object(
        'id', NEW.id, 'account_id', NEW.account_id, 'site_id', NEW.site_id,
        'name', NEW.name, 'data', NEW.data)::text);
    RETURN NULL;
END;
$$;
CREATE TRIGGER events_announce AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION announce_event();
