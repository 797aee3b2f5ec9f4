/**
 * The browser import's endpoint over real HTTP (server/api/import-upload.ts and admin.imports):
 * admins only, CSRF-safe, the size limit, the report with row numbers, a strict (bad) file refused
 * with its rows and nothing stored, a refused header, and a cancel that stores nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { importJobsFor } from '../../server/ingest/import-jobs.js';
import { createPostgresDatabase } from '../support/engines.js';
import { httpClient, startTestServer } from '../support/test-server.js';
import type { TestServer } from '../support/test-server.js';

const SAMPLES = new URL('../../data/samples/', import.meta.url).pathname;
const HEADER = 'external_id,kind,category,severity,occurred_at,lat,lng,store_code,city';

/** n valid Fuzhou accidents, ids `<prefix>-<i>`. */
function validRows(n: number, prefix: string): string[] {
  return Array.from({ length: n }, (_, i) => {
    const minute = String(i % 60).padStart(2, '0');
    return `${prefix}-${i},accident,vehicle_collision,${(i % 4) + 1},2025-03-0${(i % 9) + 1}T08:${minute}:00+08:00,${(26.07 + (i % 100) * 1e-4).toFixed(4)},119.30,,fuzhou`;
  });
}

const csv = (lines: string[]) => `${lines.join('\n')}\n`;

interface JobDto {
  id: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  fileName: string;
  progress: { rowsRead: number; bytesRead: number; totalBytes: number };
  report: { rowsRead: number; imported: number; rejected: { row: number; field: string; reason: string }[]; rejectedCount: number; rejectedByReason: Record<string, number> } | null;
  error: string | null;
  refusedRows: { rejected: { row: number; field: string }[]; rejectedCount: number } | null;
}

/** The server's engine: DuckDB in its DATA_DIR, or a fresh database on the run's PostgreSQL. */
const ENGINES: Array<{ engine: string; env: () => Promise<Record<string, string>> }> = [{ engine: 'duckdb', env: async () => ({}) }];
const pgUrl = inject('pgUrl');
if (pgUrl) ENGINES.push({ engine: 'postgres', env: async () => ({ DATABASE_URL: await createPostgresDatabase(pgUrl) }) });

