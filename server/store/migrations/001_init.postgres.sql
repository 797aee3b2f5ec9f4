-- PostgreSQL keys and indexes. DuckDB has its own (001_init.duckdb.sql): its ART indexes cost
-- memory per row and slow bulk loads, so there uniqueness is kept by the writer instead.
ALTER TABLE incident ADD PRIMARY KEY (id);
CREATE UNIQUE INDEX incident_source_external_id ON incident (source, external_id);
CREATE INDEX incident_store_occurred ON incident (store_id, occurred_at);
CREATE INDEX incident_city_occurred ON incident (city_id, occurred_at);
CREATE INDEX incident_h3 ON incident (h3);
ALTER TABLE incident_event ADD PRIMARY KEY (id);
CREATE INDEX incident_event_incident ON incident_event (incident_id);
CREATE INDEX session_expires ON session (expires_at);
ALTER TABLE incident ADD CONSTRAINT incident_status_check CHECK (status IN ('open', 'assigned', 'in_progress', 'closed', 'dismissed'));
ALTER TABLE incident ADD CONSTRAINT incident_review_check CHECK (review IN ('pending', 'confirmed', 'rejected'));
