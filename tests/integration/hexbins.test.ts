/**
 * map.hexbins and incidents.list on both engines against an independent computation in the
 * test: h3-js `latLngToCell` at the requested resolution over the raw rows, the filters applied
 * in plain JavaScript, and the box rule (a cell is returned when its hexagon touches the box)
 * computed here by clipping each hexagon to the box. One case is the real Hong Kong file.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { cellToBoundary, cellToLatLng, latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/ingest/import-file.js';
import type { Bbox, Filters } from '../../server/domain/filters.js';
import { CATEGORIES, KINDS, REVIEW_STATES, SEVERITY_WEIGHT, STATUSES } from '../../server/domain/incident.js';
import type { IncidentInput, IncidentStore, User } from '../../server/store/types.js';
import { callerFor, user } from '../support/caller.js';
import { engines } from '../support/engines.js';
import { seedPlaces } from '../support/fixtures.js';
import { prng, randomIncidents, WORDS } from '../support/random-incidents.js';

const NOW = new Date('2026-06-15T04:00:00Z');

function matches(i: IncidentInput, f: Filters, visibleStores: number[] | null, now: Date): boolean {
  if (visibleStores && (i.storeId === null || !visibleStores.includes(i.storeId))) return false;
  if (f.from && i.occurredAt < new Date(f.from)) return false;
  if (f.to && i.occurredAt >= new Date(f.to)) return false;
  if (f.kinds && !f.kinds.includes(i.kind)) return false;
  if (f.categories && !f.categories.includes(i.category)) return false;
  if (f.severities && !f.severities.includes(i.severity)) return false;
  if (f.statuses && !f.statuses.includes(i.status)) return false;
  if (f.review ? !(i.review && f.review.includes(i.review)) : i.review === 'rejected') return false;
  if (f.storeIds && (i.storeId === null || !f.storeIds.includes(i.storeId))) return false;
  if (f.cityIds && !f.cityIds.includes(i.cityId)) return false;
  const overdue = !['closed', 'dismissed'].includes(i.status) && i.dueAt !== null && i.dueAt < now;
  if (f.overdueOnly && !overdue) return false;
  if (f.q) {
    const q = f.q.toLowerCase();
    if (!(i.description ?? '').toLowerCase().includes(q) && i.riderId !== f.q && i.externalId !== f.q) return false;
  }
  return true;
}

interface Expected {
  count: number;
  weighted: number;
  open: number;
  closed: number;
  overdue: number;
  /** AI detections (with a review state) the filters keep, and those of them awaiting review. */
  ai: number;
  pending: number;
}

/**
 * Whether the hexagon touches the box: the hexagon ([lng, lat] ring) clipped to the box by
 * Sutherland-Hodgman keeps at least one point. Written here, apart from the server's rule.
 */
function hexagonTouchesBox(cell: string, [west, south, east, north]: Bbox): boolean {
  let ring = cellToBoundary(cell, true).slice(0, -1) as Array<[number, number]>;
  const edges: Array<[inside: (p: [number, number]) => boolean, cut: (a: [number, number], b: [number, number]) => [number, number]]> = [
    [(p) => p[0] >= west, (a, b) => [west, a[1] + ((b[1] - a[1]) * (west - a[0])) / (b[0] - a[0])]],
    [(p) => p[0] <= east, (a, b) => [east, a[1] + ((b[1] - a[1]) * (east - a[0])) / (b[0] - a[0])]],
    [(p) => p[1] >= south, (a, b) => [a[0] + ((b[0] - a[0]) * (south - a[1])) / (b[1] - a[1]), south]],
    [(p) => p[1] <= north, (a, b) => [a[0] + ((b[0] - a[0]) * (north - a[1])) / (b[1] - a[1]), north]],
  ];
  for (const [inside, cut] of edges) {
    const out: Array<[number, number]> = [];
    ring.forEach((current, k) => {
      const previous = ring[(k + ring.length - 1) % ring.length]!;
      if (inside(current)) {
        if (!inside(previous)) out.push(cut(previous, current));
        out.push(current);
      } else if (inside(previous)) out.push(cut(previous, current));
    });
    ring = out;
    if (!ring.length) return false;
  }
  return true;
}

