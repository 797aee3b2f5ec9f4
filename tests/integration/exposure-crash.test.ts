/**
 * SIGKILL in the middle of exposure writes (DuckDB, the embedded engine), after each of the
 * three INSERT chunks of a batch: the database reopens each time with every acknowledged batch
 * whole and no batch in part.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../../server/store/duckdb.js';

const ROOT = resolve(import.meta.dirname, '../..');
/** As in the child: three INSERT chunks a batch, so a write that is not one transaction would show. */
const BATCH_ROWS = 1500;

/** Runs the writer until it SIGKILLs itself after its `killAfter`-th INSERT; returns the last batch it acknowledged. */
function runAndKill(path: string, killAfter: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/support/exposure-writer-child.ts'), path, String(killAfter)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let acked = 0;
  return new Promise<number>((done, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      for (const m of chunk.toString().matchAll(/^ack (\d+)$/gm)) acked = Math.max(acked, Number(m[1]));
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? done(acked) : fail(new Error(`the writer ended without the kill (${signal})`))));
  });
}

describe('exposure writes and SIGKILL', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'hexwatch-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged batch whole and no batch in part', async () => {
    const path = join(dir, 'hexwatch.duckdb');
    let acked = 0;
    // killed after the 1st, 2nd and 3rd chunk of a batch (the 3rd: all rows sent, not committed)
    for (const killAfter of [4, 5, 6, 2]) {
      acked = Math.max(acked, await runAndKill(path, killAfter));
      const store = await DuckDbStore.open(path);
      try {
        const rows = await store.sqlForBench().query(`SELECT deliveries AS k, count(*) AS n FROM exposure GROUP BY deliveries ORDER BY deliveries`);
        const batches = rows.map((r) => ({ k: Number(r.k), n: Number(r.n) }));
        for (let k = 1; k <= acked; k++) expect(batches.find((b) => b.k === k), `batch ${k} after a kill after INSERT ${killAfter}`).toEqual({ k, n: BATCH_ROWS });
        for (const b of batches) expect(b.n, `batch ${b.k} after a kill after INSERT ${killAfter}`).toBe(BATCH_ROWS);
        acked = Math.max(acked, batches.at(-1)?.k ?? 0);
      } finally {
        await store.close();
      }
    }
  });
});
