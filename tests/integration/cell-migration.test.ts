/**
 * Migration 005 on a database written before it (the first release's schema, cells at
 * resolution 11 only): the backfill fills h3_5..h3_10 with the containing cell of every stored
 * incident, checked here against h3-js latLngToCell; it survives an interruption between
 * batches on both engines and a SIGKILL in the middle on DuckDB, and then refuses rows without
 * cells.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latLngToCell } from 'h3-js';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { backfillCellColumns, cellColumnsComplete } from '../../server/store/cell-backfill.js';
import { DuckDbStore } from '../../server/store/duckdb.js';
import { applyMigrations, loadMigrations } from '../../server/store/migrations.js';
import { PostgresStore } from '../../server/store/postgres.js';
import type { SqlDb, SqlRow } from '../../server/store/sql-db.js';
import type { SqlIncidentStore } from '../../server/store/sql-store.js';
import type { Engine } from '../../server/store/types.js';
import { createPostgresDatabase } from '../support/engines.js';
import { prng } from '../support/random-incidents.js';

const RESOLUTIONS = [5, 6, 7, 8, 9, 10] as const;

/** The store's SQL connection (protected in the class; the test writes first-release rows with it). */
const sqlOf = (store: SqlIncidentStore) => (store as unknown as { db: SqlDb }).db;

/** The schema of the first release: migrations 001..004 only. */
async function oldSchema(store: SqlIncidentStore, engine: Engine): Promise<SqlDb> {
  const db = sqlOf(store);
  await applyMigrations(db, engine, undefined, Infinity, loadMigrations(engine).filter((m) => m.version < 5));
  return db;
}

/** n first-release incidents around Hong Kong, Fuzhou and a pentagon's neighbourhood, as raw SQL. */
function oldRowsSql(n: number, firstId = 1): string {
  const r = prng(5);
  const places = [[22.32, 114.17], [26.07, 119.3], [64.7, 10.5]] as const;
  const values: string[] = [];
  for (let k = 0; k < n; k++) {
    const [lat0, lng0] = places[k % places.length]!;
    const [lat, lng] = [lat0 + (r.next() - 0.5) * 0.2, lng0 + (r.next() - 0.5) * 0.2];
    const id = firstId + k;
    values.push(
      `(${id}, 'accident', 'other', 2, TIMESTAMPTZ '2025-01-01 00:00:00+00', ${lat}, ${lng}, ${BigInt('0x' + latLngToCell(lat, lng, 11))}, 1, 'import', 'old-${id}', 'open', TIMESTAMPTZ '2025-01-01 00:00:00+00', TIMESTAMPTZ '2025-01-01 00:00:00+00')`,
    );
  }
  return `INSERT INTO incident (id, kind, category, severity, occurred_at, lat, lng, h3, city_id, source, external_id, status, created_at, updated_at)
          VALUES ${values.join(', ')}`;
}

/** Rows whose stored cells are not latLngToCell's, per resolution (computed here with h3-js). */
async function wrongCells(db: SqlDb): Promise<{ rows: number; wrong: number }> {
  const rows: SqlRow[] = await db.query(`SELECT lat, lng, ${RESOLUTIONS.map((r) => `h3_${r}`).join(', ')} FROM incident`);
  let wrong = 0;
  for (const row of rows) {
    for (const r of RESOLUTIONS) {
      const stored = row[`h3_${r}`];
      if (stored === null || BigInt(stored as bigint) !== BigInt('0x' + latLngToCell(Number(row.lat), Number(row.lng), r))) wrong++;
    }
  }
  return { rows: rows.length, wrong };
}

interface Opener {
  engine: Engine;
  open: () => Promise<SqlIncidentStore>;
}

function openers(): Opener[] {
  const list: Opener[] = [{ engine: 'duckdb', open: () => DuckDbStore.open(':memory:') }];
  const pgUrl = inject('pgUrl');
  if (pgUrl) list.push({ engine: 'postgres', open: async () => PostgresStore.open(await createPostgresDatabase(pgUrl), { max: 2 }) });
  return list;
}

