-- PostgreSQL: the delivery worker looks for due rows; alert lists go newest first per store.
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX alert_store_created ON alert (store_id, created_at);
