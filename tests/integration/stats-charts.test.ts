/** Chart statistics through the procedures, on both engines: zone-local buckets, splits, ranking. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentStore } from '../../server/store/types.js';
import { callerFor, user } from '../support/caller.js';
import { engines } from '../support/engines.js';
import { incident, seedPlaces } from '../support/fixtures.js';

describe.each(engines())('stats charts on $engine', ({ open }) => {
  let store: IncidentStore;
  let places: Awaited<ReturnType<typeof seedPlaces>>;
  beforeAll(async () => {
    store = await open();
    places = await seedPlaces(store);
    const writer = await store.openIncidentWriter();
    await writer.write([
      // Sunday 2024-03-03 17:30 UTC is Monday 01:30 in Fuzhou (UTC+8)
      incident({ externalId: 'a', cityId: places.fuzhou.id, storeId: places.fz1.id, occurredAt: new Date('2024-03-03T17:30:00Z'), severity: 3 }),
      incident({ externalId: 'b', cityId: places.fuzhou.id, storeId: places.fz1.id, occurredAt: new Date('2024-02-20T02:00:00Z'), kind: 'exception', category: 'red_light' }),
      incident({ externalId: 'c', cityId: places.fuzhou.id, storeId: places.fz2.id, occurredAt: new Date('2024-03-04T02:00:00Z'), status: 'closed' }),
    ]);
    await writer.commit();
  });
  afterAll(async () => {
    await store.close();
  });

  it('buckets hours of the week and days in the city zone', async () => {
    const caller = callerFor(store, user('analyst'));
    const grid = await caller.stats.hourOfWeek({ filters: { cityIds: [places.fuzhou.id] } });
    expect(grid.counts[0]![1]).toBe(1); // Monday 01:00 local, not Sunday 17:00 UTC
    const days = await caller.stats.timeseries({ filters: { from: '2024-03-01T00:00:00Z' }, interval: 'day', split: 'kind' });
    expect(days.buckets).toEqual(['2024-03-04']);
    expect(days.series).toEqual([{ key: 'accident', counts: [2] }, { key: 'exception', counts: [0] }]);
    const months = await caller.stats.timeseries({ filters: {}, interval: 'month', split: 'none' });
    expect(months.buckets).toEqual(['2024-02-01', '2024-03-01']);
    expect(months.series[0]!.counts).toEqual([1, 2]);
  });

  it('ranks stores against the previous period of equal length', async () => {
    const caller = callerFor(store, user('analyst'));
    // 14 days from Feb 25; the previous 14 days from Feb 11 hold incident b (Feb 20)
    const ranking = await caller.stats.storeRanking({ filters: { from: '2024-02-25T00:00:00Z', to: '2024-03-10T00:00:00Z' } });
    const fz1 = ranking.rows.find((r) => r.storeId === places.fz1.id)!;
    expect(fz1).toMatchObject({ incidents: 1, previous: 1, change: 0 });
    const fz2 = ranking.rows.find((r) => r.storeId === places.fz2.id)!;
    expect(fz2).toMatchObject({ incidents: 1, previous: 0, change: null, closureRate: 1 });
    const categories = await caller.stats.categories({});
    expect(categories.items[0]).toEqual({ kind: 'accident', category: 'vehicle_collision', count: 2 });
    await expect(caller.stats.timeseries({ filters: {}, interval: 'hour' as never })).rejects.toThrow(/interval/);
  });
});
