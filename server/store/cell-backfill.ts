/**
 * Fills the cell columns of migration 005 (h3_5 .. h3_10) for the rows stored before it, with
 * h3-js `latLngToCell` (no database extension computes H3), then makes them NOT NULL.
 *
 * Crash-safe and resumable: each batch is one UPDATE statement (atomic on both engines), the
 * rows still to do are the ones whose h3_5 is NULL, and the NOT NULL constraints are set last:
 * they are the mark that the job is done (a schema fact, not a row: an empty database stays empty,
 * which a restore checks). A SIGKILL at any point leaves a database that the next start finishes.
 */
import { latLngToServedCellIds, SERVED_RESOLUTIONS } from '../domain/h3-cells.js';
import { COARSE_CELL_COLUMNS } from './cell-columns.js';
import type { SqlDb } from './sql-db.js';
import { num } from './sql-db.js';
import { col } from './sql-rows.js';

const BATCH_ROWS = 20_000;
const PROGRESS_INTERVAL_MS = 2_000;

export interface BackfillOptions {
  log?: (line: string) => void;
  batchRows?: number;
  /** Folds DDL out of the write-ahead log (DuckDB) before the job is marked done. */
  checkpoint?: () => Promise<void>;
}

/** Positions of the coarse columns in latLngToServedCellIds's result. */
const COARSE_INDEXES = COARSE_CELL_COLUMNS.map((_, k) => k);
if (SERVED_RESOLUTIONS.length !== COARSE_CELL_COLUMNS.length + 1) throw new Error('cell columns out of step with SERVED_RESOLUTIONS');

/** @returns the number of rows filled, or null when an earlier run finished the job. */
export async function backfillCellColumns(db: SqlDb, opts: BackfillOptions = {}): Promise<number | null> {
  if (await cellColumnsComplete(db)) return null;
  const log = opts.log ?? (() => undefined);
  const batchRows = opts.batchRows ?? BATCH_ROWS;
  const todo = num((await db.query(`SELECT count(*) AS n FROM incident WHERE h3_5 IS NULL`))[0]!.n);
  if (todo > 0) log(`cells: computing the containing cell at resolutions 5-10 for ${todo.toLocaleString('en-US')} stored incidents`);
  const started = performance.now();
  let lastLog = started;
  let filled = 0;
  let afterId = -1;
  for (;;) {
    const rows = await db.query(
      `SELECT id, lat, lng FROM incident WHERE id > $1 AND h3_5 IS NULL ORDER BY id LIMIT ${batchRows}`,
      [afterId],
    );
    if (!rows.length) break;
    // One text parameter per column (comma-separated integers, split and unnested in SQL the
    // same way on both engines): a VALUES list of 20,000 rows took longer to parse than to run.
    // One statement per batch keeps the batch atomic without holding a transaction open.
    const columns: string[][] = [[], ...COARSE_INDEXES.map(() => [])];
    for (const r of rows) {
      const cells = latLngToServedCellIds(col.number(r, 'lat'), col.number(r, 'lng'));
      columns[0]!.push(String(r.id));
      for (const k of COARSE_INDEXES) columns[k + 1]!.push(String(cells[k]));
    }
    const split = (k: number) => `CAST(unnest(string_to_array($${k + 1}, ',')) AS BIGINT)`;
    await db.query(
      `UPDATE incident SET ${COARSE_CELL_COLUMNS.map((c) => `${c} = v.${c}`).join(', ')}
       FROM (SELECT ${split(0)} AS id, ${COARSE_CELL_COLUMNS.map((c, k) => `${split(k + 1)} AS ${c}`).join(', ')}) AS v
       WHERE incident.id = v.id`,
      columns.map((c) => c.join(',')),
    );
    filled += rows.length;
    afterId = num(rows[rows.length - 1]!.id);
    const now = performance.now();
    if (now - lastLog >= PROGRESS_INTERVAL_MS) {
      lastLog = now;
      const rate = filled / ((now - started) / 1000);
      log(`  cells: ${filled.toLocaleString('en-US')}/${todo.toLocaleString('en-US')} (${((100 * filled) / Math.max(1, todo)).toFixed(0)} %), ~${Math.ceil((todo - filled) / rate)} s left`);
    }
  }
  // Every row has its cells now (writers fill them since 005): refuse any row without them.
  for (const column of COARSE_CELL_COLUMNS) await db.query(`ALTER TABLE incident ALTER COLUMN ${column} SET NOT NULL`);
  await opts.checkpoint?.();
  if (filled > 0) log(`cells: ${filled.toLocaleString('en-US')} incidents done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return filled;
}

/** Whether the backfill finished: its last step made every cell column NOT NULL. */
export async function cellColumnsComplete(db: SqlDb): Promise<boolean> {
  const last = COARSE_CELL_COLUMNS[COARSE_CELL_COLUMNS.length - 1]!;
  const rows = await db.query(
    `SELECT is_nullable FROM information_schema.columns WHERE table_name = 'incident' AND column_name = $1`,
    [last],
  );
  return rows.length > 0 && rows.every((r) => String(r.is_nullable).toUpperCase() === 'NO');
}
