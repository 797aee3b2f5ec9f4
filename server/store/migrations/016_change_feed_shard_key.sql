-- The change feed's rows carry the incident's shard key too (server/store/citus.ts): the shared
-- filter SQL names it in every store scope (incidentScopePredicate), and the feed reuses that SQL.
ALTER TABLE incident_change ADD COLUMN shard_key INTEGER;
UPDATE incident_change SET shard_key = coalesce(store_id, -city_id);
