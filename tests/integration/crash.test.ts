/**
 * Crash safety (issue 11), inside `npm test` with a short budget: a few SIGKILL cycles per engine
 * against the real server (the long run is `npm run test:crash`), and DuckDB's fallback when its
 * WAL cannot be replayed: the WAL is kept aside and the ingest journal brings back every
 * acknowledged batch.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { DuckDbStore } from '../../server/store/duckdb.js';
import { runCrashCycles } from '../crash/crash-cycles.js';
import { createPostgresDatabase } from '../support/engines.js';
import { incident } from '../support/fixtures.js';

const engines = ['duckdb', ...(inject('pgUrl') ? ['postgres'] : [])] as const;

describe.each(engines)('SIGKILL during ingest on %s', (engine) => {
  it('reopens with every acknowledged batch, and each batch in flight whole or absent', { timeout: 240_000 }, async () => {
    const lines: string[] = [];
    const result = await runCrashCycles({
      engine: engine as 'duckdb' | 'postgres',
      databaseUrl: engine === 'postgres' ? await createPostgresDatabase(inject('pgUrl')!) : undefined,
      // DuckDB is where crashes went wrong: it gets two of the three kills of the short budget
      cycles: engine === 'duckdb' ? 2 : 1,
      killAfterMs: [400, 1500],
      clients: 3,
      batchSize: [1, 120],
      log: (line) => lines.push(line),
    });
    console.log(lines.join('\n'));
    expect(result.problems).toEqual([]);
    expect(result.cycles).toHaveLength(engine === 'duckdb' ? 2 : 1);
    // the kills came while batches were being acknowledged, not before the first one
    expect(result.cycles.reduce((n, c) => n + c.acknowledged.batches, 0)).toBeGreaterThan(0);
    expect(result.storedRows).toBe(result.distinctRecordsSent);
  });
});

describe('DuckDB WAL that cannot be replayed', () => {
  it('is kept aside, and the ingest journal re-applies every acknowledged batch', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hexwatch-wal-fallback-'));
    try {
      const path = join(dir, 'hexwatch.duckdb');
      const before = Array.from({ length: 30 }, (_, i) => incident({ source: 'ai_vision', externalId: `before-${i}` }));
      const after = Array.from({ length: 20 }, (_, i) => incident({ source: 'ai_vision', externalId: `after-${i}`, lat: 26.09, lng: 119.28 }));
      writeFileSync(join(dir, 'records.json'), JSON.stringify([before, after]));
      const child = spawnSync(process.execPath, ['--import', 'tsx', 'tests/crash/wal-fallback-child.ts', path, join(dir, 'records.json')], {
        encoding: 'utf8',
      });
      expect(child.signal, child.stderr).toBe('SIGKILL');
      expect(JSON.parse(child.stdout)).toEqual([
        { inserted: 30, duplicates: 0 },
        { inserted: 20, duplicates: 0 },
      ]);

      const logged: string[] = [];
      const store = await DuckDbStore.open(path, { log: (line) => logged.push(line) });
      try {
        expect(store.walSetAside).toMatch(/hexwatch\.duckdb\.wal\.unreplayable-/);
        expect(logged.join('\n')).toMatch(/could not replay its WAL/);
        await store.migrate();
        for (const id of ['before-0', 'before-29', 'after-0', 'after-19']) {
          expect(await store.incidentBySourceKey('ai_vision', id, { all: true }), id).not.toBeNull();
        }
        expect((await store.incidentTotals({ all: true }, { source: 'ai_vision' })).total).toBe(50);
        expect(logged.join('\n')).toMatch(/2 acknowledged batches re-applied, 50 records were missing/);
      } finally {
        await store.close();
      }
      expect(readdirSync(dir).filter((f) => f.includes('.wal.unreplayable-'))).toHaveLength(1);
      // what was re-applied is in the checkpoint now: the journal is empty
      const journalBytes = () => statSync(`${path}.ingest-journal`).size;
      expect(journalBytes()).toBe(0);
      // the next start finds the same rows; past its threshold the journal is folded between groups
      const again = await DuckDbStore.open(path, { journalCheckpointBytes: 1 });
      try {
        await again.migrate();
        expect(again.walSetAside).toBeNull();
        expect((await again.incidentTotals({ all: true }, { source: 'ai_vision' })).total).toBe(50);
        expect(await again.ingest([incident({ source: 'ai_vision', externalId: 'later' })])).toEqual({ inserted: 1, duplicates: 0 });
        await again.committer.flush();
        expect(journalBytes()).toBe(0);
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
