/**
 * The storage contract: every engine behind IncidentStore passes the same suite.
 */
import { latLngToCell } from 'h3-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentStore } from '../../server/store/types.js';
import { engines } from '../support/engines.js';
import { incident, seedPlaces } from '../support/fixtures.js';

/**
 * The monthly closure counts per city and month (each city's own zone), as the KPI path counts
 * them (`workflow.closureCounts`, which stats.closureRate and stats.kpis read), summed over stores.
 */
async function monthlyClosureByCity(store: IncidentStore, months: readonly string[]) {
  const cells = await store.workflow.closureCounts({ filters: {}, months }, { all: true });
  const byKey = new Map<string, { cityId: number; month: string; occurred: number; closed: number }>();
  for (const c of cells) {
    const key = `${c.cityId}/${c.month}`;
    const m = byKey.get(key) ?? { cityId: c.cityId, month: c.month, occurred: 0, closed: 0 };
    m.occurred += c.occurred;
    m.closed += c.closedNow;
    byKey.set(key, m);
  }
  return [...byKey.values()].sort((a, b) => a.cityId - b.cityId || a.month.localeCompare(b.month));
}

describe.each(engines())('storage contract on $engine', ({ open }) => {
  let store: IncidentStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('migrates idempotently', async () => {
    await store.migrate();
    await store.setMeta('seeded', 'small');
    await store.setMeta('seeded', 'default');
    expect(await store.getMeta('seeded')).toBe('default');
    expect(await store.getMeta('absent')).toBeNull();
  });

  it('upserts cities and stores by key and lists stores by scope', async () => {
    const { fuzhou, fz1, fz2 } = await seedPlaces(store);
    expect(fuzhou.tz).toBe('Asia/Shanghai');
    const again = await store.upsertStores([{ code: 'FZ-001', name: 'Gulou 2', cityId: fuzhou.id, lat: 26.08, lng: 119.29, radiusM: 2000 }]);
    expect(again[0]!.id).toBe(fz1.id);
    expect(again[0]!.radiusM).toBe(2000);
    expect((await store.listStores({ all: true })).map((s) => s.code)).toEqual(['FZ-001', 'FZ-002', 'UT-001']);
    const mine = await store.listStores({ all: false, storeIds: [fz2.id] });
    expect(mine.map((s) => [s.code, s.cityName])).toEqual([['FZ-002', 'Fuzhou']]);
    expect(await store.listStores({ all: false, storeIds: [] })).toEqual([]);
  });

  it('updates a city with stores and a store with managers (rows other tables reference)', async () => {
    const { fuzhou, fz1 } = await seedPlaces(store);
    await store.upsertUsers([{ id: 'u-m', name: 'M', role: 'store_manager', storeIds: [fz1.id] }]);
    const renamed = await store.upsertCity({ ...fuzhou, name: 'Fuzhou City', centerLat: 26.08 });
    expect(renamed).toMatchObject({ id: fuzhou.id, name: 'Fuzhou City', centerLat: 26.08 });
    const [moved] = await store.upsertStores([{ ...fz1, name: 'Gulou East', radiusM: 2500 }]);
    expect(moved).toMatchObject({ id: fz1.id, name: 'Gulou East', radiusM: 2500, cityName: 'Fuzhou City' });
    await store.upsertUsers([{ id: 'u-m', name: 'M2', role: 'store_manager', storeIds: [fz1.id] }]);
    expect((await store.getUser('u-m'))!.name).toBe('M2');
  });

  it('keeps users with their stores and sessions that expire', async () => {
    const { fz1, fz2 } = await seedPlaces(store);
    await store.upsertUsers([
      { id: 'u-manager', name: 'M', role: 'store_manager', storeIds: [fz2.id, fz1.id] },
      { id: 'u-analyst', name: 'A', role: 'analyst', storeIds: [] },
    ]);
    expect((await store.getUser('u-manager'))!.storeIds).toEqual([fz1.id, fz2.id].sort((a, b) => a - b));
    const token = await store.createSession('u-manager', 60_000);
    expect((await store.sessionUser(token))!.id).toBe('u-manager');
    expect(await store.sessionUser(token + 'x')).toBeNull();
    const expired = await store.createSession('u-analyst', -1);
    expect(await store.sessionUser(expired)).toBeNull();
    await store.security.setStoreArchived(fz2.id, true);
    expect((await store.listStores({ all: true })).map((s) => s.code)).toEqual(['FZ-001', 'UT-001']);
    await store.deleteSession(token);
    expect(await store.sessionUser(token)).toBeNull();
  });

  it('writes incidents with their H3 cell and timeline, all fields round-tripping', async () => {
    const { fuzhou, fz1 } = await seedPlaces(store);
    const input = incident({
      cityId: fuzhou.id,
      storeId: fz1.id,
      kind: 'exception',
      category: 'wrong_way',
      source: 'ai_vision',
      externalId: 'det-1',
      aiLabel: 'wrong_way',
      aiConfidence: 0.87,
      review: 'confirmed',
      photoUrls: ['/media/detections/det-1.svg'],
      status: 'closed',
      assignee: 'u-manager',
      closedAt: new Date('2024-03-05T09:00:00Z'),
      resolution: 'rider_coached',
      events: [
        { at: new Date('2024-03-05T03:30:00Z'), actor: 'ai', fromStatus: null, toStatus: 'open', note: null },
        { at: new Date('2024-03-05T05:00:00Z'), actor: 'u-manager', fromStatus: 'open', toStatus: 'assigned', note: null },
        { at: new Date('2024-03-05T09:00:00Z'), actor: 'u-manager', fromStatus: 'assigned', toStatus: 'closed', note: 'talked to rider' },
      ],
    });
    const writer = await store.openIncidentWriter();
    await writer.write([input]);
    expect(await writer.commit()).toEqual({ inserted: 1, duplicates: 0 });

    const totals = await store.incidentTotals({ all: true });
    expect(totals.total).toBe(1);
    const id = 1;
    const found = (await store.incidentById(id, { all: true }))!;
    const { events: _events, createdAt: _createdAt, ...expected } = input;
    expect(found.incident).toMatchObject({ ...expected, id, version: 1 });
    expect(found.incident.cell).toBe(latLngToCell(input.lat, input.lng, 11));
    expect(found.events.map((e) => [e.fromStatus, e.toStatus, e.actor, e.note])).toEqual([
      [null, 'open', 'ai', null],
      ['open', 'assigned', 'u-manager', null],
      ['assigned', 'closed', 'u-manager', 'talked to rider'],
    ]);
    expect(await store.incidentById(id, { all: false, storeIds: [fz1.id + 1] })).toBeNull();
  });

  it('is idempotent on (source, external_id), within a batch and across writes', async () => {
    const { fuzhou, fz1 } = await seedPlaces(store);
    const rows = [1, 2, 3].map((n) => incident({ cityId: fuzhou.id, storeId: fz1.id, externalId: `e-${n}` }));
    const first = await store.openIncidentWriter();
    await first.write([...rows, { ...rows[0]!, severity: 4 }]);
    expect(await first.commit()).toEqual({ inserted: 3, duplicates: 1 });
    const second = await store.openIncidentWriter();
    await second.write(rows);
    await second.write([{ ...rows[0]!, source: 'import' }]);
    expect(await second.commit()).toEqual({ inserted: 1, duplicates: 3 });
    const totals = await store.incidentTotals({ all: true });
    expect(totals).toEqual({ total: 4, bySeverity: { 1: 0, 2: 4, 3: 0, 4: 0 } });
    expect((await store.incidentTotals({ all: true }, { source: 'import' })).total).toBe(1);
  });

  it('stores nothing from a rolled-back writer or one given a bad coordinate', async () => {
    const { fuzhou, fz1 } = await seedPlaces(store);
    const writer = await store.openIncidentWriter();
    await writer.write([incident({ cityId: fuzhou.id, storeId: fz1.id, externalId: 'a' })]);
    await writer.rollback();
    const bad = await store.openIncidentWriter();
    await expect(bad.write([incident({ cityId: fuzhou.id, lat: 200, externalId: 'b' })])).rejects.toThrow(/latitude 200/);
    await bad.rollback();
    expect((await store.incidentTotals({ all: true })).total).toBe(0);
  });

  it('limits totals to the scope; store managers never see incidents without a store', async () => {
    const { fuzhou, fz1, fz2 } = await seedPlaces(store);
    const writer = await store.openIncidentWriter();
    await writer.write([
      incident({ cityId: fuzhou.id, storeId: fz1.id, externalId: 'a' }),
      incident({ cityId: fuzhou.id, storeId: fz2.id, externalId: 'b' }),
      incident({ cityId: fuzhou.id, storeId: null, externalId: 'c' }),
    ]);
    await writer.commit();
    expect((await store.incidentTotals({ all: true })).total).toBe(3);
    expect((await store.incidentTotals({ all: false, storeIds: [fz1.id] })).total).toBe(1);
    expect((await store.incidentTotals({ all: false, storeIds: [] })).total).toBe(0);
  });

  it("buckets months in the city's time zone and applies the closure-rate exclusions", async () => {
    const { fuzhou, utc, fz1, utc1 } = await seedPlaces(store);
    // 2024-01-31 17:30 UTC is already February 1st in Asia/Shanghai (+08:00), still January in UTC
    const at = new Date('2024-01-31T17:30:00Z');
    const writer = await store.openIncidentWriter();
    await writer.write([
      incident({ cityId: fuzhou.id, storeId: fz1.id, occurredAt: at, externalId: 'fz-open' }),
      incident({ cityId: fuzhou.id, storeId: fz1.id, occurredAt: at, externalId: 'fz-closed', status: 'closed', resolution: 'other' }),
      incident({ cityId: fuzhou.id, storeId: fz1.id, occurredAt: at, externalId: 'fz-rejected', source: 'ai_vision', review: 'rejected', status: 'dismissed' }),
      incident({ cityId: fuzhou.id, storeId: fz1.id, occurredAt: at, externalId: 'fz-pending', source: 'ai_vision', review: 'pending' }),
      incident({ cityId: utc.id, storeId: utc1.id, occurredAt: at, externalId: 'utc-dismissed', status: 'dismissed' }),
    ]);
    await writer.commit();
    const months = await monthlyClosureByCity(store, ['2023-12', '2024-01', '2024-02', '2024-03']);
    expect(months).toEqual([
      { cityId: fuzhou.id, month: '2024-02', occurred: 2, closed: 1 },
      { cityId: utc.id, month: '2024-01', occurred: 1, closed: 1 },
    ]);
  });
});
