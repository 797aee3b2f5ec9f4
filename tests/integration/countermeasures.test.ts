/**
 * Countermeasures on both engines: the planted before/after test of issue 16 through the tRPC
 * procedures, and their input, scope and concurrency rules. Expectations are written from the
 * planted counts and from SciPy's binomtest / Clopper-Pearson values, not from the code.
 */
import { cellToLatLng, gridDisk, latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentInput, IncidentStore } from '../../server/store/types.js';
import { callerFor, user } from '../support/caller.js';
import { engines } from '../support/engines.js';
import { incident, seedPlaces } from '../support/fixtures.js';

const DAY_MS = 86_400_000;
/** Fuzhou is UTC+8 all year: its midnight of day D is D-1 16:00 UTC. */
function fuzhouDay(daysAgo: number): { date: string; startMs: number } {
  const todayFz = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const midnightUtc = Date.parse(`${todayFz}T00:00:00Z`) - daysAgo * DAY_MS;
  return { date: new Date(midnightUtc).toISOString().slice(0, 10), startMs: midnightUtc - 8 * 3_600_000 };
}

/** `n` instants spread evenly inside [fromMs, toMs). */
function spread(n: number, fromMs: number, toMs: number): Date[] {
  return Array.from({ length: n }, (_, k) => new Date(fromMs + ((k + 0.5) * (toMs - fromMs)) / n));
}

