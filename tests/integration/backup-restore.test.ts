/**
 * Backup while the server serves (ingest writing all along), restore into a fresh DuckDB folder
 * and into PostgreSQL, and from PostgreSQL back into DuckDB: every table's rows equal the
 * source's. Expectations read the databases with plain SQL and the file with gunzip + JSON.parse,
 * not with the backup code.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { runBackup } from '../../server/backup/backup.js';
import { runRestore } from '../../server/backup/restore.js';
import { DuckDbStore } from '../../server/store/duckdb.js';
import { DUCKDB_FILE } from '../../server/store/index.js';
import { PostgresStore } from '../../server/store/postgres.js';
import type { IncidentStore } from '../../server/store/types.js';
import { createPostgresDatabase } from '../support/engines.js';
import { seedPlaces } from '../support/fixtures.js';
import { apiRecord, postIncidents } from '../support/ingest-client.js';
import { startTestServer } from '../support/test-server.js';
import type { TestServer } from '../support/test-server.js';

/** What a backup must carry, named here rather than taken from the backup code's catalog. */
const TABLES = ['city', 'store', 'app_user', 'user_store', 'incident', 'incident_event', 'alert', 'alert_target', 'outbox', 'meta', 'api_key', 'job_run'];
/** Tables ingest writes to while the backup runs. */
const GROWING = new Set(['incident', 'incident_event']);

type Row = Record<string, unknown>;

function normalise(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  return v;
}

/** Every row of a table as sorted JSON strings: the same on both engines when the data is. */
async function dump(store: IncidentStore, table: string): Promise<string[]> {
  const rows = await store.sqlForTools().query(`SELECT * FROM ${table}`);
  return rows
    .map((r) => JSON.stringify(Object.fromEntries(Object.keys(r).sort().map((k) => [k, normalise(r[k])]))))
    .sort();
}

/** created_at of every user in microseconds since the epoch, to see that sub-millisecond parts survive. */
async function userMicros(store: IncidentStore): Promise<Record<string, string>> {
  const expr = store.engine === 'duckdb' ? 'epoch_us(created_at)' : '(extract(epoch FROM created_at) * 1000000)::bigint';
  const rows = await store.sqlForTools().query(`SELECT id, ${expr} AS us FROM app_user`);
  return Object.fromEntries(rows.map((r) => [String(r.id), String(r.us)]));
}

/** The backup file read independently: manifest and rows per table. */
function readBackup(file: string): { manifest: Row & { tables: Array<{ name: string; rows: number; columns: Array<{ name: string }> }> }; rows: Map<string, unknown[][]>; last: Row } {
  const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  const manifest = lines[0].manifest;
  const rows = new Map<string, unknown[][]>();
  let current: unknown[][] = [];
  for (const line of lines.slice(1, -1)) {
    if (Array.isArray(line)) current.push(line);
    else rows.set(line.table, (current = []));
  }
  return { manifest, rows, last: lines[lines.length - 1] };
}

async function openDuckFolder(): Promise<{ store: DuckDbStore; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'hexwatch-restore-'));
  return { store: await DuckDbStore.open(join(dir, DUCKDB_FILE)), dir };
}

