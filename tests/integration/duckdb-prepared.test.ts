/**
 * DuckDB's kept prepared statements on the map's connection: the same SQL with other parameters,
 * run many at once, gives each query its own answer; and the connection keeps a bounded number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../../server/store/duckdb.js';
import type { Hexbins } from '../../server/store/types.js';
import { seedPlaces } from '../support/fixtures.js';
import { randomIncidents } from '../support/random-incidents.js';

const NOW = new Date('2026-06-15T04:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

describe('DuckDB prepared statements', () => {
  let store: DuckDbStore;
  let storeIds: number[];

  beforeAll(async () => {
    store = await DuckDbStore.open(':memory:');
    await store.migrate();
    const { fuzhou, utc, fz1, fz2, utc1 } = await seedPlaces(store);
    storeIds = [fz1.id, fz2.id, utc1.id];
    const places = [
      { cityId: fuzhou.id, storeId: fz1.id, lat: fz1.lat, lng: fz1.lng },
      { cityId: fuzhou.id, storeId: fz2.id, lat: fz2.lat, lng: fz2.lng },
      { cityId: utc.id, storeId: utc1.id, lat: utc1.lat, lng: utc1.lng },
    ];
    const writer = await store.openIncidentWriter();
    await writer.write(randomIncidents(3000, places, NOW, 7));
    await writer.commit();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('answers each of many concurrent queries of one SQL text with its own parameters', async () => {
    // one store's hexbins and one box's, from 1 to 40 days: one SQL text each, 40 parameter sets
    const queries = Array.from({ length: 40 }, (_, k) => ({
      resolution: 9,
      filters: { storeIds: [storeIds[k % storeIds.length]!], from: daysAgo(k + 1) },
      now: NOW,
    }));
    const alone: Hexbins[] = [];
    for (const q of queries) alone.push(await store.hexbins(q, { all: true }));
    expect(new Set(alone.map((h) => h.total)).size).toBeGreaterThan(10); // the parameters matter
    const together = await Promise.all(queries.map((q) => store.hexbins(q, { all: true })));
    expect(together).toEqual(alone);
  });

  it('keeps a bounded number of statements', async () => {
    // 100 SQL texts: each resolution, store list and sort makes its own
    for (let k = 0; k < 100; k++) {
      await store.hexbins({ resolution: 5 + (k % 7), filters: { storeIds: storeIds.slice(0, 1 + (k % 3)), severities: [1 + (k % 4)] as [1], from: daysAgo(1 + Math.floor(k / 21)) }, now: NOW }, { all: true });
      await store.listIncidents({ filters: { storeIds: storeIds.slice(0, 1 + (k % 3)) }, sort: 'newest', limit: 1 + (k % 30), now: NOW }, { all: true });
    }
    const kept = (store as unknown as { mapDb: { prepared: Map<string, unknown> } }).mapDb.prepared;
    expect(kept.size).toBeGreaterThan(10);
    expect(kept.size).toBeLessThanOrEqual(64);
  });
});
