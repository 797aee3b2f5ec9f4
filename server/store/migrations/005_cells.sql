-- The containing H3 cell of each incident at resolutions 5..10 (`h3` holds resolution 11), so
-- that an incident counts in the hexagon `latLngToCell` gives at every served resolution instead
-- of in the parent of its resolution-11 cell (server/domain/h3-cells.ts). The stored rows are
-- filled in batches by server/store/cell-backfill.ts right after the migrations, which then
-- makes the columns NOT NULL.
ALTER TABLE incident ADD COLUMN h3_5 BIGINT;
ALTER TABLE incident ADD COLUMN h3_6 BIGINT;
ALTER TABLE incident ADD COLUMN h3_7 BIGINT;
ALTER TABLE incident ADD COLUMN h3_8 BIGINT;
ALTER TABLE incident ADD COLUMN h3_9 BIGINT;
ALTER TABLE incident ADD COLUMN h3_10 BIGINT;
