-- Import (issue 15): a hash of the record each run was last written from, so a re-import reads
-- the stored hashes of a batch and sends only the runs whose record changed. Runs written
-- before this column have none: their next import writes them once and stores it.
ALTER TABLE runs ADD COLUMN content_hash INTEGER;
