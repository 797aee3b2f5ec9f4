/**
 * The exports over real HTTP: the CSV of the real Hong Kong import has one row per
 * imported accident, with a BOM and a header; Chinese and awkward text round-trips through CSV
 * quoting; a store manager's CSV and GeoJSON hold only their stores' incidents; the GeoJSON
 * cells and counts equal map.hexbins, rings closed in [lng, lat] order; bad input is 400 naming
 * the field and a signed-out caller gets 401.
 */
import { parse } from 'csv-parse/sync';
import { latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_CSV_COLUMNS, localTimeFormatter } from '../../server/api/export.js';
import { decodeHexbins } from '../../server/domain/hexbin-wire.js';
import { importFile } from '../../server/ingest/import-file.js';
import type { City, IncidentInput } from '../../server/store/types.js';
import { incident, seedPlaces } from '../support/fixtures.js';
import { httpClient, startTestServer } from '../support/test-server.js';
import type { TestServer } from '../support/test-server.js';

const HK_FILE = new URL('../../../shared/data/hk-accidents/hk_accidents_2014_2019.csv.gz', import.meta.url).pathname;
/** Rows of the file with coordinates (tests/integration/import-hk.test.ts checks it against the file). */
const HK_IMPORTED = 89_828;

const CHINESE = '逆行闯红灯，骑手说："赶时间"\n第二行：鼓楼区五一路' + ' 逆行'.repeat(60);
const FORMULA = '=HYPERLINK("http://evil.example","click")';

type Client = ReturnType<typeof httpClient>;

interface CsvExport {
  status: number;
  headers: Headers;
  bytes: Buffer;
  rows: Record<string, string>[];
  header: string[];
}

async function csvExport(client: Client, filters?: unknown): Promise<CsvExport> {
  const query = filters === undefined ? '' : `?filters=${encodeURIComponent(JSON.stringify(filters))}`;
  const res = await client.call(`/api/v1/export/incidents.csv${query}`);
  // Bytes, not res.text(): the fetch text decoder drops a leading BOM, and the BOM is under test.
  const bytes = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`${res.status} ${bytes.toString('utf8')}`);
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- csv-parse's typed overload wants `columns` when given a type argument
  const records = parse(bytes, { bom: true }) as string[][];
  const header = records[0]!;
  const rows = records.slice(1).map((r) => Object.fromEntries(header.map((h, k) => [h, r[k]!])));
  return { status: res.status, headers: res.headers, bytes, rows, header };
}

interface GeoJson {
  type: string;
  features: Array<{
    type: string;
    geometry: { type: string; coordinates: Array<Array<[number, number]>> };
    properties: { cell: string; count: number; weighted: number; open: number; closed: number; overdue: number; share_closed: number };
  }>;
}

async function geoJsonExport(client: Client, resolution: number, filters?: unknown): Promise<GeoJson> {
  const f = filters === undefined ? '' : `&filters=${encodeURIComponent(JSON.stringify(filters))}`;
  const res = await client.call(`/api/v1/export/hexbins.geojson?resolution=${resolution}${f}`);
  expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
  return (await res.json()) as GeoJson;
}

