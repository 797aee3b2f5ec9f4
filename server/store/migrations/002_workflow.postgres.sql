-- PostgreSQL: the event kind is checked, and the store manager's work list (open incidents of a
-- store by due time) and the review queue get partial indexes. DuckDB scans both by zone maps.
ALTER TABLE incident_event ADD CONSTRAINT incident_event_kind CHECK (kind IN ('transition', 'comment', 'review'));
CREATE INDEX incident_store_due_open ON incident (store_id, due_at) WHERE status NOT IN ('closed', 'dismissed');
CREATE INDEX incident_store_review_pending ON incident (store_id, due_at) WHERE review = 'pending';
CREATE INDEX incident_assignee_open ON incident (assignee, due_at) WHERE status NOT IN ('closed', 'dismissed');