function expectedHexbins(rows: IncidentInput[], f: Filters, resolution: number, visible: number[] | null, bbox?: Bbox) {
  const cells = new Map<string, Expected>();
  for (const i of rows) {
    if (!matches(i, f, visible, NOW)) continue;
    // the hexagon that contains the point at this resolution (as every H3 tool counts)
    const cell = latLngToCell(i.lat, i.lng, resolution);
    const e = cells.get(cell) ?? { count: 0, weighted: 0, open: 0, closed: 0, overdue: 0, ai: 0, pending: 0 };
    e.count++;
    e.weighted += SEVERITY_WEIGHT[i.severity];
    const final = i.status === 'closed' || i.status === 'dismissed';
    if (final) e.closed++;
    else e.open++;
    if (!final && i.dueAt && i.dueAt < NOW) e.overdue++;
    if (i.review !== null && i.review !== undefined) e.ai++;
    if (i.review === 'pending') e.pending++;
    cells.set(cell, e);
  }
  if (bbox) for (const cell of [...cells.keys()]) if (!hexagonTouchesBox(cell, bbox)) cells.delete(cell);
  return cells;
}

function randomFilters(r: ReturnType<typeof prng>, storeIds: number[], cityIds: number[]): Filters {
  const f: Filters = {};
  if (r.chance(0.4)) {
    const a = NOW.getTime() - r.next() * 800 * 86_400_000;
    const b = a + r.next() * 400 * 86_400_000;
    if (r.chance(0.7)) f.from = new Date(a).toISOString();
    if (r.chance(0.7)) f.to = new Date(b).toISOString();
  }
  if (r.chance(0.3)) f.kinds = r.subset(KINDS);
  if (r.chance(0.3)) f.categories = r.subset(CATEGORIES);
  if (r.chance(0.3)) f.severities = r.subset([1, 2, 3, 4]);
  if (r.chance(0.3)) f.statuses = r.subset(STATUSES);
  if (r.chance(0.2)) f.review = r.subset(REVIEW_STATES);
  if (r.chance(0.3)) f.storeIds = r.subset(storeIds);
  if (r.chance(0.3)) f.cityIds = r.subset(cityIds);
  if (r.chance(0.2)) f.overdueOnly = true;
  if (r.chance(0.15)) f.q = r.chance(0.5) ? r.pick(WORDS).split(' ')[0]! : `R-${r.int(1, 50)}`;
  return f;
}

