-- Issue 7: API keys for the ingest API, archived stores. Shared by DuckDB and PostgreSQL.

CREATE TABLE api_key (
  id TEXT PRIMARY KEY,           -- public id, also the key's visible prefix
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE, -- sha256 of the whole key: the key itself is shown once, never stored
  created_by TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  last_used_at TIMESTAMPTZ,
  revoked_at TIMESTAMPTZ
);

-- Archived stores keep their incidents and history; they leave the pickers and new assignments.
ALTER TABLE store ADD COLUMN archived_at TIMESTAMPTZ;
