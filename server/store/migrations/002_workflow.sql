-- Workflow (issue 5): the timeline records comments and review decisions besides status changes,
-- and a close records its resolution code (the incident keeps only the latest one).
-- DuckDB adds no column with a constraint, hence the separate SET NOT NULL.
ALTER TABLE incident_event ADD COLUMN kind TEXT DEFAULT 'transition';
ALTER TABLE incident_event ALTER COLUMN kind SET NOT NULL;
ALTER TABLE incident_event ADD COLUMN resolution TEXT;
