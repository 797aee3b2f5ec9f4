/**
 * Incidents per 1,000 deliveries per cell (issue 16a) on every engine: map.exposureRates against
 * figures computed by hand from the planted rows. Exposure counts only where a store reported
 * per-cell deliveries (a finer cell in its parent, a coarser one left out), incidents only those
 * of the reporting stores in the period the filters keep; the smoothing shrinks each cell towards
 * its city's rate with one prior per city.
 */
import { cellToCenterChild, cellToLatLng, gridDisk, latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentInput, IncidentStore } from '../../server/store/types.js';
import { callerFor, user } from '../support/caller.js';
import { engines } from '../support/engines.js';
import { incident, seedPlaces } from '../support/fixtures.js';

const R = 8;
// the period: 1..7 May 2024 in Fuzhou (UTC+8); in the UTC city it spans 30 April..7 May
const FROM = '2024-05-01T00:00:00+08:00';
const TO = '2024-05-08T00:00:00+08:00';
const FROM_MS = Date.parse(FROM);
const HOUR_MS = 3_600_000;

const A = latLngToCell(26.08, 119.29, R);
const [B, C, E, F] = gridDisk(A, 1).filter((c) => c !== A);
/** Reported by the pipeline at resolution 9: counts in its parent C at resolution 8. */
const C9 = cellToCenterChild(C!, 9);
/** Reported at resolution 7: cannot be split into resolution-8 cells. */
const D7 = latLngToCell(26.2, 119.45, 7);
const U = latLngToCell(51.48, 0, R);

const days = (from: string, n: number) => Array.from({ length: n }, (_, k) => new Date(Date.parse(from) + k * 86_400_000).toISOString().slice(0, 10));

