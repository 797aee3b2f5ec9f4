/**
 * A crash is a normal event: the server (DuckDB) is SIGKILLed in the middle of an import handed to
 * it by `npm run import`. The command exits 1 saying why; the database reopens with everything
 * acknowledged before (the first admin) and nothing of the import; the socket the dead server
 * left is noticed as stale, so the next command works directly.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DUCKDB_FILE } from '../../server/store/index.js';
import { DuckDbStore } from '../../server/store/duckdb.js';
import { childEnv, npmRun, startServerProcess, stopProcess } from '../support/processes.js';

const HK_FILE = new URL('../../../shared/data/hk-accidents/hk_accidents_2014_2019.csv.gz', import.meta.url).pathname;

describe('a server killed in the middle of a handed-off import (duckdb)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hw-crash-'));
  const env = childEnv({ DATA_DIR: dataDir }, null);
  let server: Awaited<ReturnType<typeof startServerProcess>> | null = null;
  afterAll(async () => {
    if (server) await stopProcess(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fails the command with the cause; the database reopens without a partial import; the next command works directly', async () => {
    expect((await npmRun('users', ['add', '--id', 'admin', '--name', 'Admin', '--role', 'admin'], env)).code).toBe(0);
    server = await startServerProcess(env);
    let killed = false;
    const r = await npmRun('import', ['--profile', 'hk-td', HK_FILE], env, (soFar) => {
      // the first progress line: rows are staged in the server, nothing committed yet
      if (!killed && / rows, [\d,]+ rows\/s/.test(soFar)) {
        killed = true;
        server!.child.kill('SIGKILL');
      }
    });
    expect(killed).toBe(true);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the server closed the connection before the job ended/);
    expect(r.stdout).not.toMatch(/imported:/);
    server = null;
    expect(existsSync(join(dataDir, 'run', 'hexwatch.sock'))).toBe(true); // left behind by the killed server

    const list = await npmRun('users', ['list'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toBe('admin\tadmin\tactive\tAdmin\t-\t-\n');

    const store = await DuckDbStore.open(join(dataDir, DUCKDB_FILE));
    try {
      expect((await store.incidentTotals({ all: true })).total).toBe(0);
      expect((await store.getUser('admin'))?.role).toBe('admin');
    } finally {
      await store.close();
    }
  }, 180_000);
});
