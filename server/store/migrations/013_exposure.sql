-- Issue 16: exposure, the deliveries each store made per day (optionally per H3 cell). Shared by
-- DuckDB and PostgreSQL. Citus-ready: keyed by store_id.

CREATE TABLE exposure (
  store_id INTEGER NOT NULL,
  day TEXT NOT NULL,             -- YYYY-MM-DD in the store's city zone
  cell BIGINT NOT NULL,          -- H3 cell (resolution 5..11) of the deliveries, 0 for the whole store
  deliveries INTEGER NOT NULL CHECK (deliveries >= 0),
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (store_id, day, cell)
);