async function trpcData(res: Response) {
  const body = await res.json();
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body.error)}`);
  return body.result.data;
}

describe('occurred_local', () => {
  it('agrees with Intl minute by minute across DST changes (its per-day offset cache is no shortcut)', () => {
    for (const tz of ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Shanghai']) {
      const intl = new Intl.DateTimeFormat('sv-SE', { timeZone: tz, dateStyle: 'short', timeStyle: 'short' });
      const local = localTimeFormatter(tz);
      // 2024 in steps of 17 min 13 s: every day, every hour of the day, both DST changes
      for (let ms = Date.UTC(2024, 0, 1); ms < Date.UTC(2025, 0, 1); ms += 1_033_000) {
        expect(local(new Date(ms)), `${tz} ${new Date(ms).toISOString()}`).toBe(intl.format(ms));
      }
    }
  });
});

describe('exports over HTTP', () => {
  let server: TestServer;
  let hk: City;
  let fuzhouId: number;
  let ownStoreId: number;
  let otherStoreId: number;
  /** Incident ids of the manager's store and of the other store, from the store itself. */
  let ownIds: number[];
  let otherIds: number[];
  let analyst: Client;
  let manager: Client;

  beforeAll(async () => {
    server = await startTestServer({ demo: 'none' });
    const store = server.store;
    const report = await importFile(store, { profile: 'hk-td', file: HK_FILE, batchSize: 10_000 });
    expect(report.imported).toBe(HK_IMPORTED);
    hk = (await store.listCities()).find((c) => c.key === 'hong-kong')!;

    const places = await seedPlaces(store);
    fuzhouId = places.fuzhou.id;
    ownStoreId = places.fz1.id;
    otherStoreId = places.fz2.id;
    const base = { cityId: fuzhouId, occurredAt: new Date('2025-05-01T01:00:00Z') };
    const rows: IncidentInput[] = [
      incident({ ...base, storeId: ownStoreId, externalId: 'exp-zh', description: CHINESE, lat: 26.081, lng: 119.291 }),
      incident({ ...base, storeId: ownStoreId, externalId: 'exp-formula', description: FORMULA, lat: 26.082, lng: 119.292 }),
      incident({ ...base, storeId: ownStoreId, externalId: 'exp-closed', status: 'closed', closedAt: base.occurredAt, resolution: 'rider_coached', lat: 26.083, lng: 119.29 }),
      incident({ ...base, storeId: otherStoreId, externalId: 'exp-other-1', description: 'other store', lat: 26.051, lng: 119.311 }),
      incident({ ...base, storeId: otherStoreId, externalId: 'exp-other-2', description: 'other store', lat: 26.052, lng: 119.312 }),
      incident({ ...base, storeId: null, externalId: 'exp-nostore', description: 'no store', lat: 26.06, lng: 119.3 }),
    ];
    const writer = await store.openIncidentWriter();
    await writer.write(rows);
    await writer.commit();
    const idOf = async (externalId: string) => (await store.incidentBySourceKey('manual', externalId, { all: true }))!.id;
    ownIds = await Promise.all(['exp-zh', 'exp-formula', 'exp-closed'].map(idOf));
    otherIds = await Promise.all(['exp-other-1', 'exp-other-2', 'exp-nostore'].map(idOf));

    await store.upsertUsers([
      { id: 'demo-export-analyst', name: 'Export Analyst', role: 'analyst', storeIds: [] },
      { id: 'demo-export-manager', name: 'Export Manager', role: 'store_manager', storeIds: [ownStoreId] },
    ]);
    analyst = httpClient(server.url);
    await trpcData(await analyst.mutate('auth.devLogin', { userId: 'demo-export-analyst' }));
    manager = httpClient(server.url);
    await trpcData(await manager.mutate('auth.devLogin', { userId: 'demo-export-manager' }));
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('exports every imported Hong Kong accident as CSV with a BOM, a header and the date in the file name', async () => {
    const out = await csvExport(analyst, { cityIds: [hk.id] });
    expect([...out.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(out.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(out.headers.get('content-disposition')).toBe(
      `attachment; filename="hexwatch-incidents-${server.env.clock.now().toISOString().slice(0, 10)}.csv"`,
    );
    expect(out.header).toEqual([...INCIDENT_CSV_COLUMNS]);
    expect(out.rows).toHaveLength(HK_IMPORTED);
    expect(new Set(out.rows.map((r) => r.id)).size).toBe(HK_IMPORTED); // no page boundary repeats a row
    expect(new Set(out.rows.map((r) => r.city))).toEqual(new Set([hk.name]));
    const times = out.rows.map((r) => Date.parse(r.occurred_at!));
    expect(times.every((t, k) => k === 0 || t <= times[k - 1]!)).toBe(true); // newest first, across pages
    // hk-td-1 in the file: 2014-01-01T02:17:00+08:00, Serious, 22.28808, 114.220667
    const first = out.rows.find((r) => r.occurred_at === '2013-12-31T18:17:00.000Z' && r.lat === '22.28808');
    expect(first).toMatchObject({
      occurred_local: '2014-01-01 02:17',
      kind: 'accident',
      severity: '3',
      lat: '22.28808',
      lng: '114.220667',
      store_code: '',
      overdue: 'false',
    });
    expect(first!.cell).toBe(latLngToCell(22.28808, 114.220667, 11));
  });

  it('keeps Chinese, quotes, commas and line breaks intact and defuses spreadsheet formulas', async () => {
    const out = await csvExport(analyst, { cityIds: [fuzhouId] });
    expect(out.rows).toHaveLength(ownIds.length + otherIds.length);
    const byId = new Map(out.rows.map((r) => [Number(r.id), r]));
    expect(byId.get(ownIds[0]!)).toMatchObject({ description: CHINESE, city: 'Fuzhou', store_code: 'FZ-001', status: 'open' });
    expect(byId.get(ownIds[1]!)!.description).toBe(`'${FORMULA}`);
    expect(byId.get(otherIds[2]!)!.store_code).toBe('');
    // Excel needs the BOM to read UTF-8: without it the Chinese bytes would be shown as mojibake
    expect(out.bytes.subarray(0, 3).toString('hex')).toBe('efbbbf');
  });

  it("gives a store manager only their stores' incidents, in the CSV and the GeoJSON", async () => {
    const all = await csvExport(manager);
    expect(all.rows.map((r) => Number(r.id)).sort((a, b) => a - b)).toEqual([...ownIds].sort((a, b) => a - b));
    expect(new Set(all.rows.map((r) => r.store_code))).toEqual(new Set(['FZ-001']));

    // asking for the other store, or Hong Kong (no store), yields the header alone
    for (const filters of [{ storeIds: [otherStoreId] }, { cityIds: [hk.id] }]) {
      const asked = await csvExport(manager, filters);
      expect(asked.header).toEqual([...INCIDENT_CSV_COLUMNS]);
      expect(asked.rows).toEqual([]);
    }

    for (const resolution of [6, 11]) {
      const geo = await geoJsonExport(manager, resolution);
      expect(geo.features.reduce((n, f) => n + f.properties.count, 0)).toBe(ownIds.length);
      expect((await geoJsonExport(manager, resolution, { storeIds: [otherStoreId] })).features).toEqual([]);
    }
    const cells = (await geoJsonExport(manager, 11)).features.map((f) => f.properties.cell).sort();
    expect(cells).toEqual([latLngToCell(26.081, 119.291, 11), latLngToCell(26.082, 119.292, 11), latLngToCell(26.083, 119.29, 11)].sort());
  });

  it('exports the same hexbins as map.hexbins, as closed [lng, lat] polygons', async () => {
    const filters = { cityIds: [hk.id], severities: [3, 4] };
    for (const resolution of [7, 9]) {
      const bins = decodeHexbins(await trpcData(await analyst.query('map.hexbins', { resolution, filters })));
      const geo = await geoJsonExport(analyst, resolution, filters);
      expect(geo.type).toBe('FeatureCollection');
      expect(bins.cells.length).toBeGreaterThan(100);
      expect(geo.features.map((f) => f.properties.cell)).toEqual(bins.cells);
      expect(geo.features.map((f) => f.properties.count)).toEqual(bins.count);
      expect(geo.features.map((f) => f.properties.weighted)).toEqual(bins.weighted);
      expect(geo.features.map((f) => f.properties.open)).toEqual(bins.open);
      expect(geo.features.map((f) => f.properties.closed)).toEqual(bins.closed);
      expect(geo.features.map((f) => f.properties.overdue)).toEqual(bins.overdue);
      for (const f of geo.features) {
        expect(f.geometry.type).toBe('Polygon');
        const ring = f.geometry.coordinates[0]!;
        expect(ring.length).toBe(7); // six corners and the first again (no pentagon in Hong Kong)
        expect(ring.at(-1)).toEqual(ring[0]);
        for (const [lng, lat] of ring) {
          expect(lng).toBeGreaterThan(113.5);
          expect(lng).toBeLessThan(114.6);
          expect(lat).toBeGreaterThan(22.1);
          expect(lat).toBeLessThan(22.6);
        }
        // the corners' mean lies inside the cell: the ring is that cell's, in [lng, lat] order
        const corners = ring.slice(0, -1);
        const lng = corners.reduce((s, c) => s + c[0], 0) / corners.length;
        const lat = corners.reduce((s, c) => s + c[1], 0) / corners.length;
        expect(latLngToCell(lat, lng, resolution)).toBe(f.properties.cell);
        expect(f.properties.share_closed).toBeCloseTo(f.properties.closed / f.properties.count, 4);
        // one name per measure: the KPI's name is not reused for the cell's share
        expect(f.properties).not.toHaveProperty('closure_rate');
      }
    }
  });

  it('answers bad input with 400 naming the field, and a signed-out caller with 401', async () => {
    // [request, the field named, the message]
    const cases: Array<[string, string, RegExp]> = [
      ['/incidents.csv?filters=not-json', 'filters', /^filters: is not JSON/],
      [`/incidents.csv?filters=${encodeURIComponent('{"cityIdz":[1]}')}`, 'filters', /^filters: .*cityIdz/],
      [`/incidents.csv?filters=${encodeURIComponent('{"severities":[9]}')}`, 'filters.severities.0', /^filters\.severities\.0: /],
      ['/incidents.csv?filters=%7B%7D&filters=%7B%7D', 'filters', /^filters: must be given once/],
      ['/incidents.csv?format=xlsx', 'format', /^format: unknown parameter/],
      ['/hexbins.geojson?resolution=4', 'resolution', /^resolution: must be an integer 5\.\.11/],
      ['/hexbins.geojson?resolution=', 'resolution', /^resolution: must be an integer/],
      ['/hexbins.geojson', 'resolution', /^resolution: is required/],
      ['/hexbins.geojson?resolution=8&filters=%5B', 'filters', /^filters: is not JSON/],
      [`/hexbins.geojson?resolution=8&filters=${encodeURIComponent('{"nope":true}')}`, 'filters', /^filters: .*nope/],
    ];
    for (const [path, field, message] of cases) {
      const res = await analyst.call(`/api/v1/export${path}`);
      expect(res.status, path).toBe(400);
      const body = await res.json();
      expect(body.error, path).toMatch(message);
      expect(body.issues.map((i: { path: string }) => i.path), path).toEqual([field]);
    }

    const stranger = httpClient(server.url);
    for (const path of ['/incidents.csv', '/hexbins.geojson?resolution=8', '/incidents.csv?filters=not-json']) {
      const res = await stranger.call(`/api/v1/export${path}`);
      expect(res.status, path).toBe(401);
      expect(await res.json()).toEqual({ error: 'Sign in first.', requestId: res.headers.get('x-request-id') });
    }
  });
});
