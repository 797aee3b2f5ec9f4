/**
 * The change feed filters in two places: SQL over incident_change for a cursor older than the
 * in-memory tail, and changeMatches for the tail (server/store/change-feed.ts). Property test
 * (fast-check), on both engines: for random scopes and filters, both select the same changes.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeMatches, feedFilterSql, rowToTailEntry } from '../../server/store/change-feed.js';
import type { DuckDbStore } from '../../server/store/duckdb.js';
import type { PostgresStore } from '../../server/store/postgres.js';
import type { IncidentStore, Scope } from '../../server/store/types.js';
import type { Filters } from '../../server/domain/filters.js';
import type { SqlValue } from '../../server/store/sql-db.js';
import { engines } from '../support/engines.js';
import { incident, seedPlaces } from '../support/fixtures.js';

const WORDS = ['bridge', 'Bridge crossing', 'red light at 5th', '100% sure', 'under_score', 'back\\slash', '福州 路口', ''];
const KINDS = ['accident', 'exception'] as const;
const CATS = { accident: ['vehicle_collision', 'single_vehicle_fall'], exception: ['wrong_way', 'red_light'] } as const;

describe.each(engines())('change feed filters (SQL and in memory agree) on $engine', ({ open }) => {
  let store: IncidentStore;
  let storeIds: number[];
  let cityIds: number[];

  beforeAll(async () => {
    store = await open();
    const places = await seedPlaces(store);
    storeIds = [places.fz1.id, places.fz2.id, places.utc1.id];
    cityIds = [places.fuzhou.id, places.utc.id];
    const rows = Array.from({ length: 60 }, (_, i) => {
      const kind = KINDS[i % 2]!;
      const store = [places.fz1, places.fz2, places.utc1, null][i % 4];
      return incident({
        externalId: `p-${i}`,
        kind,
        category: CATS[kind][i % 2]!,
        severity: ((i % 4) + 1) as 1 | 2 | 3 | 4,
        occurredAt: new Date(Date.UTC(2024, 0, 1) + i * 86_400_000 * 3),
        cityId: store ? store.cityId : places.fuzhou.id,
        storeId: store ? store.id : null,
        lat: store ? store.lat + 0.001 : 26.2,
        lng: store ? store.lng + 0.001 : 119.5,
        riderId: `R-${i % 5}`,
        description: WORDS[i % WORDS.length]!,
      });
    });
    const writer = await store.openIncidentWriter();
    await writer.write(rows);
    await writer.commit();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('selects the same changes for any scope and filter', async () => {
    const sql = (store as DuckDbStore | PostgresStore).sqlForBench();
    const all = (await sql.query(`SELECT * FROM incident_change ORDER BY id`)).map(rowToTailEntry);
    expect(all).toHaveLength(60);
    const iso = fc.date({ min: new Date('2023-12-01'), max: new Date('2024-08-01'), noInvalidDate: true }).map((d) => d.toISOString());
    const filters = fc.record(
      {
        from: iso,
        to: iso,
        kinds: fc.subarray([...KINDS], { minLength: 1 }),
        categories: fc.subarray(['vehicle_collision', 'single_vehicle_fall', 'wrong_way', 'red_light', 'other'] as const, { minLength: 1 }),
        severities: fc.subarray([1, 2, 3, 4], { minLength: 1 }),
        storeIds: fc.subarray([...storeIds, 999], { minLength: 1 }),
        cityIds: fc.subarray([...cityIds, 99], { minLength: 1 }),
        statuses: fc.subarray(['open', 'closed'] as const, { minLength: 1 }),
        q: fc.constantFrom('bridge', 'BRIDGE', '100%', '_', '\\', '路口', 'R-3', 'p-7', 'zzz'),
      },
      { requiredKeys: [] },
    );
    const scope = fc.oneof(
      fc.constant<Scope>({ all: true }),
      fc.subarray(storeIds).map((ids): Scope => ({ all: false, storeIds: ids })),
    );
    await fc.assert(
      fc.asyncProperty(scope, filters, async (s, f) => {
        const params: SqlValue[] = [];
        const where = feedFilterSql(s, f, params);
        const bySql = (await sql.query(`SELECT c.id FROM incident_change c WHERE ${where} ORDER BY c.id`, params)).map((r) => Number(r.id));
        const inMemory = all.filter((e) => changeMatches(e, s, f as Filters)).map((e) => e.change.eventId);
        expect(inMemory).toEqual(bySql);
      }),
      { numRuns: 150 },
    );
  });
});
