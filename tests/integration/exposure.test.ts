/**
 * Exposure on both engines: `POST /api/v1/exposure` over real HTTP (key, whole-batch refusal,
 * replace on re-send, size limit), the `deliveries` import profile (a file with a bad row is
 * refused whole), and the store ranking per 1,000 deliveries smoothed by empirical Bayes.
 * The smoothed values are SciPy's (Nelder-Mead on the negative-binomial likelihood), not the code's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../data/demo/seed.js';
import { ImportError, importFile } from '../../server/ingest/import-file.js';
import type { IncidentInput, IncidentStore, StoreRecord } from '../../server/store/types.js';
import { callerFor, user } from '../support/caller.js';
import { engines } from '../support/engines.js';
import { incident, seedPlaces } from '../support/fixtures.js';
import { serverEngines } from '../support/ingest-client.js';
import type { TestServer } from '../support/test-server.js';

function postExposure(baseUrl: string, key: string | null, body: unknown) {
  return fetch(`${baseUrl}/api/v1/exposure`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
}

describe.each(serverEngines())('exposure API on $engine', ({ start }) => {
  let server: TestServer;
  let key: string;
  let places: Awaited<ReturnType<typeof seedPlaces>>;
  const stored = async () => server.store.exposure.storeDeliveries({ fromDay: '2024-01-01', toDay: '2024-12-31' }, { all: true });

  beforeAll(async () => {
    server = await start({ INGEST_RATE_PER_MINUTE: '1000' });
    places = await seedPlaces(server.store);
    key = (await server.store.security.createApiKey('dispatch system', 'test-admin')).key;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses a request without a valid key', async () => {
    const res = await postExposure(server.url, null, { exposure: [{ storeCode: 'FZ-001', date: '2024-05-01', deliveries: 10 }] });
    expect(res.status).toBe(401);
    expect(await stored()).toEqual([]);
  });

  it('stores a batch, and a re-sent day replaces its deliveries', async () => {
    const batch = {
      exposure: [
        { storeCode: 'FZ-001', date: '2024-05-01', deliveries: 400 },
        { storeCode: 'FZ-001', date: '2024-05-02', deliveries: 380 },
        { storeCode: 'FZ-002', date: '2024-05-01', deliveries: 120, cell: '8941aa0ab0bffff' },
        { storeCode: 'FZ-002', date: '2024-05-01', deliveries: 30, cell: '8941aa0ab0fffff' },
      ],
    };
    const res = await postExposure(server.url, key, batch);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 4, written: 4 });
    expect(await stored()).toEqual([
      { storeId: places.fz1.id, deliveries: 780, days: 2 },
      { storeId: places.fz2.id, deliveries: 150, days: 1 },
    ]);
    // a whole-store row for a day with cell rows wins over their sum; a re-sent day replaces
    const again = await postExposure(server.url, key, {
      exposure: [
        { storeCode: 'FZ-001', date: '2024-05-02', deliveries: 390 },
        { storeCode: 'FZ-002', date: '2024-05-01', deliveries: 200 },
      ],
    });
    expect(again.status).toBe(200);
    expect(await stored()).toEqual([
      { storeId: places.fz1.id, deliveries: 790, days: 2 },
      { storeId: places.fz2.id, deliveries: 200, days: 1 },
    ]);
  });

  it('refuses a batch with any bad record whole, naming each record and field', async () => {
    const before = await stored();
    const tomorrowPlus2 = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const res = await postExposure(server.url, key, {
      exposure: [
        { storeCode: 'FZ-001', date: '2024-06-01', deliveries: 500 }, // fine on its own
        { storeCode: 'NOPE', date: '2024-06-01', deliveries: 5 },
        { storeCode: 'FZ-001', date: '2024-02-30', deliveries: 5 },
        { storeCode: 'FZ-001', date: tomorrowPlus2, deliveries: 5 },
        { storeCode: 'FZ-001', date: '2024-06-02', deliveries: -1 },
        { storeCode: 'FZ-001', date: '2024-06-03', deliveries: 2.5 },
        { storeCode: 'FZ-001', date: '2024-06-04', deliveries: 5, cell: 'abc' },
        { storeCode: 'FZ-001', date: '2024-06-05', deliveries: 5, extra: true },
        { storeCode: 'FZ-001', date: '2024-06-01', deliveries: 7 },
      ],
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: string; errors: Array<{ index: number; field: string; message: string }> };
    expect(body.error).toMatch(/^8 of 9 records are invalid; nothing was stored/);
    const fieldOf = (index: number) => body.errors.filter((e) => e.index === index).map((e) => e.field);
    expect(fieldOf(0)).toEqual([]);
    expect(fieldOf(1)).toEqual(['storeCode']);
    expect(fieldOf(2)).toEqual(['date']);
    expect(fieldOf(3)).toEqual(['date']);
    expect(body.errors.find((e) => e.index === 3)!.message).toMatch(/future/);
    expect(fieldOf(4)).toEqual(['deliveries']);
    expect(fieldOf(5)).toEqual(['deliveries']);
    expect(fieldOf(6)).toEqual(['cell']);
    expect(fieldOf(7)).toEqual(['extra']);
    expect(body.errors.find((e) => e.index === 8)!.message).toMatch(/repeats record 0/);
    expect(await stored()).toEqual(before);
  });

  it('is described in the OpenAPI document with its record schema', async () => {
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, { post: { responses: Record<string, unknown> } }>;
      components: { schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }> };
    };
    expect(Object.keys(doc.paths['/exposure']!.post.responses)).toEqual(expect.arrayContaining(['200', '401', '413', '422', '429']));
    expect(doc.components.schemas.ExposureRecord!.required).toEqual(['storeCode', 'date', 'deliveries']);
  });

  it('refuses more than 5,000 records with 413 and an empty batch with 422', async () => {
    const many = Array.from({ length: 5001 }, (_, k) => ({ storeCode: 'FZ-001', date: '2024-07-01', deliveries: k }));
    expect((await postExposure(server.url, key, { exposure: many })).status).toBe(413);
    expect((await postExposure(server.url, key, { exposure: [] })).status).toBe(422);
    expect((await postExposure(server.url, key, { records: [] })).status).toBe(422);
  });
});

describe.each(engines())('deliveries import and ranking per delivery on $engine', ({ open }) => {
  let store: IncidentStore;
  let places: Awaited<ReturnType<typeof seedPlaces>>;
  let dir: string;
  let extra: StoreRecord[];

  beforeAll(async () => {
    store = await open();
    places = await seedPlaces(store);
    dir = mkdtempSync(join(tmpdir(), 'hexwatch-exposure-'));
    extra = await store.upsertStores(
      ['TINY', 'ORD-1', 'ORD-2', 'ORD-3'].map((code, k) => ({ code, name: code, cityId: places.fuzhou.id, lat: 26.06 + k * 0.01, lng: 119.27, radiusM: 3000 })),
    );
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a good deliveries file and refuses a file with one bad row whole', async () => {
    const good = join(dir, 'good.csv');
    writeFileSync(good, 'store_code,date,deliveries,cell\nFZ-001,2023-01-01,10,\nFZ-001,2023-01-02,12,\nUT-001,2023-01-01,4,8941aa0ab0bffff\n');
    const report = await importFile(store, { profile: 'deliveries', file: good });
    expect(report).toMatchObject({ profile: 'deliveries', rowsRead: 3, imported: 3, rejectedCount: 0 });
    const q = { fromDay: '2023-01-01', toDay: '2023-01-31' };
    const before = await store.exposure.storeDeliveries(q, { all: true });
    expect(before).toEqual([
      { storeId: places.fz1.id, deliveries: 22, days: 2 },
      { storeId: places.utc1.id, deliveries: 4, days: 1 },
    ]);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'store_code,date,deliveries\nFZ-001,2023-01-03,10\nFZ-001,2023-01-04,lots\nFZ-001,2023-01-03,11\n');
    const refused = importFile(store, { profile: 'deliveries', file: bad });
    await expect(refused).rejects.toBeInstanceOf(ImportError);
    await expect(refused).rejects.toThrow(/2 of 3 rows are invalid, so nothing was imported \(row 2: deliveries: is not a whole number.*row 3: date: repeats row 1/);
    const header = join(dir, 'header.csv');
    writeFileSync(header, 'store,date,deliveries\nFZ-001,2023-01-05,1\n');
    await expect(importFile(store, { profile: 'deliveries', file: header })).rejects.toThrow(/missing required column store_code/);
    expect(await store.exposure.storeDeliveries(q, { all: true })).toEqual(before);
  });

  it('ranks a busy store with a high rate above a 3-delivery store with 1 accident, raw rate beside', async () => {
    // March 2024 in Fuzhou (UTC+8): 30 days 03-01 .. 03-30
    const from = Date.parse('2024-03-01T00:00:00+08:00');
    const to = Date.parse('2024-03-31T00:00:00+08:00');
    const [tiny, ord1, ord2, ord3] = extra as [StoreRecord, StoreRecord, StoreRecord, StoreRecord];
    const days = Array.from({ length: 30 }, (_, k) => `2024-03-${String(k + 1).padStart(2, '0')}`);
    const perDay: Array<[StoreRecord, (k: number) => number]> = [
      [places.fz1, () => 667], // 20,010 deliveries
      [tiny, (k) => (k < 3 ? 1 : 0)], // 3 deliveries
      [ord1, () => 333],
      [ord2, () => 333],
      [ord3, () => 333],
    ];
    await store.exposure.write(
      perDay.flatMap(([s, n]) => days.map((day, k) => ({ storeId: s.id, day, cell: null, deliveries: n(k) }))),
      new Date(),
    );
    const rows: IncidentInput[] = [];
    const plant = (s: StoreRecord, n: number) => {
      for (let k = 0; k < n; k++) {
        rows.push(incident({ externalId: `r-${s.code}-${k}`, cityId: places.fuzhou.id, storeId: s.id, lat: s.lat, lng: s.lng, occurredAt: new Date(from + ((k + 0.5) * (to - from)) / n), events: [] }));
      }
    };
    plant(places.fz1, 60);
    plant(tiny, 1);
    plant(ord1, 10);
    plant(ord2, 12);
    plant(ord3, 8);
    plant(places.fz2, 5); // no exposure at all
    const writer = await store.openIncidentWriter();
    await writer.write(rows);
    await writer.commit();

    const ranking = await callerFor(store, user('analyst')).stats.storeRanking({
      filters: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      sort: 'per1000Smoothed',
    });
    const codes = ranking.rows.map((r) => r.code);
    expect(codes).toEqual(['FZ-001', 'TINY', 'ORD-2', 'ORD-1', 'ORD-3', 'FZ-002']);
    const byCode = new Map(ranking.rows.map((r) => [r.code, r]));
    expect(byCode.get('TINY')!.per1000).toBeCloseTo(1000 / 3, 9);
    expect(byCode.get('FZ-001')!.per1000).toBeCloseTo(60 / 20.01, 9);
    expect(byCode.get('TINY')!.per1000!).toBeGreaterThan(byCode.get('FZ-001')!.per1000!);
    // SciPy's fit of the same five stores
    expect(byCode.get('FZ-001')!.per1000Smoothed).toBeCloseTo(2.8523630242489233, 3);
    expect(byCode.get('TINY')!.per1000Smoothed).toBeCloseTo(2.0671709822123883, 3);
    expect(byCode.get('ORD-1')!.per1000Smoothed).toBeCloseTo(1.1317322159844507, 3);
    expect(byCode.get('FZ-001')!.deliveries).toBe(20_010);
    expect(byCode.get('FZ-002')).toMatchObject({ deliveries: null, per1000: null, per1000Smoothed: null, incidents: 5 });
    expect(ranking.withExposure).toBe(5);
    // a store manager sees their store's rate, fitted over the stores of their scope only
    const mine = await callerFor(store, user('store_manager', [tiny.id])).stats.storeRanking({
      filters: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      sort: 'per1000Smoothed',
    });
    expect(mine.rows.map((r) => r.code)).toEqual(['TINY']);
  });
});

describe.each(engines())('demo exposure on $engine', ({ open }) => {
  let store: IncidentStore;
  const NOW = new Date('2024-06-15T04:00:00Z');

  beforeAll(async () => {
    store = await open();
    await seedDemo(store, { size: 'small', seed: 1, now: NOW });
  });
  afterAll(async () => {
    await store.close();
  });

  it('gives every store deliveries on every day, with volumes that differ several-fold', async () => {
    const stores = await store.listStores({ all: true });
    // the 30 local days 2024-05-16 .. 2024-06-14 (Beijing time) before the demo's now
    const month = await store.exposure.storeDeliveries({ fromDay: '2024-05-16', toDay: '2024-06-14' }, { all: true });
    expect(month.map((m) => m.storeId).sort((a, b) => a - b)).toEqual(stores.map((s) => s.id).sort((a, b) => a - b));
    for (const m of month) expect(m.days).toBe(30);
    const volumes = month.map((m) => m.deliveries).sort((a, b) => a - b);
    expect(volumes.at(-1)! / volumes[0]!).toBeGreaterThan(4);
    const ranking = await callerFor(store, user('analyst')).stats.storeRanking({
      filters: { from: '2024-05-16T00:00:00+08:00', to: '2024-06-15T00:00:00+08:00' },
      sort: 'per1000Smoothed',
      limit: 500,
    });
    expect(ranking.withExposure).toBe(ranking.rows.length);
    // plausible: a few incidents per 1,000 deliveries across the demo
    const incidents = ranking.rows.reduce((s, r) => s + r.incidents, 0);
    const deliveries = ranking.rows.reduce((s, r) => s + r.deliveries!, 0);
    expect((1000 * incidents) / deliveries).toBeGreaterThan(0.5);
    expect((1000 * incidents) / deliveries).toBeLessThan(10);
  });
});
