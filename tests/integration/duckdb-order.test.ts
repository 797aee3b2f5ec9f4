/**
 * DuckDB's physical order of incidents (city, store, cell), which its zone maps rely on: kept
 * by sortIncidents() after bulk loads without changing a single row.
 */
import { describe, expect, it } from 'vitest';
import { DuckDbStore } from '../../server/store/duckdb.js';
import type { SqlRow } from '../../server/store/sql-db.js';
import { seedPlaces } from '../support/fixtures.js';
import { randomIncidents } from '../support/random-incidents.js';

const NOW = new Date('2026-06-15T04:00:00Z');
const key = (r: SqlRow) => [Number(r.city_id), r.store_id === null ? Infinity : Number(r.store_id), BigInt(r.h3 as bigint)] as const;
const before = (a: ReturnType<typeof key>, b: ReturnType<typeof key>) =>
  a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] <= b[2];

describe('DuckDB incident order', () => {
  it('sortIncidents() rewrites the table in (city, store, cell) order with every row unchanged', async () => {
    const store = await DuckDbStore.open(':memory:');
    try {
      await store.migrate();
      const { fuzhou, utc, fz1, fz2, utc1 } = await seedPlaces(store);
      const places = [
        { cityId: fuzhou.id, storeId: fz1.id, lat: fz1.lat, lng: fz1.lng },
        { cityId: fuzhou.id, storeId: fz2.id, lat: fz2.lat, lng: fz2.lng },
        { cityId: fuzhou.id, storeId: null, lat: 26.1, lng: 119.35 },
        { cityId: utc.id, storeId: utc1.id, lat: utc1.lat, lng: utc1.lng },
      ];
      // two bulk loads: each is ordered on its own, the table as a whole is not
      for (const seed of [1, 2]) {
        const writer = await store.openIncidentWriter();
        await writer.write(randomIncidents(3000, places, NOW, seed).map((r, k) => ({ ...r, externalId: `${seed}-${k}` })));
        await writer.commit();
      }
      const db = store.sqlForBench();
      const scan = () => db.query(`SELECT * FROM incident`); // a plain scan returns the physical order
      const isSorted = (rows: SqlRow[]) => rows.every((r, k) => k === 0 || before(key(rows[k - 1]!), key(r)));
      const rowsBefore = await scan();
      expect(isSorted(rowsBefore)).toBe(false);
      const hexbinsBefore = await store.hexbins({ resolution: 9, filters: {}, now: NOW }, { all: true });

      await store.sortIncidents();
      const rowsAfter = await scan();
      expect(isSorted(rowsAfter)).toBe(true);
      const byId = (rows: SqlRow[]) => [...rows].sort((a, b) => Number(a.id) - Number(b.id));
      expect(byId(rowsAfter)).toEqual(byId(rowsBefore));
      expect(await store.hexbins({ resolution: 9, filters: {}, now: NOW }, { all: true })).toEqual(hexbinsBefore);
      // the writer still works afterwards (the table kept its defaults and constraints)
      const writer = await store.openIncidentWriter();
      await writer.write(randomIncidents(10, places, NOW, 3).map((r, k) => ({ ...r, externalId: `3-${k}` })));
      expect(await writer.commit()).toEqual({ inserted: 10, duplicates: 0 });
    } finally {
      await store.close();
    }
  });
});
