-- Hexwatch schema v1, shared by DuckDB and PostgreSQL (the dialects agree on everything here).
-- Citus-ready: incident rows carry city_id and store_id; keys and joins can include them.

CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE SEQUENCE city_id_seq START 1;
CREATE TABLE city (
  id INTEGER PRIMARY KEY DEFAULT nextval('city_id_seq'),
  key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_zh TEXT,
  tz TEXT NOT NULL,              -- IANA zone: day and month buckets are computed in it
  center_lat DOUBLE PRECISION NOT NULL,
  center_lng DOUBLE PRECISION NOT NULL
);

CREATE SEQUENCE store_id_seq START 1;
CREATE TABLE store (
  id INTEGER PRIMARY KEY DEFAULT nextval('store_id_seq'),
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  city_id INTEGER NOT NULL REFERENCES city (id),
  lat DOUBLE PRECISION NOT NULL, -- WGS-84
  lng DOUBLE PRECISION NOT NULL,
  radius_m INTEGER NOT NULL DEFAULT 3000
);

CREATE TABLE app_user (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'store_manager', 'viewer')),
  feishu_open_id TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

CREATE TABLE user_store (
  user_id TEXT NOT NULL REFERENCES app_user (id),
  store_id INTEGER NOT NULL REFERENCES store (id),
  PRIMARY KEY (user_id, store_id)
);

CREATE TABLE session (
  token_hash TEXT PRIMARY KEY,   -- sha256 of the cookie value: a leaked table does not leak sessions
  user_id TEXT NOT NULL REFERENCES app_user (id),
  created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  expires_at TIMESTAMPTZ NOT NULL
);

CREATE SEQUENCE incident_id_seq START 1;
CREATE TABLE incident (
  id BIGINT NOT NULL DEFAULT nextval('incident_id_seq'),
  kind TEXT NOT NULL,
  category TEXT NOT NULL,
  severity SMALLINT NOT NULL,
  occurred_at TIMESTAMPTZ NOT NULL,
  lat DOUBLE PRECISION NOT NULL, -- WGS-84
  lng DOUBLE PRECISION NOT NULL,
  h3 BIGINT NOT NULL,            -- H3 cell at resolution 11 (server/domain/h3-cells.ts)
  city_id INTEGER NOT NULL,
  store_id INTEGER,              -- null when no store's delivery area contains it
  rider_id TEXT,
  description TEXT,
  photo_urls TEXT NOT NULL DEFAULT '[]', -- JSON array: one encoding for both engines and bulk loaders
  source TEXT NOT NULL,
  external_id TEXT NOT NULL,     -- unique per source: re-ingest is idempotent
  ai_label TEXT,
  ai_confidence DOUBLE PRECISION,
  review TEXT,                   -- pending | confirmed | rejected, AI detections only
  status TEXT NOT NULL,
  assignee TEXT,
  due_at TIMESTAMPTZ,
  closed_at TIMESTAMPTZ,
  resolution TEXT,
  version INTEGER NOT NULL DEFAULT 1, -- optimistic concurrency
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

CREATE SEQUENCE incident_event_id_seq START 1;
CREATE TABLE incident_event (
  id BIGINT NOT NULL DEFAULT nextval('incident_event_id_seq'),
  incident_id BIGINT NOT NULL,
  store_id INTEGER,              -- the incident's, so that events co-locate with it on Citus
  happened_at TIMESTAMPTZ NOT NULL,
  actor TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT NOT NULL,
  note TEXT
);