describe.each(openers())('migration 005 (cell columns) on $engine', ({ engine, open }) => {
  it('fills every stored incident with its containing cells, resumes after an interruption, then refuses rows without cells', async () => {
    const store = await open();
    try {
      const db = await oldSchema(store, engine);
      await db.query(oldRowsSql(3000));
      await applyMigrations(db, engine); // 005's columns, empty
      expect((await wrongCells(db)).wrong).toBe(3000 * RESOLUTIONS.length);

      // interrupted after two batches: what was written stays, the rest is still to do
      let updates = 0;
      const failing: SqlDb = {
        query: async (sql, params) => {
          if (sql.trimStart().startsWith('UPDATE') && ++updates > 2) throw new Error('power cut');
          return db.query(sql, params);
        },
        transaction: (fn) => db.transaction(fn),
        lockChangeFeed: () => db.lockChangeFeed(),
        announceChanges: () => db.announceChanges(),
      };
      await expect(backfillCellColumns(failing, { batchRows: 500 })).rejects.toThrow('power cut');
      expect((await wrongCells(db)).wrong).toBe(2000 * RESOLUTIONS.length);

      const lines: string[] = [];
      await store.migrate({ log: (line) => lines.push(line), batchRows: 500 });
      expect(await wrongCells(db)).toEqual({ rows: 3000, wrong: 0 });
      expect(lines[0]).toMatch(/cells: computing .* for 2,000 stored incidents/);
      expect(lines.at(-1)).toMatch(/cells: 2,000 incidents done/);
      expect(await cellColumnsComplete(db)).toBe(true);

      // the hexbins now count by containment, as h3-js does
      const bins = await store.hexbins({ resolution: 8, filters: {}, now: new Date() }, { all: true });
      const want = new Map<string, number>();
      for (const row of await db.query(`SELECT lat, lng FROM incident`)) {
        const cell = latLngToCell(Number(row.lat), Number(row.lng), 8);
        want.set(cell, (want.get(cell) ?? 0) + 1);
      }
      expect(new Map(bins.cells.map((c, j) => [c, bins.count[j]!]))).toEqual(want);

      // done once: a second start does nothing, and a row without cells is refused
      const again: string[] = [];
      await store.migrate({ log: (line) => again.push(line) });
      expect(again).toEqual([]);
      await expect(db.query(oldRowsSql(1, 10_000))).rejects.toThrow(/NOT NULL|null value/i);
      expect((await wrongCells(db)).rows).toBe(3000);
    } finally {
      await store.close();
    }
  }, 120_000);
});

describe('migration 005 on DuckDB killed in the middle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hexwatch-cells-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reopens after a SIGKILL halfway through the backfill and finishes it', async () => {
    const path = join(dir, 'old.duckdb');
    const rows = 150_000;
    {
      const store = await DuckDbStore.open(path);
      const db = await oldSchema(store, 'duckdb');
      // first-release rows generated in SQL (the backfill reads only id, lat and lng)
      await db.query(
        `INSERT INTO incident (id, kind, category, severity, occurred_at, lat, lng, h3, city_id, source, external_id, status, created_at, updated_at)
         SELECT range + 1, 'accident', 'other', 2, TIMESTAMPTZ '2025-01-01 00:00:00+00', 22.2 + 0.3 * random(), 113.9 + 0.4 * random(),
                0, 1, 'import', 'old-' || range, 'open', TIMESTAMPTZ '2025-01-01 00:00:00+00', TIMESTAMPTZ '2025-01-01 00:00:00+00'
         FROM range(${rows})`,
      );
      await store.close();
    }
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/migrate-child.ts', path, '5000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    const killed = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        // the first progress line: batches are being written
        if (/\(\d+ %\)/.test(output) && child.exitCode === null) child.kill('SIGKILL');
      });
      child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`the migration ended before the kill: ${output}`))));
    });
    await killed;

    const store = await DuckDbStore.open(path);
    try {
      const db = sqlOf(store);
      const done = Number((await db.query(`SELECT count(h3_5) AS n FROM incident`))[0]!.n);
      expect(done).toBeGreaterThan(0); // killed halfway: some batches were committed...
      expect(done).toBeLessThan(rows); // ...and not all
      await store.migrate();
      const check = await db.query(`SELECT count(*) AS n, count(h3_10) AS filled FROM incident`);
      expect(check[0]).toMatchObject({ n: BigInt(rows), filled: BigInt(rows) });
      // a sample checked against h3-js
      const sample = await db.query(`SELECT lat, lng, h3_7, h3_10 FROM incident USING SAMPLE 500 ROWS`);
      for (const row of sample) {
        expect(BigInt(row.h3_7 as bigint)).toBe(BigInt('0x' + latLngToCell(Number(row.lat), Number(row.lng), 7)));
        expect(BigInt(row.h3_10 as bigint)).toBe(BigInt('0x' + latLngToCell(Number(row.lat), Number(row.lng), 10)));
      }
    } finally {
      await store.close();
    }
  }, 180_000);
});
