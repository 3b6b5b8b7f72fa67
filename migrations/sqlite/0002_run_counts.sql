-- Runs per site by status and trigger, rewritten by every import that touches the site, so a
-- filtered history counts its pages without counting the site's runs.
CREATE TABLE run_counts (
    site_id      INTEGER NOT NULL REFERENCES sites (id),
    status       TEXT    NOT NULL,
    trigger_type TEXT    NOT NULL,
    runs         INTEGER NOT NULL,
    PRIMARY KEY (site_id, status, trigger_type)
);
INSERT INTO run_counts (site_id, status, trigger_type, runs)
SELECT site_id, status, trigger_type, COUNT(*) FROM runs GROUP BY site_id, status, trigger_type;