describe.each(engines())('countermeasures on $engine', ({ open }) => {
  let store: IncidentStore;
  let places: Awaited<ReturnType<typeof seedPlaces>>;
  // three neighbouring-free cells at resolution 9 inside FZ-001's radius
  const cellA = latLngToCell(26.081, 119.291, 9);
  const cellB = latLngToCell(26.07, 119.28, 9);
  const cellC = latLngToCell(26.09, 119.3, 9);
  const cellD = latLngToCell(26.05, 119.31, 9);
  const early = fuzhouDay(70); // 10 weeks ago: the full 8 weeks after have passed
  const recent = fuzhouDay(14);

  beforeAll(async () => {
    store = await open();
    places = await seedPlaces(store);
    const rows: IncidentInput[] = [];
    let k = 0;
    const at = (cell: string, when: Date, over: Partial<IncidentInput> = {}) => {
      const [lat, lng] = cellToLatLng(cell);
      rows.push(incident({ externalId: `cm-${k++}`, cityId: places.fuzhou.id, storeId: places.fz1.id, lat, lng, occurredAt: when, events: [], ...over }));
    };
    const s = early.startMs;
    // A: 40 accidents in the 8 weeks before, 4 in the 8 weeks after
    for (const d of spread(40, s - 56 * DAY_MS, s)) at(cellA, d);
    for (const d of spread(4, s, s + 56 * DAY_MS)) at(cellA, d);
    // not counted for A: outside both windows, another store's, an exception, a neighbour cell,
    // rejected and pending AI detections
    for (const d of spread(30, s - 120 * DAY_MS, s - 57 * DAY_MS)) at(cellA, d);
    for (const d of spread(5, s + 57 * DAY_MS, s + 69 * DAY_MS)) at(cellA, d);
    for (const d of spread(25, s, s + 56 * DAY_MS)) at(cellA, d, { storeId: places.fz2.id });
    for (const d of spread(25, s, s + 56 * DAY_MS)) at(cellA, d, { kind: 'exception', category: 'red_light' });
    for (const d of spread(25, s, s + 56 * DAY_MS)) at(gridDisk(cellA, 1).find((c) => c !== cellA)!, d);
    for (const d of spread(10, s, s + 56 * DAY_MS)) at(cellA, d, { source: 'ai_vision', review: 'rejected', aiConfidence: 0.4, aiLabel: 'x' });
    for (const d of spread(10, s, s + 56 * DAY_MS)) at(cellA, d, { source: 'ai_vision', review: 'pending', aiConfidence: 0.4, aiLabel: 'x' });
    // B: the same rate before and after
    for (const d of spread(20, s - 56 * DAY_MS, s)) at(cellB, d);
    for (const d of spread(20, s, s + 56 * DAY_MS)) at(cellB, d);
    // C: started 2 weeks ago, nothing since
    for (const d of spread(12, recent.startMs - 14 * DAY_MS, recent.startMs)) at(cellC, d);
    // D (store FZ-002): 40 -> 20 incidents while its deliveries halved: the same rate per delivery
    for (const d of spread(40, s - 56 * DAY_MS, s)) at(cellD, d, { storeId: places.fz2.id });
    for (const d of spread(20, s, s + 56 * DAY_MS)) at(cellD, d, { storeId: places.fz2.id });
    const startDay = Date.parse(`${early.date}T00:00:00Z`);
    const day = (k: number) => new Date(startDay + k * DAY_MS).toISOString().slice(0, 10);
    await store.exposure.write(
      Array.from({ length: 112 }, (_, k) => ({ storeId: places.fz2.id, day: day(k - 56), cell: null, deliveries: k < 56 ? 500 : 250 })),
      new Date(),
    );
    const writer = await store.openIncidentWriter();
    await writer.write(rows);
    await writer.commit();
  });
  afterAll(async () => {
    await store.close();
  });

  const base = { title: 'Traffic light retimed', kind: 'facility_fix' as const, owner: 'Li Wei' };

  it('judges 40 -> 4 effective with rate ratio 0.1, its interval and p < 0.01', async () => {
    const analyst = callerFor(store, user('analyst'));
    const cm = await analyst.countermeasures.create({ ...base, storeId: places.fz1.id, startDate: early.date, cells: [cellA] });
    expect(cm.startsAt).toBe(new Date(early.startMs).toISOString());
    const e = await analyst.countermeasures.evaluate({ id: cm.id });
    expect(e.before).toEqual({ incidents: 40, weeks: 8 });
    expect(e.after).toEqual({ incidents: 4, weeks: 8 });
    expect(e.basis).toBe('weeks');
    expect(e.rateRatio).toBeCloseTo(0.1, 12);
    // SciPy: binomtest(4, 44, 0.5) and proportion_ci('exact') mapped to p / (1 - p)
    expect(e.ci95[0]).toBeCloseTo(0.025986621819544274, 6);
    expect(e.ci95[1]).toBeCloseTo(0.2766282136256986, 6);
    expect(e.pValue).toBeLessThan(0.01);
    expect(e.pValue / 1.7051434042514302e-8).toBeCloseTo(1, 6);
    expect(e.verdict).toBe('effective');
  });

  it('judges the same rate before and after no_change', async () => {
    const analyst = callerFor(store, user('analyst'));
    const cm = await analyst.countermeasures.create({ ...base, storeId: places.fz1.id, startDate: early.date, cells: [cellB] });
    const e = await analyst.countermeasures.evaluate({ id: cm.id });
    expect([e.before.incidents, e.after.incidents]).toEqual([20, 20]);
    expect(e.rateRatio).toBe(1);
    expect(e.pValue).toBe(1);
    expect(e.verdict).toBe('no_change');
  });

  it('judges a countermeasure 2 weeks after its start too_early, over 2-week windows', async () => {
    const manager = callerFor(store, user('store_manager', [places.fz1.id]));
    const cm = await manager.countermeasures.create({ ...base, storeId: places.fz1.id, startDate: recent.date, cells: [cellC] });
    const e = await manager.countermeasures.evaluate({ id: cm.id });
    expect(e.before).toEqual({ incidents: 12, weeks: 2 });
    expect(e.after).toEqual({ incidents: 0, weeks: 2 });
    expect(e.verdict).toBe('too_early');
  });

  it('compares per delivery when the store has exposure for every day of both windows', async () => {
    const analyst = callerFor(store, user('analyst'));
    const cm = await analyst.countermeasures.create({ ...base, storeId: places.fz2.id, startDate: early.date, cells: [cellD] });
    const e = await analyst.countermeasures.evaluate({ id: cm.id });
    expect(e.before).toEqual({ incidents: 40, weeks: 8, exposure: 28_000 });
    expect(e.after).toEqual({ incidents: 20, weeks: 8, exposure: 14_000 });
    expect(e.basis).toBe('deliveries');
    expect(e.rateRatio).toBeCloseTo(1, 12);
    expect(e.verdict).toBe('no_change');
    // with a 7-day window the exposure still covers both; per week 40 -> 20 alone would read effective
    const weekly = await analyst.countermeasures.evaluate({ id: cm.id, windowDays: 7 });
    expect(weekly.basis).toBe('deliveries');
    expect(weekly.before.exposure).toBe(3500);
    expect(weekly.after.exposure).toBe(1750);
  });

  it('keeps store managers to their own stores and viewers read-only', async () => {
    const analyst = callerFor(store, user('analyst'));
    const cm = await analyst.countermeasures.create({ ...base, storeId: places.fz1.id, startDate: early.date, cells: [cellA] });
    const other = callerFor(store, user('store_manager', [places.fz2.id], 'mgr-fz2'));
    await expect(other.countermeasures.byId({ id: cm.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(other.countermeasures.evaluate({ id: cm.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(other.countermeasures.update({ id: cm.id, version: 1, title: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(other.countermeasures.create({ ...base, storeId: places.fz1.id, startDate: early.date, cells: [cellA] })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^storeId: /),
    });
    expect((await other.countermeasures.list({})).map((c) => c.storeId)).not.toContain(places.fz1.id);
    const viewer = callerFor(store, user('viewer', [places.fz1.id]));
    await expect(viewer.countermeasures.create({ ...base, storeId: places.fz1.id, startDate: early.date, cells: [cellA] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await viewer.countermeasures.list({})).map((c) => c.id)).toContain(cm.id);
  });

  it('refuses bad input naming the field, and stores nothing', async () => {
    const analyst = callerFor(store, user('analyst'));
    const before = (await analyst.countermeasures.list({ limit: 500 })).length;
    const good = { ...base, storeId: places.fz1.id, startDate: early.date, cells: [cellA] };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ cells: [] }, /cells/],
      [{ cells: ['8f2830828052d25'] }, /^cells\.0: /], // 15 hex digits but not a valid cell
      [{ cells: [latLngToCell(26.08, 119.29, 12)] }, /^cells\.0: .*resolution 12/],
      [{ cells: Array.from({ length: 51 }, () => cellA) }, /cells/],
      [{ startDate: '2024-02-30' }, /startDate/],
      [{ title: '' }, /title/],
      [{ kind: 'paint' }, /kind/],
      [{ storeId: 999_999 }, /^storeId: /],
      [{ extra: 1 }, /extra|Unrecognized/i],
    ];
    for (const [override, message] of cases) {
      await expect(analyst.countermeasures.create({ ...good, ...override })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(message) });
    }
    expect((await analyst.countermeasures.list({ limit: 500 })).length).toBe(before);
  });

  it('updates with the version seen, and refuses a stale one without changing anything', async () => {
    const analyst = callerFor(store, user('analyst'));
    const cm = await analyst.countermeasures.create({ ...base, storeId: places.fz1.id, startDate: early.date, cells: [cellB] });
    const updated = await analyst.countermeasures.update({ id: cm.id, version: cm.version, title: 'Route moved', cells: [cellA, cellA], note: 'via the side street' });
    expect(updated).toMatchObject({ title: 'Route moved', cells: [cellA], note: 'via the side street', version: 2, owner: 'Li Wei' });
    expect((await analyst.countermeasures.evaluate({ id: cm.id })).after.incidents).toBe(4);
    await expect(analyst.countermeasures.update({ id: cm.id, version: 1, title: 'stale' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^version: .*version 2/),
    });
    await expect(analyst.countermeasures.update({ id: cm.id, version: 2, cells: ['zz'] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await analyst.countermeasures.byId({ id: cm.id })).toMatchObject({ title: 'Route moved', cells: [cellA], version: 2 });
    // the same cells again (delete and re-insert of the same keys in one transaction)
    expect(await analyst.countermeasures.update({ id: cm.id, version: 2, cells: [cellA] })).toMatchObject({ cells: [cellA], version: 3 });
  });
});
