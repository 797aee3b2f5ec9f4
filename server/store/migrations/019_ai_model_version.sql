-- Issue 16: the AI pipeline may say which model version made a detection, so that the AI trust
-- figures can be broken down by category and model version (server/store/ai-trust.ts). NULL when
-- not sent (every detection before this migration, every non-AI incident). Shared by DuckDB,
-- PostgreSQL and Citus (ALTER TABLE on a distributed table propagates to its shards). DuckDB:
-- applyMigrations checkpoints after the DDL, so none of it waits in the WAL.
ALTER TABLE incident ADD COLUMN ai_model_version TEXT;
