-- Issue 10: users are disabled, not deleted, from the command line (`npm run users -- disable`):
-- their incidents, comments and audit trail keep naming them. A disabled user cannot sign in and
-- their sessions stop working. Shared by DuckDB and PostgreSQL.
ALTER TABLE app_user ADD COLUMN disabled_at TIMESTAMPTZ;
