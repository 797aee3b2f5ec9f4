-- Live updates (issue 14): the change feed. One row per created incident and per change of
-- status, review, assignee or due time, written in the same transaction as the change itself.
-- `id` grows with commit order (writers serialize on the feed lock: server/store/change-feed.ts),
-- so a reader that has seen id n never later finds a smaller one.
-- The row is a snapshot of the incident after the change, with the columns the shared filter
-- SQL reads under the same names as on `incident`: subscribers filter the feed without a join.
-- Citus: distribute by store_id, co-located with incident (store_id may be NULL, like there).
CREATE SEQUENCE incident_change_id_seq START 1;
CREATE TABLE incident_change (
  id BIGINT NOT NULL DEFAULT nextval('incident_change_id_seq'),
  type TEXT NOT NULL CHECK (type IN ('incident.created', 'incident.updated')),
  changed_at TIMESTAMPTZ NOT NULL,
  incident_id BIGINT NOT NULL,
  store_id INTEGER,
  city_id INTEGER NOT NULL,
  h3 BIGINT NOT NULL,            -- resolution-11 cell
  lat DOUBLE PRECISION NOT NULL, -- WGS-84: clients put the change into the hexagon of any resolution
  lng DOUBLE PRECISION NOT NULL,
  kind TEXT NOT NULL,
  category TEXT NOT NULL,
  severity SMALLINT NOT NULL,
  occurred_at TIMESTAMPTZ NOT NULL,
  status TEXT NOT NULL,
  review TEXT,
  due_at TIMESTAMPTZ,
  prev_status TEXT,              -- the state before an update (NULL for a created incident): a
  prev_review TEXT,              -- client moves the incident out of the counts it was in
  prev_due_at TIMESTAMPTZ,
  description TEXT,              -- the free-text filter (q) reads these three
  rider_id TEXT,
  external_id TEXT NOT NULL
);
