-- Hot-spot alerts, the Feishu group of each store, and the outbox notifications go through.
-- Citus-ready: every table carries store_id, and keys include it (a distributed table's unique
-- constraints must contain the distribution key).

-- Where a store's alerts go: its group's custom bot webhook or the app bot in its group chat.
CREATE TABLE alert_target (
  store_id INTEGER NOT NULL PRIMARY KEY,
  channel TEXT NOT NULL CHECK (channel IN ('webhook', 'app')),
  webhook_url TEXT,              -- channel webhook: https://open.feishu.cn/open-apis/bot/v2/hook/...
  webhook_secret TEXT,           -- the bot's signing secret, when signing is on
  chat_id TEXT,                  -- channel app: the group's chat id (oc_...)
  enabled BOOLEAN NOT NULL DEFAULT TRUE,
  updated_at TIMESTAMPTZ NOT NULL
);

-- One alert per store, cell and episode (the week the cell's current hot run began), however
-- often the scan runs while the episode lasts.
CREATE SEQUENCE alert_id_seq START 1;
CREATE TABLE alert (
  id BIGINT NOT NULL DEFAULT nextval('alert_id_seq'),
  store_id INTEGER NOT NULL,
  city_id INTEGER NOT NULL,
  cell BIGINT NOT NULL,          -- H3 cell at `resolution` (not the stored resolution 11)
  resolution SMALLINT NOT NULL,
  episode TEXT NOT NULL,         -- YYYY-MM-DD: Monday (city time) of the week the hot run began
  week TEXT NOT NULL,            -- YYYY-MM-DD: Monday of the latest week analysed
  class TEXT NOT NULL,           -- new_hot | consecutive_hot | intensifying_hot
  z DOUBLE PRECISION NOT NULL,   -- Gi* z-score of the latest week
  week_count INTEGER NOT NULL,   -- incidents in the cell in the latest week
  total_count INTEGER NOT NULL,  -- incidents in the cell over the weeks analysed
  weeks INTEGER NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  acked_at TIMESTAMPTZ,
  acked_by TEXT,
  PRIMARY KEY (store_id, id),
  UNIQUE (store_id, cell, episode)
);

-- Transactional outbox: written with the alert in one transaction, delivered by a worker with
-- retries; dedupe_key is the same on every attempt (the app bot's uuid), one row per delivery.
CREATE SEQUENCE outbox_id_seq START 1;
CREATE TABLE outbox (
  id BIGINT NOT NULL DEFAULT nextval('outbox_id_seq'),
  store_id INTEGER NOT NULL,
  alert_id BIGINT,
  dedupe_key TEXT NOT NULL,
  payload TEXT NOT NULL,         -- the card, JSON
  status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ NOT NULL,
  locked_until TIMESTAMPTZ,      -- a worker's lease while status = sending
  last_code INTEGER,             -- Feishu's code of the last failure
  last_error TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  sent_at TIMESTAMPTZ,
  message_id TEXT,
  PRIMARY KEY (store_id, id),
  UNIQUE (store_id, dedupe_key)
);

-- When each scheduled job last started, so that several instances run it once per interval.
CREATE TABLE job_run (
  job TEXT PRIMARY KEY,
  last_started_at TIMESTAMPTZ NOT NULL
);