describe.each(ENGINES)('browser import endpoint on $engine (real HTTP)', ({ env }) => {
  let server: TestServer;
  let admin: ReturnType<typeof httpClient>;
  let analyst: ReturnType<typeof httpClient>;

  beforeAll(async () => {
    server = await startTestServer({ demo: 'none', env: { IMPORT_MAX_MB: '2', ...(await env()) } });
    await server.store.upsertUsers([
      { id: 'adm', name: 'Admin', role: 'admin', storeIds: [], feishuOpenId: null },
      { id: 'ana', name: 'Analyst', role: 'analyst', storeIds: [], feishuOpenId: null },
    ]);
    admin = httpClient(server.url);
    analyst = httpClient(server.url);
    expect((await admin.mutate('auth.devLogin', { userId: 'adm' })).status).toBe(200);
    expect((await analyst.mutate('auth.devLogin', { userId: 'ana' })).status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
  });

  const total = async () => (await server.store.incidentTotals({ all: true })).total;

  function upload(client: ReturnType<typeof httpClient> | null, query: Record<string, string>, body: string | Buffer, headers: Record<string, string> = {}) {
    const url = `/api/admin/imports?${new URLSearchParams(query)}`;
    const init: RequestInit = { method: 'POST', headers: { 'content-type': 'application/octet-stream', ...headers }, body: typeof body === 'string' ? body : new Uint8Array(body) };
    return client ? client.call(url, init) : fetch(`${server.url}${url}`, init);
  }

  async function status(id: string): Promise<JobDto> {
    const res = await admin.query('admin.imports.status', { id });
    expect(res.status).toBe(200);
    return (await res.json()).result.data as JobDto;
  }

  async function finished(id: string): Promise<JobDto> {
    for (let i = 0; i < 600; i++) {
      const job = await status(id);
      if (job.state !== 'running') return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`import ${id} did not finish`);
  }

  async function started(res: Response): Promise<JobDto> {
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(202);
    return body.job as JobDto;
  }

  it('lists every registered profile', async () => {
    const res = await admin.query('admin.imports.profiles');
    const names = ((await res.json()).result.data as { name: string }[]).map((p) => p.name);
    expect(names.sort()).toEqual(['deliveries', 'hexwatch', 'hk-td', 'stores']); // the registry's, deliveries (exposure) included
    expect((await analyst.query('admin.imports.profiles')).status).toBe(403);
  });

  it('imports for admins only, and refuses cross-site uploads', async () => {
    const body = csv([HEADER, ...validRows(3, 'nope')]);
    const q = { profile: 'hexwatch', name: 'a.csv' };
    expect((await upload(null, q, body)).status).toBe(401);
    const refused = await upload(analyst, q, body);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toMatch(/admin/);
    // what an HTML form on another site could send: wrong content type, foreign origin
    expect((await upload(admin, q, body, { 'content-type': 'multipart/form-data; boundary=x' })).status).toBe(403);
    expect((await upload(admin, q, body, { 'content-type': 'text/plain' })).status).toBe(403);
    expect((await upload(admin, q, body, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await upload(admin, q, body, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(await total()).toBe(0);
  });

  it('refuses a bad query naming the field, and a file above IMPORT_MAX_MB', async () => {
    const body = csv([HEADER, ...validRows(3, 'q')]);
    const unknown = await upload(admin, { profile: 'nope', name: 'a.csv' }, body);
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toMatch(/^profile: must be one of hexwatch, hk-td, stores/);
    const ext = await upload(admin, { profile: 'hexwatch', name: 'a.xlsx' }, body);
    expect((await ext.json()).error).toMatch(/^name: must be a \.csv or \.csv\.gz/);
    const coords = await upload(admin, { profile: 'hexwatch', name: 'a.csv', coords: 'bd09' }, body);
    expect(coords.status).toBe(400);
    expect((await coords.json()).error).toMatch(/^coords:/);
    const assign = await upload(admin, { profile: 'stores', name: 's.csv', assign: 'nearest' }, body);
    expect((await assign.json()).error).toBe('assign: applies to incident profiles, not to stores');
    const empty = await upload(admin, { profile: 'hexwatch', name: 'a.csv' }, '');
    expect((await empty.json()).error).toBe('file: is empty');
    const big = await upload(admin, { profile: 'hexwatch', name: 'big.csv' }, Buffer.alloc(2 * 1024 * 1024 + 1, 0x41));
    expect(big.status).toBe(413);
    expect((await big.json()).error).toMatch(/larger than 2 MB \(IMPORT_MAX_MB\)/);
    expect(await total()).toBe(0);
  });

  it('imports stores, then incidents with progress and the report of rejected rows', async () => {
    const stores = await finished((await started(await upload(admin, { profile: 'stores', name: 'stores.csv' }, readFileSync(join(SAMPLES, 'stores-example.csv'))))).id);
    expect(stores.state).toBe('done');
    expect(stores.report!.imported).toBe(9);

    const lines = [HEADER, ...validRows(40, 'ok')];
    lines.splice(3, 0, 'bad-1,accident,vehicle_collision,2,2025-03-01T08:00:00+08:00,,119.30,,fuzhou'); // data row 3: no latitude
    lines.splice(6, 0, 'bad-2,accident,vehicle_collision,9,2025-03-01T08:00:00+08:00,26.07,119.30,,fuzhou'); // data row 6: severity
    const job = await finished((await started(await upload(admin, { profile: 'hexwatch', name: 'march.csv' }, csv(lines)))).id);
    expect(job.state).toBe('done');
    expect(job.fileName).toBe('march.csv');
    expect(job.progress.rowsRead).toBe(42);
    expect(job.progress.totalBytes).toBe(Buffer.byteLength(csv(lines)));
    expect(job.report!.imported).toBe(40);
    expect(job.report!.rejectedCount).toBe(2);
    expect(job.report!.rejected.map((r) => [r.row, r.field])).toEqual([
      [3, 'lat'],
      [6, 'severity'],
    ]);
    expect(await total()).toBe(40);
    // the uploaded copy is gone
    expect(readdirSync(join(server.dataDir, 'imports'))).toEqual([]);
  });

  it('attaches incidents to the nearest store with assign=nearest', async () => {
    const row = (id: string) => `${id},accident,vehicle_collision,2,2025-03-01T08:00:00+08:00,26.0863,119.2986,,`;
    const without = await finished((await started(await upload(admin, { profile: 'hexwatch', name: 'a.csv' }, csv([HEADER, row('near-1')])))).id);
    expect(without.report).toMatchObject({ imported: 0, rejectedCount: 1 });
    const withAssign = await finished((await started(await upload(admin, { profile: 'hexwatch', name: 'a.csv', assign: 'nearest' }, csv([HEADER, row('near-2')])))).id);
    expect(withAssign.report).toMatchObject({ imported: 1, rejectedCount: 0 });
    const stored = await server.store.incidentBySourceKey('import', 'near-2', { all: true });
    const store = (await server.store.listStores({ all: true })).find((s) => s.code === 'FZ-GL01')!;
    expect(stored?.storeId).toBe(store.id);
  });

  it('refuses a bad file in strict mode with its row numbers, storing nothing', async () => {
    const before = await total();
    const lines = [HEADER, ...validRows(30, 'strict')];
    lines[5] = 'strict-x,accident,vehicle_collision,2,yesterday,26.07,119.30,,fuzhou'; // data row 5
    lines[21] = 'strict-y,accident,vehicle_collision,2,2025-03-01T08:00:00+08:00,95,119.30,,fuzhou'; // data row 21
    const job = await finished((await started(await upload(admin, { profile: 'hexwatch', name: 'bad.csv', strict: '1' }, csv(lines)))).id);
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/^bad\.csv: 2 of 30 rows rejected \(row 5: occurred_at: .*; row 21: lat: .*\); nothing was imported$/);
    expect(job.refusedRows!.rejected.map((r) => [r.row, r.field])).toEqual([
      [5, 'occurred_at'],
      [21, 'lat'],
    ]);
    expect(job.report).toBeNull();
    expect(await total()).toBe(before);
  });

  it('refuses a strict stores file with a bad row, leaving cities and stores as they were', async () => {
    const before = await server.store.listStores({ all: true });
    const header = 'city_key,city_name,city_name_zh,tz,city_lat,city_lng,store_code,store_name,lat,lng,radius_m';
    const body = csv([header, 'fuzhou,Fuzhou,福州,Asia/Shanghai,,,FZ-NEW1,New one,26.05,119.30,3000', 'fuzhou,Fuzhou,福州,Asia/Shanghai,,,FZ-NEW2,New two,26.05,119.30,-5']);
    const job = await finished((await started(await upload(admin, { profile: 'stores', name: 'stores2.csv', strict: '1' }, body))).id);
    expect(job.state).toBe('failed');
    expect(job.refusedRows!.rejected.map((r) => [r.row, r.field])).toEqual([[2, 'radius_m']]);
    expect(await server.store.listStores({ all: true })).toEqual(before);
  });

  it('refuses a header that does not fit, naming the uploaded file and the column', async () => {
    const before = await total();
    const job = await finished((await started(await upload(admin, { profile: 'hk-td', name: 'wrong.csv' }, csv([HEADER, ...validRows(2, 'h')])))).id);
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/^wrong\.csv: header does not fit the hk-td profile: missing required column/);
    expect(job.error).not.toContain(server.dataDir);
    expect(await total()).toBe(before);
  });

  it('cancels an import: nothing of the file is stored', async () => {
    const before = await total();
    const body = gzipSync(csv([HEADER, ...validRows(40_000, 'cancel')]));
    const job = await started(await upload(admin, { profile: 'hexwatch', name: 'long.csv.gz' }, body));
    // a second upload meanwhile is refused, not run beside it
    const second = await upload(admin, { profile: 'hexwatch', name: 'other.csv' }, csv([HEADER, ...validRows(2, 'o')]));
    expect(second.status).toBe(409);
    const cancel = await admin.mutate('admin.imports.cancel', { id: job.id });
    expect(cancel.status).toBe(200);
    const end = await finished(job.id);
    expect(end.state).toBe('cancelled');
    expect(end.error).toMatch(/^long\.csv\.gz: cancelled after data row \d+; nothing was imported \(rolled back\)$/);
    expect(await total()).toBe(before);
    expect((await admin.mutate('admin.imports.cancel', { id: job.id })).status).toBe(409);
    expect(readdirSync(join(server.dataDir, 'imports'))).toEqual([]);
  });
});

describe('browser import of the Hong Kong file, and a server stopped in the middle of one (DuckDB)', () => {
  const HK = '/work/shared/data/hk-accidents/hk_accidents_2014_2019.csv.gz';
  let server: TestServer;
  let admin: ReturnType<typeof httpClient>;

  beforeAll(async () => {
    server = await startTestServer({ demo: 'none' }); // the default IMPORT_MAX_MB
    await server.store.upsertUsers([{ id: 'adm', name: 'Admin', role: 'admin', storeIds: [], feishuOpenId: null }]);
    admin = httpClient(server.url);
    expect((await admin.mutate('auth.devLogin', { userId: 'adm' })).status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
  });

  const uploadHk = async () => {
    const res = await admin.call(`/api/admin/imports?${new URLSearchParams({ profile: 'hk-td', name: 'hk.csv.gz' })}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array(readFileSync(HK)),
    });
    expect(res.status).toBe(202);
    return ((await res.json()).job as JobDto).id;
  };

  it('imports the 95,821 rows: 89,828 located incidents, 5,993 rows without coordinates reported', { timeout: 300_000 }, async () => {
    const id = await uploadHk();
    let job: JobDto;
    for (;;) {
      const res = await admin.query('admin.imports.status', { id });
      job = (await res.json()).result.data as JobDto;
      if (job.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(job.state).toBe('done');
    expect(job.report).toMatchObject({ rowsRead: 95_821, imported: 89_828, rejectedCount: 5_993 });
    expect(job.report!.rejectedByReason).toEqual({ 'latitude/longitude: empty (no coordinates)': 5_993 });
    expect(job.report!.rejected).toHaveLength(1_000); // REJECTIONS_LISTED; the counts cover all
    expect(job.progress).toMatchObject({ rowsRead: 95_821, totalBytes: readFileSync(HK).length });
    expect((await server.store.incidentTotals({ all: true })).total).toBe(89_828);
  });

  it('a server stopped mid-import cancels it before closing the database, and reopens with what was acknowledged', { timeout: 300_000 }, async () => {
    // a second file of new ids, so that a partial commit would show in the total
    const lines = [HEADER, ...Array.from({ length: 60_000 }, (_, i) => `stop-${i},accident,vehicle_collision,2,2025-03-01T08:00:00+08:00,22.3${i % 10},114.1${i % 7},,hong-kong`)];
    const res = await admin.call(`/api/admin/imports?${new URLSearchParams({ profile: 'hexwatch', name: 'stop.csv.gz' })}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array(gzipSync(`${lines.join('\n')}\n`)),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()).job as JobDto;
    await server.stop();
    // the import was cancelled and rolled back before the database closed, not cut off by it
    const job = importJobsFor(server.store).get(id)!;
    expect(job.state).toBe('cancelled');
    expect(job.error).toMatch(/cancelled after data row \d+; nothing was imported \(rolled back\)$/);
    const { DuckDbStore } = await import('../../server/store/duckdb.js');
    const { DUCKDB_FILE } = await import('../../server/store/index.js');
    const reopened = await DuckDbStore.open(join(server.dataDir, DUCKDB_FILE));
    try {
      expect((await reopened.incidentTotals({ all: true })).total).toBe(89_828);
    } finally {
      await reopened.close();
    }
  });
});