async function expectSameAsSource(restored: IncidentStore, source: IncidentStore, incidentIds: Set<string>, file: string) {
  // job_run moves on every delivery tick of the running server: compare it with the file
  const { manifest, rows } = readBackup(file);
  const jobCol = manifest.tables.find((t) => t.name === 'job_run')!.columns.findIndex((c) => c.name === 'job');
  const jobs = (await restored.sqlForTools().query(`SELECT job FROM job_run`)).map((r) => String(r.job)).sort();
  expect(jobs).toEqual(rows.get('job_run')!.map((r) => String(r[jobCol])).sort());
  for (const table of TABLES.filter((t) => t !== 'job_run')) {
    const got = await dump(restored, table);
    let want = await dump(source, table);
    if (GROWING.has(table)) {
      // rows ingested after the snapshot are not in the backup
      const key = table === 'incident' ? 'id' : 'incident_id';
      want = want.filter((json) => incidentIds.has(String(JSON.parse(json)[key])));
    }
    expect(got.length, `${table} rows`).toBe(want.length);
    expect(got, table).toEqual(want);
  }
  expect(await userMicros(restored)).toEqual(await userMicros(source));
  expect(await dump(restored, 'session')).toEqual([]); // sign-ins are not carried over
  // new rows continue after the restored ids
  for (const [table, seq] of [['incident', 'incident_id_seq'], ['incident_event', 'incident_event_id_seq'], ['city', 'city_id_seq'], ['alert', 'alert_id_seq'], ['outbox', 'outbox_id_seq']]) {
    const db = restored.sqlForTools();
    const max = Number((await db.query(`SELECT max(id) AS m FROM ${table}`))[0]!.m);
    const next = Number((await db.query(`SELECT nextval('${seq}') AS n`))[0]!.n);
    expect(next, seq).toBeGreaterThan(max);
  }
}