describe.each(engines())('hexbins on $engine', ({ open }) => {
  let store: IncidentStore;
  let rows: IncidentInput[];
  let storeIds: number[];
  let cityIds: number[];
  let managerOfFirst: User;

  beforeAll(async () => {
    store = await open();
    const { fuzhou, utc, fz1, fz2, utc1 } = await seedPlaces(store);
    storeIds = [fz1.id, fz2.id, utc1.id];
    cityIds = [fuzhou.id, utc.id];
    managerOfFirst = user('store_manager', [fz1.id]);
    rows = randomIncidents(
      4000,
      [
        { cityId: fuzhou.id, storeId: fz1.id, lat: fz1.lat, lng: fz1.lng },
        { cityId: fuzhou.id, storeId: fz2.id, lat: fz2.lat, lng: fz2.lng },
        { cityId: fuzhou.id, storeId: null, lat: 26.1, lng: 119.35 },
        { cityId: utc.id, storeId: utc1.id, lat: utc1.lat, lng: utc1.lng },
      ],
      NOW,
    );
    const writer = await store.openIncidentWriter();
    await writer.write(rows);
    await writer.commit();
  });
  afterAll(async () => {
    await store.close();
  });

  it('equals h3-js over the raw rows, cell by cell, for hundreds of random filters, resolutions and boxes', async () => {
    const r = prng(99);
    let nonEmpty = 0;
    let mixedReview = 0; // answers with a cell whose AI detections are partly awaiting review
    for (let k = 0; k < 200; k++) {
      const resolution = r.int(5, 11);
      const filters = randomFilters(r, storeIds, cityIds);
      const asManager = r.chance(0.25);
      let bbox: Bbox | undefined;
      if (r.chance(0.4)) {
        const [lat, lng] = r.chance(0.8) ? [26.07, 119.3] : [51.48, 0];
        const half = 0.005 + r.next() * 0.08;
        // a valid box (west < east, south < north: the API refuses others), off-centre
        bbox = [lng - half + (r.next() - 0.5) * half, lat - half, lng + half, lat + half + (r.next() - 0.5) * half];
      }
      const expected = expectedHexbins(rows, filters, resolution, asManager ? managerOfFirst.storeIds : null, bbox);
      const got = await store.hexbins({ resolution, filters, bbox, now: NOW }, asManager ? { all: false, storeIds: managerOfFirst.storeIds } : { all: true });
      const actual = new Map(got.cells.map((c, j) => [c, { count: got.count[j]!, weighted: got.weighted[j]!, open: got.open[j]!, closed: got.closed[j]!, overdue: got.overdue[j]!, ai: got.ai[j]!, pending: got.pending[j]! }]));
      expect(actual, JSON.stringify({ k, resolution, filters, bbox, asManager })).toEqual(expected);
      expect(got.total).toBe([...expected.values()].reduce((s, e) => s + e.count, 0));
      expect(got.max).toBe(Math.max(0, ...[...expected.values()].map((e) => e.count)));
      expect([...got.cells]).toEqual([...got.cells].sort((a, b) => (BigInt(`0x${a}`) < BigInt(`0x${b}`) ? -1 : 1)));
      if (got.cells.length) nonEmpty++;
      if (got.pending.some((p, j) => p > 0 && p < got.ai[j]!)) mixedReview++;

      // the incident list of a cell totals the cell's count, for the same filters
      for (let c = 0; c < 2 && got.cells.length; c++) {
        const j = r.int(0, got.cells.length - 1);
        const page = await store.listIncidents(
          { filters, cell: got.cells[j]!, sort: r.pick(['newest', 'severity', 'overdue'] as const), limit: 5, now: NOW },
          asManager ? { all: false, storeIds: managerOfFirst.storeIds } : { all: true },
        );
        expect(page.total).toBe(got.count[j]);
        for (const item of page.items) expect(latLngToCell(item.lat, item.lng, resolution)).toBe(got.cells[j]);
      }
    }
    expect(nonEmpty).toBeGreaterThan(100); // the random filters must not be vacuous
    expect(mixedReview).toBeGreaterThan(50);
  });

  it('returns a cell that only touches the box (its centre outside) with its full counts', async () => {
    const all = expectedHexbins(rows, {}, 9, null);
    const [cell, full] = [...all.entries()].sort((a, b) => b[1].count - a[1].count)[0]!;
    const [vertexLat, vertexLng] = cellToBoundary(cell)[0]!;
    const d = 0.0001; // about 10 m around one corner of the hexagon
    const bbox: Bbox = [vertexLng - d, vertexLat - d, vertexLng + d, vertexLat + d];
    const [centreLat, centreLng] = cellToLatLng(cell);
    expect(centreLng < bbox[0] || centreLng > bbox[2] || centreLat < bbox[1] || centreLat > bbox[3]).toBe(true);
    const got = await store.hexbins({ resolution: 9, filters: {}, bbox, now: NOW }, { all: true });
    const j = got.cells.indexOf(cell);
    expect(j).toBeGreaterThanOrEqual(0);
    expect(got.count[j]).toBe(full.count);
    expect(got.weighted[j]).toBe(full.weighted);
    // three hexagons meet at a corner: no more than those are returned
    expect(got.cells.length).toBeLessThanOrEqual(3);
  });

  it('pages a cell through every sort order with the keyset cursor: no gaps, no repeats, in order', async () => {
    const busiest = await store.hexbins({ resolution: 8, filters: {}, now: NOW }, { all: true });
    const j = busiest.count.indexOf(busiest.max);
    for (const sort of ['newest', 'severity', 'overdue'] as const) {
      const seen: number[] = [];
      const pages: Awaited<ReturnType<IncidentStore['listIncidents']>>['items'] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listIncidents({ filters: {}, cell: busiest.cells[j]!, sort, limit: 7, cursor, now: NOW }, { all: true });
        expect(page.total).toBe(busiest.max);
        seen.push(...page.items.map((i) => i.id));
        pages.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen.length).toBe(busiest.max);
      expect(new Set(seen).size).toBe(seen.length);
      for (let k = 1; k < pages.length; k++) {
        const [a, b] = [pages[k - 1]!, pages[k]!];
        if (sort === 'newest') expect(a.occurredAt >= b.occurredAt).toBe(true);
        if (sort === 'severity') expect(a.severity >= b.severity).toBe(true);
        if (sort === 'overdue') expect(Number(a.overdue) >= Number(b.overdue)).toBe(true);
      }
    }
  });

  it("never gives a store manager another store's incidents", async () => {
    const manager = callerFor(store, managerOfFirst);
    const mine = await manager.map.hexbins({ resolution: 11 });
    const everything = expectedHexbins(rows, {}, 11, null);
    const onlyMine = expectedHexbins(rows, {}, 11, managerOfFirst.storeIds);
    expect(mine.total).toBe([...onlyMine.values()].reduce((s, e) => s + e.count, 0));
    expect(mine.total).toBeLessThan([...everything.values()].reduce((s, e) => s + e.count, 0));
    // asking for another store's incidents explicitly gives nothing
    const other = await manager.map.hexbins({ resolution: 9, filters: { storeIds: storeIds.slice(1) } });
    expect(other.total).toBe(0);
    const list = await manager.incidents.list({ filters: { storeIds }, limit: 200 });
    expect(list.items.every((i) => i.storeId === managerOfFirst.storeIds[0])).toBe(true);
    const foreign = rows.findIndex((i) => i.storeId !== managerOfFirst.storeIds[0]);
    await expect(manager.incidents.byId({ id: foreign + 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it.each([
    ['resolution 4', { resolution: 4 }, /resolution/],
    ['resolution 12', { resolution: 12 }, /resolution/],
    ['an inverted box', { resolution: 8, bbox: [119.4, 26.0, 119.2, 26.1] }, /bbox.*west must be less than east/],
    ['a box with south above north', { resolution: 8, bbox: [119.2, 26.1, 119.4, 26.0] }, /bbox.*south/],
    ['from after to', { resolution: 8, filters: { from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' } }, /filters\.from: must not be after/],
    ['10,000 store ids', { resolution: 8, filters: { storeIds: Array.from({ length: 10_000 }, (_, k) => k + 1) } }, /filters\.storeIds/],
    ['an unknown key', { resolution: 8, colour: 'red' }, /colour|unrecognized/i],
    ['a bad timestamp', { resolution: 8, filters: { from: 'yesterday' } }, /filters\.from: must be an ISO timestamp/],
  ])('map.hexbins answers BAD_REQUEST naming the field for %s', async (_label, input, message) => {
    const analyst = callerFor(store, user('analyst'));
    const error = await analyst.map.hexbins(input as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    ['a malformed cell id', { cell: 'not-a-cell' }, /cell/],
    ['a cell id that is not a valid H3 cell', { cell: 'ffffffffffffffff'.slice(0, 15) }, /cell: .* not a valid H3 cell/],
    ['a cell coarser than resolution 5', { cell: latLngToCell(26.07, 119.3, 4) }, /cell: resolution 4 is outside 5..11/],
    ['a forged cursor', { cursor: 'bm90LWpzb24' }, /cursor/],
    ['a cursor of another sort', { cursor: Buffer.from('[1]').toString('base64url') }, /cursor/],
    ['limit 201', { limit: 201 }, /limit/],
  ])('incidents.list answers BAD_REQUEST naming the field for %s', async (_label, input, message) => {
    const analyst = callerFor(store, user('analyst'));
    const error = await analyst.incidents.list(input as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    expect((error as Error).message).toMatch(message);
  });

  it('refuses signed-out callers', async () => {
    await expect(callerFor(store, null).map.hexbins({ resolution: 8 })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(callerFor(store, null).incidents.list({})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(callerFor(store, null).stores.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

const HK_FILE = new URL('../../../shared/data/hk-accidents/hk_accidents_2014_2019.csv.gz', import.meta.url).pathname;

/** The located accidents of the Hong Kong file, read here without the importer. */
function hongKongPoints(): Array<[lat: number, lng: number]> {
  const records = parse<Record<string, string>>(gunzipSync(readFileSync(HK_FILE)), { columns: true });
  return records.filter((r) => r.latitude !== '' && r.longitude !== '').map((r) => [Number(r.latitude), Number(r.longitude)]);
}

describe.each(engines())('hexbins of the real Hong Kong file on $engine', ({ open }) => {
  let store: IncidentStore;
  const points = hongKongPoints();
  /** h3-js over the file's points: cell -> count, per resolution. */
  const expected = (resolution: number, bbox?: Bbox) => {
    const counts = new Map<string, number>();
    for (const [lat, lng] of points) {
      const cell = latLngToCell(lat, lng, resolution);
      counts.set(cell, (counts.get(cell) ?? 0) + 1);
    }
    if (bbox) for (const cell of [...counts.keys()]) if (!hexagonTouchesBox(cell, bbox)) counts.delete(cell);
    return counts;
  };

  beforeAll(async () => {
    store = await open();
    const report = await importFile(store, { profile: 'hk-td', file: HK_FILE, batchSize: 10_000 });
    expect(report.imported).toBe(89_828);
  }, 240_000);
  afterAll(async () => {
    await store?.close();
  });

  it.each([5, 6, 7, 8, 9, 10, 11])('counts every accident in the hexagon latLngToCell gives at resolution %i: 0 cells differ', async (resolution) => {
    const want = expected(resolution);
    const got = await store.hexbins({ resolution, filters: {}, now: NOW }, { all: true });
    const have = new Map(got.cells.map((c, j) => [c, got.count[j]!]));
    const differing = new Set([...want.keys(), ...have.keys()].filter((c) => want.get(c) !== have.get(c)));
    expect(differing.size).toBe(0);
    expect(got.total).toBe(points.length);
  });

  it.each([7, 8, 9, 10, 11])('lists under a clicked resolution-%i hexagon exactly the accidents inside it', async (resolution) => {
    const want = [...expected(resolution).entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    // the busiest cells and a spread of quieter ones
    const sample = [...want.slice(0, 3), ...want.filter((_, k) => k % Math.ceil(want.length / 5) === 1)];
    for (const [cell, count] of sample) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listIncidents({ filters: {}, cell, sort: 'newest', limit: 200, cursor, now: NOW }, { all: true });
        expect(page.total).toBe(count);
        seen.push(...page.items.map((i) => latLngToCell(i.lat, i.lng, resolution)));
        cursor = page.nextCursor ?? undefined;
      } while (cursor && seen.length < 1000);
      expect(new Set(seen)).toEqual(new Set([cell]));
    }
  });

  it('returns, for boxes over Hong Kong, exactly the hexagons that touch the box with their full counts', async () => {
    const r = prng(12);
    for (let k = 0; k < 20; k++) {
      const resolution = r.int(7, 11);
      const [lat, lng] = [22.28 + r.next() * 0.12, 114.1 + r.next() * 0.15];
      const half = 0.001 + r.next() * 0.02;
      const bbox: Bbox = [lng - half, lat - half * 0.8, lng + half, lat + half];
      const whole = expected(resolution);
      const want = expected(resolution, bbox);
      const got = await store.hexbins({ resolution, filters: {}, bbox, now: NOW }, { all: true });
      expect(new Map(got.cells.map((c, j) => [c, got.count[j]!])), JSON.stringify({ k, resolution, bbox })).toEqual(want);
      for (const cell of want.keys()) expect(want.get(cell)).toBe(whole.get(cell));
    }
  });
});
