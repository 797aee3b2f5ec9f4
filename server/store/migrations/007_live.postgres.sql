-- Readers ask for `id > cursor`; the prune deletes the oldest ids. No primary key: on Citus a
-- distributed table's unique keys must contain store_id. (DuckDB appends in id order, so its
-- zone maps already skip everything before the cursor.)
CREATE INDEX incident_change_id ON incident_change (id);
