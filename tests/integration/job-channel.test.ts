/**
 * The local job channel of a running server (DuckDB, which one process holds): private files,
 * jobs handed over and streamed back, visible at once over HTTP, a wrong token refused, a job
 * cancelled by its command going away (nothing stored), and no channel left after shutdown.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { channelPaths, handOff } from '../../server/ops/channel.js';
import { onDataChanged } from '../../server/ops/data-changed.js';
import { runJobCommand } from '../../server/ops/run-command.js';
import { createPostgresDatabase } from '../support/engines.js';
import type { DataChange } from '../../server/ops/data-changed.js';
import { httpClient, startTestServer } from '../support/test-server.js';
import type { TestServer } from '../support/test-server.js';

const HK_FILE = new URL('../../../shared/data/hk-accidents/hk_accidents_2014_2019.csv.gz', import.meta.url).pathname;

/** A raw client that speaks the documented protocol (not the code under test). */
function rawRequest(socketPath: string, request: unknown): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => resolve(data.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>)));
    socket.on('connect', () => socket.write(`${typeof request === 'string' ? request : JSON.stringify(request)}\n`));
  });
}

describe('job channel of a running server (duckdb)', () => {
  let server: TestServer;
  const changes: DataChange[] = [];
  const unsubscribe = onDataChanged((c) => changes.push(c));

  beforeAll(async () => {
    server = await startTestServer({ demo: 'none' });
  });
  afterAll(async () => {
    unsubscribe();
    await server?.close();
  });

  async function run(job: string, argv: string[], signal?: AbortSignal, onOut?: (line: string) => void) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await handOff(
      server.dataDir,
      { job, argv, cwd: server.dataDir },
      { out: (l) => (out.push(l), onOut?.(l)), err: (l) => err.push(l) },
      signal,
    );
    return { code, out, err };
  }

  it('lives in DATA_DIR/run: folder 0700, socket and a 256-bit token 0600', () => {
    const paths = channelPaths(server.dataDir);
    expect(statSync(paths.dir).mode & 0o777).toBe(0o700);
    expect(statSync(paths.socket).isSocket()).toBe(true);
    expect(statSync(paths.socket).mode & 0o777).toBe(0o600);
    expect(statSync(paths.token).mode & 0o777).toBe(0o600);
  });

  it('runs a handed-off users job in the server: the new user can sign in at once over HTTP', async () => {
    changes.length = 0;
    const r = await run('users', ['add', '--id', 'first-admin', '--name', 'First Admin', '--role', 'admin']);
    expect(r).toEqual({ code: 0, out: ['added user first-admin (First Admin, admin)'], err: [] });
    expect(changes).toEqual([{ job: 'users' }]);
    const client = httpClient(server.url);
    const listed = (await (await client.query('auth.demoUsers')).json()).result.data as Array<{ id: string }>;
    expect(listed.map((u) => u.id)).toEqual(['first-admin']);
    expect((await client.mutate('auth.devLogin', { userId: 'first-admin' })).status).toBe(200);
    expect((await (await client.query('auth.me')).json()).result.data).toMatchObject({ id: 'first-admin', role: 'admin' });
  });

  it("passes the job's exit code and its error lines through", async () => {
    const r = await run('users', ['add', '--id', 'first-admin', '--name', 'Again', '--role', 'viewer']);
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(/--id: a user "first-admin" already exists/);
    expect((await run('import', ['--profile', 'nope', 'x.csv'])).code).toBe(2);
    // every registered command is reachable: sync:bitable and scan check their arguments in the server
    expect(await run('sync:bitable', ['--table', 't'])).toMatchObject({ code: 2, err: [expect.stringMatching(/^usage: npm run sync:bitable/)] });
    expect(await run('scan', ['now'])).toMatchObject({ code: 2, err: [expect.stringMatching(/scan takes no arguments/)] });
  });

  it('resolves a relative file against the command’s folder, not the server’s', async () => {
    writeFileSync(`${server.dataDir}/stores.csv`, 'store_code,store_name,city_key,city_name,city_tz,lat,lng,radius_m\n');
    const r = await run('import', ['--profile', 'stores', 'stores.csv']);
    expect(r.out[0]).toContain(`${server.dataDir}/stores.csv`);
  });

  it('refuses a request without the right token, and a malformed one; nothing runs', async () => {
    const paths = channelPaths(server.dataDir);
    const wrong = await rawRequest(paths.socket, { v: 1, kind: 'run', token: 'f'.repeat(64), job: 'users', argv: ['add', '--id', 'intruder', '--name', 'I', '--role', 'admin'], cwd: '/' });
    expect(wrong.at(-1)).toEqual({ t: 'exit', code: 2 });
    expect(wrong[0]).toMatchObject({ t: 'err', line: expect.stringMatching(/wrong token/) });
    const malformed = await rawRequest(paths.socket, 'hello');
    expect(malformed.at(-1)).toEqual({ t: 'exit', code: 2 });
    const token = readFileSync(paths.token, 'utf8').trim();
    const relative = await rawRequest(paths.socket, { v: 1, kind: 'run', token, job: 'users', argv: ['add', '--id', 'intruder', '--name', 'I', '--role', 'admin'], cwd: 'somewhere' });
    expect(relative.at(-1)).toEqual({ t: 'exit', code: 2 });
    expect(await server.store.getUser('intruder')).toBeNull();
  });

  it('cancels a handed-off import when its command goes away: exit 130, nothing stored', async () => {
    const abort = new AbortController();
    const r = await run('import', ['--profile', 'hk-td', HK_FILE], abort.signal, (line) => {
      if (/ rows, .* rows\/s/.test(line)) abort.abort();
    });
    expect(r.code).toBe(130);
    // jobs run one at a time: this one runs once the cancelled import has rolled back
    expect((await run('users', ['list'])).code).toBe(0);
    expect((await server.store.incidentTotals({ all: true })).total).toBe(0);
  }, 120_000);

  it('takes a "data changed" notice (a command that wrote to a shared PostgreSQL directly)', async () => {
    changes.length = 0;
    const r = await handOff(server.dataDir, { job: 'import', changed: true }, { out: () => undefined, err: () => undefined });
    expect(r).toBe(0);
    expect(changes).toEqual([{ job: 'import' }]);
  });

  it('is gone after shutdown: commands then work directly (handOff answers null)', async () => {
    await server.stop();
    const paths = channelPaths(server.dataDir);
    expect(() => statSync(paths.socket)).toThrow();
    expect(() => statSync(paths.token)).toThrow();
    expect(await run('users', ['list'])).toMatchObject({ code: null });
    // a socket file left by a killed server (here: any file that nobody listens on) is stale
    writeFileSync(paths.socket, '');
    writeFileSync(paths.token, 'x\n', { mode: 0o600 });
    expect(await run('users', ['list'])).toMatchObject({ code: null });
  });
});

