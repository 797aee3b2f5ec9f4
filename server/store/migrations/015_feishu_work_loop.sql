-- The work loop in Feishu (issue 15).
-- Callbacks and events already handled: Feishu retries a delivery it thinks was lost, and a
-- replayed event_id must change nothing.
CREATE TABLE feishu_event (
  event_id TEXT PRIMARY KEY,
  event_type TEXT NOT NULL,
  received_at TIMESTAMPTZ NOT NULL
);
-- Outbox rows addressed to a person (open_id: morning cards, escalations) or a message thread
-- (message_id: the reply to an accident report) instead of the store's group. NULL: the group.
ALTER TABLE outbox ADD COLUMN receive_id_type TEXT;
ALTER TABLE outbox ADD COLUMN receive_id TEXT;
