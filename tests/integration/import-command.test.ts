/**
 * The CLI entry as `npm run import` runs it: store from DATA_DIR (a DuckDB file), summary on
 * stdout, exit codes 0 / 1 (refused) / 2 (usage).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImportCommand } from '../../server/ingest/import-command.js';
import { DUCKDB_FILE } from '../../server/store/index.js';
import { DuckDbStore } from '../../server/store/duckdb.js';

const SAMPLES = new URL('../../data/samples/', import.meta.url).pathname;

describe('runImportCommand', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hexwatch-cli-'));
  const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };
  beforeAll(() => {
    process.env.DATA_DIR = dir;
    delete process.env.DATABASE_URL;
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runImportCommand(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('imports into the DuckDB file under DATA_DIR and prints a summary; exit 0', async () => {
    expect((await run(['--profile', 'stores', join(SAMPLES, 'stores-example.csv')])).code).toBe(0);
    const bad = join(dir, 'one-bad.csv');
    writeFileSync(bad, 'external_id,kind,category,severity,occurred_at,lat,lng,store_code\nz-1,accident,other,9,2025-03-01T08:00:00+08:00,26.08,119.29,FZ-GL01\n');
    const r = await run(['--profile', 'hexwatch', bad]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('rejected:   1');
    expect(r.out).toContain('1  severity: is outside 1..4');
    expect(r.out).toContain('row 1: severity: is outside 1..4 (got "9")');
    const store = await DuckDbStore.open(join(dir, DUCKDB_FILE));
    try {
      expect(await store.listStores({ all: true })).toHaveLength(9);
    } finally {
      await store.close();
    }
  });

  it('exits 1 with the reason when the file is refused', async () => {
    const file = join(dir, 'wrong.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    const r = await run(['--profile', 'hexwatch', file]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^import refused: .*header does not fit the hexwatch profile/);
  });

  it('exits 2 on a usage error without opening the store', async () => {
    const r = await run(['--profile', 'nope', 'x.csv']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown profile "nope"');
  });
});