const pgUrl = inject('pgUrl');
describe.runIf(pgUrl)('commands beside a running server on PostgreSQL', () => {
  let server: TestServer;
  let databaseUrl: string;
  const changes: DataChange[] = [];
  const unsubscribe = onDataChanged((c) => changes.push(c));

  beforeAll(async () => {
    databaseUrl = await createPostgresDatabase(pgUrl!);
    server = await startTestServer({ demo: 'none', env: { DATABASE_URL: databaseUrl } });
  });
  afterAll(async () => {
    unsubscribe();
    await server?.close();
  });

  it('run directly on the shared database, then tell the server on the same DATA_DIR that data changed', async () => {
    changes.length = 0;
    const out: string[] = [];
    const code = await runJobCommand('users', ['add', '--id', 'pg-admin', '--name', 'PG Admin', '--role', 'admin'], {
      environment: { NODE_ENV: 'test', DATA_DIR: server.dataDir, DATABASE_URL: databaseUrl },
      progress: { out: (l) => out.push(l), err: (l) => out.push(l) },
    });
    expect(code).toBe(0);
    expect(out).toEqual(['added user pg-admin (PG Admin, admin)']);
    expect(changes).toEqual([{ job: 'users' }]);
    const listed = (await (await httpClient(server.url).query('auth.demoUsers')).json()).result.data as Array<{ id: string }>;
    expect(listed.map((u) => u.id)).toEqual(['pg-admin']);
  });
});
