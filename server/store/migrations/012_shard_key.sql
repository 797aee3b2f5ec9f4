-- Issue 17: the shard key, on both engines so that the shared SQL is one. On a Citus cluster the
-- incident tables distribute by it (server/store/citus.ts); elsewhere it is one small integer
-- column more. It is the incident's store, or for an incident without a store (the Hong Kong
-- public records) its city, negated so that it never equals a store id. Citus refuses NULL in a
-- distribution column, and a store manager's views filter by store: `shard_key IN (their
-- stores)` names the shards, so those queries run on one shard (a router query).
-- The writers set it (server/store/staging.ts, workflow.ts) with shardKeySql / shardKeyOf.
ALTER TABLE incident ADD COLUMN shard_key INTEGER;
UPDATE incident SET shard_key = coalesce(store_id, -city_id);
ALTER TABLE incident_event ADD COLUMN shard_key INTEGER;
UPDATE incident_event SET shard_key = coalesce(store_id, -(SELECT i.city_id FROM incident i WHERE i.id = incident_event.incident_id));
-- an event whose incident is gone (none are deleted today) keeps a key all the same
UPDATE incident_event SET shard_key = 0 WHERE shard_key IS NULL;
-- NOT NULL comes in 018: DuckDB refuses it in the transaction that filled the column
-- ("Cannot create index with outstanding updates", on a database that has rows)
