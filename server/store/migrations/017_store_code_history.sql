-- Issue 20: an admin changes a store's code (a renumbering); the store keeps its id, so its
-- incidents, users and alerts stay with it, and the old codes are kept here. Shared by DuckDB
-- and PostgreSQL. No foreign key to store: DuckDB rewrites a referenced row on update.
CREATE TABLE store_code_history (
  store_id INTEGER NOT NULL,
  old_code TEXT NOT NULL,
  new_code TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  changed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX store_code_history_store ON store_code_history (store_id);
