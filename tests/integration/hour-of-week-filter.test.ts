/**
 * The hour-of-week filter (issue 20, the grid's cross-filter) on both engines: an hour of the week
 * in each incident's own city zone. Expected rows are picked by hand from their local times.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentStore } from '../../server/store/types.js';
import { engines } from '../support/engines.js';
import { incident, seedPlaces } from '../support/fixtures.js';

describe.each(engines())('hour-of-week filter on $engine', ({ open }) => {
  let store: IncidentStore;

  beforeAll(async () => {
    store = await open();
    const places = await seedPlaces(store);
    const fz = { cityId: places.fuzhou.id, storeId: places.fz1.id, lat: 26.08, lng: 119.29 };
    const utc = { cityId: places.utc.id, storeId: places.utc1.id, lat: 51.48, lng: 0 };
    const writer = await store.openIncidentWriter();
    await writer.write([
      // 2024-03-04 is a Monday. Fuzhou is UTC+8: 00:30Z = Monday 08:30 local
      incident({ ...fz, externalId: 'fz-mon-08', occurredAt: new Date('2024-03-04T00:30:00Z') }),
      // Sunday 23:59Z = Monday 07:59 in Fuzhou: another hour
      incident({ ...fz, externalId: 'fz-mon-07', occurredAt: new Date('2024-03-03T23:59:00Z') }),
      // Monday 08:10 UTC in the UTC town: its own Monday 08
      incident({ ...utc, externalId: 'utc-mon-08', occurredAt: new Date('2024-03-11T08:10:00Z') }),
      // Monday 08:30Z is 16:30 in Fuzhou: not 08
      incident({ ...fz, externalId: 'fz-mon-16', occurredAt: new Date('2024-03-04T08:30:00Z') }),
      // Sunday 15:00Z = Sunday 23:00 Fuzhou (day 6, hour 23)
      incident({ ...fz, externalId: 'fz-sun-23', occurredAt: new Date('2024-03-10T15:00:00Z') }),
    ]);
    await writer.commit();
  });
  afterAll(async () => {
    await store?.close();
  });

  const ids = async (hourOfWeek: { day: number; hour: number }) => {
    const page = await store.listIncidents({ filters: { hourOfWeek }, sort: 'newest', limit: 50, now: new Date() }, { all: true });
    const byId = await Promise.all(page.items.map(async (i) => (await store.incidentById(i.id, { all: true }))!.incident.externalId));
    return byId.sort();
  };

  it('keeps the incidents of that hour of the week in their own city zone', async () => {
    expect(await ids({ day: 0, hour: 8 })).toEqual(['fz-mon-08', 'utc-mon-08']);
    expect(await ids({ day: 0, hour: 7 })).toEqual(['fz-mon-07']);
    expect(await ids({ day: 0, hour: 16 })).toEqual(['fz-mon-16']);
    expect(await ids({ day: 6, hour: 23 })).toEqual(['fz-sun-23']);
    expect(await ids({ day: 3, hour: 3 })).toEqual([]);
  });
});
