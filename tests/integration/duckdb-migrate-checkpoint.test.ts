/**
 * DuckDB: migrations leave no DDL in the write-ahead log (a SIGKILL before the first checkpoint
 * would otherwise leave the schema to a WAL replay). The WAL is empty right after migrate().
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../../server/store/duckdb.js';

describe('DuckDB migrations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hexwatch-ckpt-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checkpoint after migrating: the WAL holds nothing', async () => {
    const path = join(dir, 'hexwatch.duckdb');
    const store = await DuckDbStore.open(path);
    try {
      await store.migrate();
      const wal = `${path}.wal`;
      expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
      // and the tables of the last migrations are in the file
      expect(await store.countermeasures.list({ scope: { all: true }, limit: 1 })).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