describe.each(engines())('risk per delivery per cell on $engine', ({ open }) => {
  let store: IncidentStore;
  let fz1: number;
  let fz2: number;
  let utc1: number;

  beforeAll(async () => {
    store = await open();
    const places = await seedPlaces(store);
    [fz1, fz2, utc1] = [places.fz1.id, places.fz2.id, places.utc1.id];
    const rows = [];
    for (const day of days('2024-05-01', 7)) {
      rows.push(
        { storeId: fz1, day, cell: null, deliveries: 9999 }, // whole-store rows do not make a cell's exposure
        { storeId: fz1, day, cell: A, deliveries: 1000 },
        { storeId: fz1, day, cell: B!, deliveries: 1000 },
        { storeId: fz1, day, cell: C9, deliveries: 50 },
        { storeId: fz1, day, cell: E!, deliveries: 500 },
        { storeId: fz1, day, cell: D7, deliveries: 200 },
        { storeId: fz2, day, cell: null, deliveries: 3000 },
        { storeId: fz2, day, cell: F!, deliveries: 700 }, // fz2 reports per cell too, but not in A
      );
    }
    for (const day of days('2024-04-30', 8)) rows.push({ storeId: utc1, day, cell: U, deliveries: 100 });
    await store.exposure.write(rows, new Date('2024-06-01T00:00:00Z'));

    const list: IncidentInput[] = [];
    let n = 0;
    const at = (cell: string, storeId: number, cityId: number, count: number, opts: Partial<IncidentInput> = {}) => {
      const [lat, lng] = cellToLatLng(cell);
      for (let k = 0; k < count; k++) {
        n++;
        list.push(incident({ externalId: `cx-${n}`, lat, lng, storeId, cityId, occurredAt: new Date(FROM_MS + ((n * 7) % 160) * HOUR_MS + 1_800_000), ...opts }));
      }
    };
    const fuzhou = places.fuzhou.id;
    at(A, fz1, fuzhou, 14);
    at(B!, fz1, fuzhou, 70);
    at(C!, fz1, fuzhou, 2);
    at(E!, fz1, fuzhou, 3);
    at(A, fz2, fuzhou, 5); // another store's incidents in A: its deliveries there are unknown
    at(F!, fz2, fuzhou, 1);
    at(A, fz1, fuzhou, 10, { occurredAt: new Date('2024-04-20T02:00:00Z') }); // before the period
    at(A, fz1, fuzhou, 3, { kind: 'exception', category: 'no_helmet', source: 'ai_vision', review: 'rejected' }); // left out by default
    at(U, utc1, places.utc.id, 1);
    const writer = await store.openIncidentWriter();
    await writer.write(list);
    await writer.commit();
  });
  afterAll(async () => {
    await store.close();
  });

  const analyst = () => callerFor(store, user('analyst'));

  it('counts deliveries and incidents per cell where per-cell exposure exists, raw rate per 1,000', async () => {
    const got = await analyst().map.exposureRates({ resolution: R, filters: { from: FROM, to: TO } });
    const expected = new Map([
      [A, { deliveries: 7000, incidents: 14 }],
      [B!, { deliveries: 7000, incidents: 70 }],
      [C!, { deliveries: 350, incidents: 2 }],
      [E!, { deliveries: 3500, incidents: 3 }],
      [F!, { deliveries: 4900, incidents: 1 }],
      [U, { deliveries: 800, incidents: 1 }],
    ]);
    expect([...got.cells].sort()).toEqual([...expected.keys()].sort());
    got.cells.forEach((cell, k) => {
      const e = expected.get(cell)!;
      expect({ cell, deliveries: got.deliveries[k], incidents: got.incidents[k] }).toEqual({ cell, ...e });
      expect(got.per1000[k]).toBeCloseTo((e.incidents / e.deliveries) * 1000, 12);
    });
    expect(got.storesWithCellExposure).toBe(3);
    expect(got.cells).toEqual([...got.cells].sort());
  });

  it('smooths with one prior per city: shrunk towards the city rate, and one (alpha, beta) explains every cell', async () => {
    const got = await analyst().map.exposureRates({ resolution: R, filters: { from: FROM, to: TO } });
    const at = (cell: string) => {
      const k = got.cells.indexOf(cell);
      return { y: got.incidents[k]!, e: got.deliveries[k]! / 1000, raw: got.per1000[k]!, s: got.per1000Smoothed[k]! };
    };
    const fuzhou = [A, B!, C!, E!, F!].map(at);
    const pooled = fuzhou.reduce((a, c) => a + c.y, 0) / fuzhou.reduce((a, c) => a + c.e, 0);
    for (const c of fuzhou) {
      expect(c.s).toBeGreaterThanOrEqual(Math.min(c.raw, pooled) - 1e-9);
      expect(c.s).toBeLessThanOrEqual(Math.max(c.raw, pooled) + 1e-9);
    }
    // the small cell C moves further towards the city's rate than the busy cell A
    expect(Math.abs(at(C!).s - at(C!).raw) / Math.abs(pooled - at(C!).raw)).toBeGreaterThan(Math.abs(at(A).s - at(A).raw) / Math.abs(pooled - at(A).raw));
    // s = (y + alpha) / (e + beta): solve alpha, beta from A and B, then C and E must agree
    const [a, b] = [at(A), at(B!)];
    const beta = (b.s * b.e - b.y - a.s * a.e + a.y) / (a.s - b.s);
    const alpha = a.s * (a.e + beta) - a.y;
    expect(beta).toBeGreaterThan(0);
    for (const c of [at(C!), at(E!), at(F!)]) expect((c.y + alpha) / (c.e + beta)).toBeCloseTo(c.s, 9);
    // the UTC city has a single cell: nothing to pool with, its own rate (not Fuzhou's prior)
    expect(at(U).s).toBe(at(U).raw);
  });

  it('sums a finer reported cell into its parent and leaves a coarser one out at a finer resolution', async () => {
    const r8 = await analyst().map.exposureRates({ resolution: R, filters: { from: FROM, to: TO } });
    expect(r8.cells).not.toContain(C9);
    expect(r8.cells).not.toContain(D7);
    const r7 = await analyst().map.exposureRates({ resolution: 7, filters: { from: FROM, to: TO } });
    const k = r7.cells.indexOf(D7);
    expect(k).toBeGreaterThanOrEqual(0);
    expect([r7.deliveries[k], r7.incidents[k]]).toEqual([1400, 0]);
    const r9 = await analyst().map.exposureRates({ resolution: 9, filters: { from: FROM, to: TO } });
    expect(r9.cells).toEqual([C9]); // the only cell reported at resolution 9 or finer
    expect(r9.deliveries).toEqual([350]);
  });

  it('has no rate where per-cell exposure does not cover the period', async () => {
    // 1..9 May: fz1 reported 7 of 9 days, utc1 8 of 10
    const got = await analyst().map.exposureRates({ resolution: R, filters: { from: FROM, to: '2024-05-10T00:00:00+08:00' } });
    expect(got).toMatchObject({ cells: [], storesWithCellExposure: 0 });
  });

  it('keeps to the filters and the caller\'s stores; a box narrows the answer without changing a cell\'s rate', async () => {
    const all = await analyst().map.exposureRates({ resolution: R, filters: { from: FROM, to: TO } });
    const withRejected = await analyst().map.exposureRates({ resolution: R, filters: { from: FROM, to: TO, review: ['rejected'] } });
    expect(withRejected.incidents[withRejected.cells.indexOf(A)]).toBe(3);
    const manager2 = await callerFor(store, user('store_manager', [fz2])).map.exposureRates({ resolution: R, filters: { from: FROM, to: TO } });
    expect(manager2).toMatchObject({ cells: [F], incidents: [1], storesWithCellExposure: 1 });
    // alone in its scope, F is not pooled with fz1's cells: its raw rate
    expect(manager2.per1000Smoothed).toEqual(manager2.per1000);
    const manager1 = await callerFor(store, user('store_manager', [fz1])).map.exposureRates({ resolution: R, filters: { from: FROM, to: TO } });
    expect([...manager1.cells].sort()).toEqual([A, B!, C!, E!].sort());
    const [lat, lng] = cellToLatLng(A);
    const boxed = await analyst().map.exposureRates({ resolution: R, filters: { from: FROM, to: TO }, bbox: [lng - 0.0005, lat - 0.0005, lng + 0.0005, lat + 0.0005] });
    expect(boxed.cells).toEqual([A]);
    expect(boxed.per1000Smoothed[0]).toBe(all.per1000Smoothed[all.cells.indexOf(A)]);
    const one = await analyst().map.exposureRates({ resolution: R, filters: { from: FROM, to: TO }, cell: B! });
    expect(one.cells).toEqual([B]);
    expect(one.per1000Smoothed[0]).toBe(all.per1000Smoothed[all.cells.indexOf(B!)]);
  });

  it('refuses a cell of another resolution or a malformed one, naming the field', async () => {
    await expect(analyst().map.exposureRates({ resolution: 9, cell: A })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^cell/) });
    await expect(analyst().map.exposureRates({ resolution: 8, cell: 'not-a-cell' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^cell/) });
  });
});
