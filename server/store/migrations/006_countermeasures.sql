-- Issue 16: countermeasures on H3 cells, evaluated before/after their start. Shared by DuckDB and
-- PostgreSQL. Citus-ready: both tables carry store_id and their keys include it.

CREATE SEQUENCE countermeasure_id_seq START 1;
CREATE TABLE countermeasure (
  id BIGINT NOT NULL DEFAULT nextval('countermeasure_id_seq'),
  store_id INTEGER NOT NULL,     -- the store whose incidents in the cells are compared
  city_id INTEGER NOT NULL,      -- the store's city (its zone turns start_date into starts_at)
  title TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('route_change', 'signage', 'rider_briefing', 'facility_fix', 'other')),
  incident_kind TEXT NOT NULL CHECK (incident_kind IN ('accident', 'exception', 'all')), -- what is counted
  start_date TEXT NOT NULL,      -- YYYY-MM-DD in the city's zone
  starts_at TIMESTAMPTZ NOT NULL, -- local midnight of start_date
  owner TEXT NOT NULL,           -- who is responsible (a name, free text)
  note TEXT,
  created_by TEXT NOT NULL,      -- user id
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  version INTEGER NOT NULL DEFAULT 1, -- optimistic concurrency
  PRIMARY KEY (store_id, id)
);

-- The cells a countermeasure covers, each at its own resolution (5..11).
CREATE TABLE countermeasure_cell (
  store_id INTEGER NOT NULL,
  countermeasure_id BIGINT NOT NULL,
  cell BIGINT NOT NULL,
  resolution SMALLINT NOT NULL,
  PRIMARY KEY (store_id, countermeasure_id, cell)
);