describe('backup and restore', () => {
  let server: TestServer;
  let work: string;
  let file: string;
  let incidentIds: Set<string>;
  const pgUrl = inject('pgUrl');
  const cleanup: Array<() => Promise<void> | void> = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'hexwatch-backup-'));
    file = join(work, 'snapshot.jsonl.gz');
    server = await startTestServer({ demo: 'small' });
    const store = server.store;
    // things beyond the demo that must survive too: an API key, settings, a session, alerts and deliveries
    await store.security.createApiKey('pipeline', 'demo-admin');
    const settings = await store.security.settings();
    await store.security.saveSettings({ ...settings, closureTarget: 0.85 });
    await store.createSession('demo-admin', 3_600_000);
    const fz = (await store.listStores({ all: true })).find((s) => s.code === 'FZ-001')!;
    await store.alerts.setTarget({ storeId: fz.id, channel: 'webhook', webhookUrl: 'https://open.feishu.cn/open-apis/bot/v2/hook/x', webhookSecret: 's3cret', chatId: null, enabled: true }, new Date());
    const cell = latLngToCell(fz.lat, fz.lng, 8);
    await store.alerts.recordAlerts(
      [{ storeId: fz.id, cityId: fz.cityId, cell, resolution: 8, episode: '2025-01-06', week: '2025-01-13', class: 'new_hot', z: 3.1415926535, weekCount: 7, totalCount: 9, weeks: 8 }],
      () => ({ card: 'x' }),
      // due tomorrow: the server's delivery worker leaves it alone during the test
      new Date(Date.now() + 86_400_000 + 456),
    );
  });

  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('backs up while ingest keeps writing: one consistent snapshot', async () => {
    const { key } = await server.store.security.createApiKey('writer', 'demo-admin');
    const before = (await server.store.incidentTotals({ all: true })).total;
    let stop = false;
    let acknowledged = 0;
    let batch = 0;
    let failed = null as Error | null; // set by the writer loop: not narrowed to null
    const writer = (async () => {
      while (!stop) {
        const records = Array.from({ length: 50 }, (_, i) => apiRecord({ externalId: `bk-${batch}-${i}` }));
        batch++;
        const res = await postIncidents(server.url, key, { incidents: records });
        if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
        acknowledged += records.length;
      }
    })().catch((error: Error) => {
      failed = error;
    });
    while (acknowledged < 100 && !failed) await new Promise((r) => setTimeout(r, 10)); // writes are going on
    if (failed) throw failed;
    const messages: string[] = [];
    const atStart = acknowledged;
    const result = await runBackup(server.store, { out: file }, (p) => messages.push(p.message));
    const duringOrAfter = acknowledged;
    expect(duringOrAfter, 'ingest batches acknowledged while the backup ran').toBeGreaterThan(atStart);
    stop = true;
    await writer;
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- the writer loop sets `failed` while awaited; TS narrowed it to null at the check above
    if (failed) throw failed;
    const after = (await server.store.incidentTotals({ all: true })).total;

    const { manifest, rows, last } = readBackup(file);
    expect(manifest).toMatchObject({ format: 'hexwatch-backup', formatVersion: 1, engine: 'duckdb' });
    expect(manifest.schemaVersion).toBeGreaterThanOrEqual(4);
    expect(manifest.tables.map((t) => t.name)).toEqual(expect.arrayContaining(TABLES));
    expect(manifest.tables.map((t) => t.name)).not.toContain('session');
    const order = manifest.tables.map((t) => t.name);
    expect(order.indexOf('city')).toBeLessThan(order.indexOf('store'));
    expect(order.indexOf('store')).toBeLessThan(order.indexOf('user_store'));
    expect(order.indexOf('app_user')).toBeLessThan(order.indexOf('user_store'));
    for (const t of manifest.tables) expect(rows.get(t.name)?.length ?? 0, t.name).toBe(t.rows);
    expect(last).toEqual({ end: { tables: manifest.tables.length, rows: result.rows } });
    expect(messages.some((m) => /incident \d+\/\d+ rows/.test(m))).toBe(true);

    const incidentCols = manifest.tables.find((t) => t.name === 'incident')!.columns.map((c) => c.name);
    const eventCols = manifest.tables.find((t) => t.name === 'incident_event')!.columns.map((c) => c.name);
    const incidents = rows.get('incident')!;
    incidentIds = new Set(incidents.map((r) => String(r[incidentCols.indexOf('id')])));
    expect(incidents.length).toBeGreaterThanOrEqual(before + 100);
    expect((incidents.length - before) % 50, 'whole ingest batches only (each is one transaction)').toBe(0);
    expect(incidents.length).toBeLessThanOrEqual(after);
    expect(after).toBeGreaterThanOrEqual(before + duringOrAfter);
    // consistent: every incident has its events (written in one transaction with it) and no event is orphaned
    const withEvents = new Set(rows.get('incident_event')!.map((r) => String(r[eventCols.indexOf('incident_id')])));
    for (const id of incidentIds) expect(withEvents.has(id), `events of incident ${id}`).toBe(true);
    for (const id of withEvents) expect(incidentIds.has(id), `incident of event ${id}`).toBe(true);
    // H3 cells keep all 64 bits (as decimal strings)
    const h3 = incidents[0]![incidentCols.indexOf('h3')];
    expect(typeof h3).toBe('string');
  });

  it('restores into a fresh DuckDB folder: every row as in the source', async () => {
    const { store, dir } = await openDuckFolder();
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    try {
      const messages: string[] = [];
      const result = await runRestore(store, { file }, (p) => messages.push(p.message));
      expect(result.rows).toBe(readBackup(file).manifest.tables.reduce((s, t) => s + t.rows, 0));
      expect(messages.at(-1)).toMatch(/rows restored into duckdb/);
      await expectSameAsSource(store, server.store, incidentIds, file);
    } finally {
      await store.close();
    }
    // it reopens with everything (nothing left only in the WAL)
    const reopened = await DuckDbStore.open(join(dir, DUCKDB_FILE));
    try {
      expect((await reopened.incidentTotals({ all: true })).total).toBe(incidentIds.size);
    } finally {
      await reopened.close();
    }
  });

  it('restores into PostgreSQL, and a backup of that back into DuckDB: the same rows', async () => {
    if (!pgUrl) throw new Error('this test needs PostgreSQL (see tests/support/global-setup.ts)');
    const pgStore = await PostgresStore.open(await createPostgresDatabase(pgUrl), { max: 2 });
    try {
      await runRestore(pgStore, { file });
      await expectSameAsSource(pgStore, server.store, incidentIds, file);
      const back = join(work, 'from-postgres.jsonl.gz');
      await runBackup(pgStore, { out: back });
      expect(readBackup(back).manifest.engine).toBe('postgres');
      const { store, dir } = await openDuckFolder();
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      try {
        await runRestore(store, { file: back });
        await expectSameAsSource(store, server.store, incidentIds, back);
      } finally {
        await store.close();
      }
    } finally {
      await pgStore.close();
    }
  });

  it('refuses a target that holds data, and leaves it as it was', async () => {
    const before = await dump(server.store, 'city');
    const total = (await server.store.incidentTotals({ all: true })).total;
    await expect(runRestore(server.store, { file })).rejects.toThrow(/target database is not empty \(rows in .*incident/);
    expect(await dump(server.store, 'city')).toEqual(before);
    expect((await server.store.incidentTotals({ all: true })).total).toBe(total);
  });

  /** Rewrites the backup's lines and restores the result into a fresh DuckDB: it must fail and store nothing. */
  async function expectRefused(edit: (lines: string[]) => string[], message: RegExp) {
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
    const bad = join(work, `bad-${Math.random().toString(36).slice(2)}.jsonl.gz`);
    writeFileSync(bad, gzipSync(edit(lines).join('\n') + '\n'));
    const { store, dir } = await openDuckFolder();
    try {
      await expect(runRestore(store, { file: bad })).rejects.toThrow(message);
      for (const table of ['city', 'store', 'app_user', 'incident']) {
        const exists = await store.sqlForTools().query(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = '${table}'`);
        if (Number(exists[0]!.n)) expect(await dump(store, table), table).toEqual([]);
      }
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('restores a backup of an older schema: loads it at that version, then runs the newer migrations', async () => {
    // the same backup as if taken at schema version 3: every table and column a database migrated
    // to version 3 lacks (API keys, archived stores, and whatever later migrations added) left out
    const probe = await DuckDbStore.open(':memory:');
    await probe.migrate({ upTo: 3 });
    const columnsAt3 = new Map<string, Set<string>>();
    for (const r of await probe.sqlForTools().query(`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'`)) {
      const set = columnsAt3.get(String(r.table_name)) ?? new Set<string>();
      set.add(String(r.column_name));
      columnsAt3.set(String(r.table_name), set);
    }
    await probe.close();
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
    const head = JSON.parse(lines[0]!);
    const storeTable = head.manifest.tables.find((t: { name: string }) => t.name === 'store');
    expect(storeTable.columns.some((c: { name: string }) => c.name === 'archived_at')).toBe(true);
    expect(columnsAt3.get('store')!.has('archived_at')).toBe(false);
    const keep = new Map<string, number[]>(); // table -> indexes of the columns kept
    for (const t of head.manifest.tables as Array<{ name: string; columns: Array<{ name: string }> }>) {
      const known = columnsAt3.get(t.name);
      if (known) keep.set(t.name, t.columns.flatMap((c, k) => (known.has(c.name) ? [k] : [])));
    }
    head.manifest.tables = head.manifest.tables
      .filter((t: { name: string }) => keep.has(t.name))
      .map((t: { name: string; columns: unknown[] }) => ({ ...t, columns: keep.get(t.name)!.map((k) => t.columns[k]) }));
    head.manifest.migrations = head.manifest.migrations.filter((m: { version: number }) => m.version <= 3);
    head.manifest.schemaVersion = 3;
    const out: string[] = [JSON.stringify(head)];
    let section = '';
    let tables = 0;
    let rows = 0;
    for (const line of lines.slice(1, -1)) {
      if (line.startsWith('{"table"')) {
        section = JSON.parse(line).table;
        if (keep.has(section)) {
          out.push(line);
          tables++;
        }
      } else if (keep.has(section)) {
        const row = JSON.parse(line) as unknown[];
        out.push(JSON.stringify(keep.get(section)!.map((k) => row[k])));
        rows++;
      }
    }
    out.push(JSON.stringify({ end: { tables, rows } }));
    const older = join(work, 'older.jsonl.gz');
    writeFileSync(older, gzipSync(out.join('\n') + '\n'));

    const { store, dir } = await openDuckFolder();
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    try {
      await runRestore(store, { file: older });
      const versions = (await store.sqlForTools().query(`SELECT version FROM schema_migrations ORDER BY version`)).map((r) => Number(r.version));
      expect(versions.at(-1)).toBeGreaterThanOrEqual(4); // migrated on after the load
      expect(await dump(store, 'api_key')).toEqual([]);
      // what the old schema had, as it was; the cells are recomputed by the migrations; the AI
      // model version (migration 019) was not in a version-3 backup, so it is empty after the restore
      const withoutModelVersion = (j: string) => JSON.stringify({ ...(JSON.parse(j) as Record<string, unknown>), ai_model_version: null });
      expect((await dump(store, 'incident')).map(withoutModelVersion).sort()).toEqual(
        (await dump(server.store, 'incident')).filter((j) => incidentIds.has(String(JSON.parse(j).id))).map(withoutModelVersion).sort(),
      );
      expect((await dump(store, 'incident')).every((j) => (JSON.parse(j) as { ai_model_version: unknown }).ai_model_version === null)).toBe(true);
      const stores = await store.sqlForTools().query(`SELECT code, archived_at FROM store ORDER BY code`);
      expect(stores.length).toBe((await server.store.listStores({ all: true }, { includeArchived: true })).length);
      expect(stores.every((r) => r.archived_at === null)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('refuses a backup of a newer schema', async () => {
    await expectRefused((lines) => {
      const first = JSON.parse(lines[0]!);
      first.manifest.schemaVersion = 999;
      return [JSON.stringify(first), ...lines.slice(1)];
    }, /schema version 999, newer than this Hexwatch/);
  });

  it('refuses a backup cut short, storing nothing', async () => {
    await expectRefused((lines) => lines.slice(0, -20), /ends early|rows in the file but/);
  });

  it('refuses a row with a value of the wrong type, naming line and column', async () => {
    await expectRefused((lines) => {
      const n = lines.findIndex((l) => l === '{"table":"incident"}') + 1;
      const row = JSON.parse(lines[n]!);
      const cols = JSON.parse(lines[0]!).manifest.tables.find((t: { name: string }) => t.name === 'incident').columns;
      row[cols.findIndex((c: { name: string }) => c.name === 'occurred_at')] = 'yesterday';
      return [...lines.slice(0, n), JSON.stringify(row), ...lines.slice(n + 1)];
    }, /line \d+: incident\.occurred_at: "yesterday" is not a valid timestamptz/);
  });

  it('npm run backup / restore work on a data folder no server holds', async () => {
    await server.stop();
    const out = join(work, 'cli.jsonl.gz');
    const target = mkdtempSync(join(tmpdir(), 'hexwatch-restore-'));
    cleanup.push(() => rmSync(target, { recursive: true, force: true }));
    const { DATABASE_URL: _unused, ...parentEnv } = process.env;
    void _unused;
    const cli = (args: string[], dataDir: string) =>
      spawnSync('npx', ['tsx', 'server/cli.ts', ...args], { encoding: 'utf8', env: { ...parentEnv, DATA_DIR: dataDir, NODE_ENV: 'test' } });
    const backup = cli(['backup', '--out', out], server.dataDir);
    expect(backup.stderr + backup.stdout).toMatch(/backup: .*cli\.jsonl\.gz: \d+ rows/);
    expect(backup.status).toBe(0);
    const restore = cli(['restore', out], target);
    expect(restore.stdout).toMatch(/restore: \d+ rows in \d+ tables restored into duckdb/);
    expect(restore.status).toBe(0);
    const again = cli(['restore', out], target);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/target database is not empty/);
    const source = await DuckDbStore.open(join(server.dataDir, DUCKDB_FILE));
    const restored = await DuckDbStore.open(join(target, DUCKDB_FILE));
    try {
      // the server is stopped: nothing moves now, job_run included
      for (const table of TABLES) expect(await dump(restored, table), table).toEqual(await dump(source, table));
    } finally {
      await source.close();
      await restored.close();
    }
  });

  it('a restore killed (SIGKILL) while loading leaves a database that reopens empty and takes the restore again', async () => {
    const out = join(work, 'cli.jsonl.gz'); // from the test before
    const target = mkdtempSync(join(tmpdir(), 'hexwatch-restore-'));
    cleanup.push(() => rmSync(target, { recursive: true, force: true }));
    const { DATABASE_URL: _unused, ...parentEnv } = process.env;
    void _unused;
    // its own process group, so that the kill reaches node under npx
    const child = spawn('npx', ['tsx', 'server/cli.ts', 'restore', out], { detached: true, env: { ...parentEnv, DATA_DIR: target, NODE_ENV: 'test' } });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        // the first progress line comes once the target is migrated, as the load begins
        if (/restore: \d+ tables/.test(String(d))) setTimeout(() => { process.kill(-child.pid!, 'SIGKILL'); resolve(); }, 150);
      });
    });
    expect(await exited).toBe('SIGKILL');
    expect(stdout).not.toMatch(/restored into/);
    // every process of the group gone (the lock goes with the last)
    for (let i = 0; i < 200; i++) {
      try {
        process.kill(-child.pid!, 0);
      } catch {
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const reopened = await DuckDbStore.open(join(target, DUCKDB_FILE));
    try {
      for (const table of ['city', 'app_user', 'incident', 'incident_event']) expect(await dump(reopened, table), table).toEqual([]);
      await runRestore(reopened, { file: out });
      expect((await reopened.incidentTotals({ all: true })).total).toBe(readBackup(out).manifest.tables.find((t) => t.name === 'incident')!.rows);
    } finally {
      await reopened.close();
    }
  });
});

/** A table another migration adds later, with a foreign key, a sequence, a date and a boolean. */
const LATER_TABLE = [
  `CREATE SEQUENCE later_thing_id_seq START 1`,
  `CREATE TABLE later_thing (
     id BIGINT PRIMARY KEY DEFAULT nextval('later_thing_id_seq'),
     store_id INTEGER NOT NULL REFERENCES store (id),
     started_on DATE NOT NULL,
     effective BOOLEAN,
     note TEXT
   )`,
];

describe('backup and restore of tables added later', () => {
  it('carries a new table in foreign-key order without code changes, from DuckDB to PostgreSQL', async () => {
    const pgUrl = inject('pgUrl');
    if (!pgUrl) throw new Error('this test needs PostgreSQL (see tests/support/global-setup.ts)');
    const work = mkdtempSync(join(tmpdir(), 'hexwatch-later-'));
    const source = await DuckDbStore.open(':memory:');
    const target = await PostgresStore.open(await createPostgresDatabase(pgUrl), { max: 2 });
    try {
      await source.migrate();
      const city = await source.upsertCity({ key: 'fuzhou', name: 'Fuzhou', tz: 'Asia/Shanghai', centerLat: 26.07, centerLng: 119.3 });
      const [store] = await source.upsertStores([{ code: 'FZ-001', name: 'Gulou', cityId: city.id, lat: 26.08, lng: 119.29, radiusM: 3000 }]);
      for (const ddl of LATER_TABLE) await source.sqlForTools().query(ddl);
      await source.sqlForTools().query(
        `INSERT INTO later_thing (store_id, started_on, effective, note) VALUES ($1, DATE '2025-02-28', TRUE, 'speed bump'), ($1, DATE '2025-03-01', NULL, NULL)`,
        [store!.id],
      );
      const file = join(work, 'later.jsonl.gz');
      await runBackup(source, { out: file });
      const names = readBackup(file).manifest.tables.map((t) => t.name);
      expect(names.indexOf('later_thing')).toBeGreaterThan(names.indexOf('store'));

      // the target's migrations would have made the table: here the test does
      await target.migrate();
      for (const ddl of LATER_TABLE) await target.sqlForTools().query(ddl);
      await runRestore(target, { file });
      const rows = await target.sqlForTools().query(`SELECT id, store_id, to_char(started_on, 'YYYY-MM-DD') AS day, effective, note FROM later_thing ORDER BY id`);
      expect(rows.map((r) => ({ ...r, id: String(r.id) }))).toEqual([
        { id: '1', store_id: store!.id, day: '2025-02-28', effective: true, note: 'speed bump' },
        { id: '2', store_id: store!.id, day: '2025-03-01', effective: null, note: null },
      ]);
      expect(Number((await target.sqlForTools().query(`SELECT nextval('later_thing_id_seq') AS n`))[0]!.n)).toBe(3);
    } finally {
      await source.close();
      await target.close();
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('refuses to back up a column type it cannot carry, writing no file', async () => {
    const work = mkdtempSync(join(tmpdir(), 'hexwatch-later-'));
    const source = await DuckDbStore.open(':memory:');
    try {
      await source.migrate();
      await source.sqlForTools().query(`CREATE TABLE later_weights (store_id INTEGER, weights DOUBLE[])`);
      const out = join(work, 'x.jsonl.gz');
      await expect(runBackup(source, { out })).rejects.toThrow(/cannot carry column later_weights\.weights of type DOUBLE\[\]/);
      expect(readdirSync(work)).toEqual([]);
    } finally {
      await source.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('backup while serving on PostgreSQL', () => {
  it('takes one REPEATABLE READ snapshot while ingest keeps writing, and restores it into DuckDB', async () => {
    const pgUrl = inject('pgUrl');
    if (!pgUrl) throw new Error('this test needs PostgreSQL (see tests/support/global-setup.ts)');
    const server = await startTestServer({ demo: 'none', env: { DATABASE_URL: await createPostgresDatabase(pgUrl) } });
    const work = mkdtempSync(join(tmpdir(), 'hexwatch-pg-backup-'));
    try {
      await seedPlaces(server.store);
      const { key } = await server.store.security.createApiKey('writer', 'test-admin');
      let stop = false;
      let acknowledged = 0;
      let failed = null as Error | null; // set by the writer loop: not narrowed to null
      const writer = (async () => {
        for (let batch = 0; !stop; batch++) {
          const records = Array.from({ length: 40 }, (_, i) => apiRecord({ externalId: `pg-${batch}-${i}` }));
          const res = await postIncidents(server.url, key, { incidents: records });
          if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
          acknowledged += records.length;
        }
      })().catch((error: Error) => {
        failed = error;
      });
      while (acknowledged < 400 && !failed) await new Promise((r) => setTimeout(r, 10));
      const atStart = acknowledged;
      const file = join(work, 'pg.jsonl.gz');
      await runBackup(server.store, { out: file });
      const atEnd = acknowledged;
      stop = true;
      await writer;
      if (failed) throw failed;
      expect(atEnd, 'ingest batches acknowledged while the backup ran').toBeGreaterThan(atStart);

      const { manifest, rows } = readBackup(file);
      expect(manifest).toMatchObject({ engine: 'postgres' });
      const cols = (t: string) => manifest.tables.find((x) => x.name === t)!.columns.map((c) => c.name);
      const incidents = rows.get('incident')!;
      expect(incidents.length).toBeGreaterThanOrEqual(atStart);
      expect(incidents.length % 40, 'whole ingest batches only').toBe(0);
      const ids = new Set(incidents.map((r) => String(r[cols('incident').indexOf('id')])));
      const eventOf = new Set(rows.get('incident_event')!.map((r) => String(r[cols('incident_event').indexOf('incident_id')])));
      expect(eventOf).toEqual(ids);

      const { store, dir } = await openDuckFolder();
      try {
        await runRestore(store, { file });
        expect((await store.incidentTotals({ all: true })).total).toBe(incidents.length);
        const sample = [...ids].slice(0, 25).map(Number);
        for (const id of sample) {
          const got = await store.incidentById(id, { all: true });
          const want = await server.store.incidentById(id, { all: true });
          expect(got, `incident ${id}`).toEqual(want);
        }
      } finally {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      await server.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
