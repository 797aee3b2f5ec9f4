-- Issue 11: on DuckDB a store could not change city. DuckDB updates an indexed column as delete +
-- insert of the row, and the foreign key store.city_id -> city(id) indexes city_id; deleting a
-- store that user_store references fails ("still referenced by a foreign key"), also inside one
-- transaction that lifts the references first (DuckDB checks foreign keys against the committed
-- state). DuckDB cannot drop a constraint, so `store` is rebuilt without that foreign key (the
-- admin API checks the city exists; PostgreSQL keeps the key). user_store, which references
-- store, is set aside and rebuilt with its key. Ids, codes and the id sequence are kept.
CREATE TABLE user_store_009 AS SELECT user_id, store_id FROM user_store;
DROP TABLE user_store;
CREATE TABLE store_009 AS SELECT id, code, name, city_id, lat, lng, radius_m, archived_at FROM store;
DROP TABLE store;
CREATE TABLE store (
  id INTEGER PRIMARY KEY DEFAULT nextval('store_id_seq'),
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  city_id INTEGER NOT NULL,      -- city (id); no foreign key on DuckDB, see above
  lat DOUBLE PRECISION NOT NULL, -- WGS-84
  lng DOUBLE PRECISION NOT NULL,
  radius_m INTEGER NOT NULL DEFAULT 3000,
  archived_at TIMESTAMPTZ
);
INSERT INTO store (id, code, name, city_id, lat, lng, radius_m, archived_at)
  SELECT id, code, name, city_id, lat, lng, radius_m, archived_at FROM store_009;
DROP TABLE store_009;
CREATE TABLE user_store (
  user_id TEXT NOT NULL REFERENCES app_user (id),
  store_id INTEGER NOT NULL REFERENCES store (id),
  PRIMARY KEY (user_id, store_id)
);
INSERT INTO user_store (user_id, store_id) SELECT user_id, store_id FROM user_store_009;
DROP TABLE user_store_009;
