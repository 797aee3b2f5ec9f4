/**
 * Operable from day one, end to end with real processes on both engines (issue 10): on a fresh
 * data folder with DEMO_DATA=none, `npm run users` creates the first admin, the server starts,
 * the admin signs in over HTTP, `npm run import` loads the real Hong Kong file while the server
 * runs (DuckDB: handed to the server over its job channel; PostgreSQL: directly), and
 * `map.hexbins` shows its 89,828 located incidents without a restart; `npm run scan` beside the
 * server exits 0.
 *
 * Slow by nature: about 60 s per engine on 2 busy cores (the HK import 15-30 s; each `npm run`
 * costs a few seconds of start-up).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresDatabase } from '../support/engines.js';
import { childEnv, npmRun, startServerProcess, stopProcess } from '../support/processes.js';
import { httpClient } from '../support/test-server.js';

const HK_FILE = new URL('../../../shared/data/hk-accidents/hk_accidents_2014_2019.csv.gz', import.meta.url).pathname;
/** Rows of the HK file with both coordinates (tests/integration/import-hk.test.ts counts them from the file). */
const HK_LOCATED = 89_828;

const pgUrl = inject('pgUrl');
const engines = [{ engine: 'duckdb' as const }, ...(pgUrl ? [{ engine: 'postgres' as const }] : [])];

describe.each(engines)('first admin, import beside the running server, hexbins without restart: $engine', ({ engine }) => {
  // short: the job channel's Unix socket path must stay under 108 bytes
  const dataDir = mkdtempSync(join(tmpdir(), 'hw-ops-'));
  let env: NodeJS.ProcessEnv;
  let server: Awaited<ReturnType<typeof startServerProcess>> | null = null;
  const client = () => httpClient(server!.url);
  let admin: ReturnType<typeof httpClient>;

  beforeAll(async () => {
    env = childEnv({ DATA_DIR: dataDir }, engine === 'postgres' ? await createPostgresDatabase(pgUrl!) : null);
  });
  afterAll(async () => {
    if (server) await stopProcess(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the first admin on the empty database with npm run users', async () => {
    const r = await npmRun('users', ['add', '--id', 'root-admin', '--name', 'Root Admin', '--role', 'admin'], env);
    expect(r.stderr).toBe('');
    expect(r).toMatchObject({ code: 0, stdout: 'added user root-admin (Root Admin, admin)\n' });
  }, 60_000);

  it('starts the server and signs the admin in over HTTP', async () => {
    server = await startServerProcess(env);
    admin = client();
    const users = (await (await admin.query('auth.demoUsers')).json()).result.data as Array<{ id: string }>;
    expect(users.map((u) => u.id)).toEqual(['root-admin']);
    expect((await admin.mutate('auth.devLogin', { userId: 'root-admin' })).status).toBe(200);
    expect((await (await admin.query('auth.me')).json()).result.data).toMatchObject({ id: 'root-admin', role: 'admin' });
    const hexbins = (await (await admin.query('map.hexbins', { resolution: 8 })).json()).result.data;
    expect(hexbins.total).toBe(0);
  }, 90_000);

  it('imports the Hong Kong file with npm run import while the server runs; map.hexbins shows it at once', async () => {
    const started = performance.now();
    const r = await npmRun('import', ['--profile', 'hk-td', HK_FILE], env);
    const seconds = (performance.now() - started) / 1000;
    console.log(`${engine}: npm run import of the HK file beside the server took ${seconds.toFixed(1)} s`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`imported:   ${HK_LOCATED.toLocaleString('en-US')} incidents`);
    expect(r.stdout).toContain(`into ${engine}`);
    // DuckDB: the server ran it (one process holds the file); PostgreSQL: the command itself
    expect(server!.output().includes('job channel: import')).toBe(engine === 'duckdb');
    for (const resolution of [8, 11]) {
      const hexbins = (await (await admin.query('map.hexbins', { resolution })).json()).result.data as { total: number; count: number[] };
      expect(hexbins.total).toBe(HK_LOCATED);
      expect(hexbins.count.reduce((a, b) => a + b, 0)).toBe(HK_LOCATED);
    }
  }, 240_000);

  it('runs npm run scan beside the server (exit 0), and users changes show in the open app', async () => {
    const scan = await npmRun('scan', [], env);
    expect(scan.code, scan.stderr).toBe(0);
    // the HK file ends in 2019: the scan looks at the last 12 complete weeks, so it finds no cells
    expect(scan.stdout).toMatch(/^scan: 0 cells in 0 city\(ies\), 0 emerging, 0 new alert\(s\)/);
    const add = await npmRun('users', ['add', '--id', 'hk-analyst', '--name', 'HK Analyst', '--role', 'analyst'], env);
    expect(add.code, add.stderr).toBe(0);
    const users = (await (await client().query('auth.demoUsers')).json()).result.data as Array<{ id: string }>;
    expect(users.map((u) => u.id)).toEqual(['hk-analyst', 'root-admin']);
    expect((await npmRun('users', ['disable', '--id', 'root-admin'], env)).code).toBe(0);
    expect((await admin.query('auth.me')).status).toBe(200);
    expect((await (await admin.query('auth.me')).json()).result.data).toBeNull();
  }, 120_000);

  it('stops cleanly and leaves no job channel behind; commands then work directly', async () => {
    expect(await stopProcess(server!.child)).toBe(0);
    server = null;
    expect(existsSync(join(dataDir, 'run', 'hexwatch.sock'))).toBe(false);
    expect(existsSync(join(dataDir, 'run', 'token'))).toBe(false);
    const list = await npmRun('users', ['list'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('root-admin\tadmin\tdisabled');
  }, 60_000);
});
