-- DuckDB: no secondary indexes on incidents. Scans use zone maps (min/max per row group), so the
-- loaders keep rows roughly ordered; (source, external_id) uniqueness is enforced by the writer.
SELECT 1;
