-- The shard key (012) is set on every row now, by 012's backfill and by every writer: refuse a row
-- without it. In a migration of its own because DuckDB cannot add the constraint in the
-- transaction that filled the column ("Cannot create index with outstanding updates").
ALTER TABLE incident ALTER COLUMN shard_key SET NOT NULL;
ALTER TABLE incident_event ALTER COLUMN shard_key SET NOT NULL;
