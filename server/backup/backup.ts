/**
 * `runBackup`: a consistent snapshot of the whole database into one engine-neutral file
 * (./format.ts), taken while the server keeps serving. Everything is read in one read
 * transaction: on DuckDB a transaction sees one snapshot (MVCC); on PostgreSQL it runs
 * REPEATABLE READ, READ ONLY. Writers are not blocked; what they commit meanwhile is simply not
 * in this backup. The file appears under its name only when complete (written aside, synced,
 * renamed).
 */
import { createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { loadMigrations } from '../store/migrations.js';
import type { SqlDb, SqlRow } from '../store/sql-db.js';
import { num } from '../store/sql-db.js';
import type { Engine, IncidentStore } from '../store/types.js';
import { quoteIdent, readCatalog, sequenceLastValue } from './catalog.js';
import type { CatalogTable } from './catalog.js';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, readValue, selectExpression } from './format.js';
import type { Manifest } from './format.js';

/** Rows read per query: bounds the memory a table of millions needs. */
const PAGE_ROWS = 20_000;

export interface BackupProgress {
  phase: 'backup' | 'restore';
  /** The table being worked on, when there is one. */
  table?: string;
  /** Rows done and rows in all, over every table. */
  done: number;
  total: number;
  message: string;
}
export type ProgressFn = (progress: BackupProgress) => void;

export interface BackupResult {
  file: string;
  bytes: number;
  schemaVersion: number;
  tables: Array<{ name: string; rows: number }>;
  rows: number;
}

/**
 * Reads a table page by page inside the snapshot. DuckDB: by rowid (its storage order, so the
 * restored table keeps the cell order the writer gave it). PostgreSQL: through a cursor.
 */
async function* readTable(tx: SqlDb, engine: Engine, table: CatalogTable): AsyncGenerator<unknown[][]> {
  const from = quoteIdent(table.name);
  const toArray = (r: SqlRow) => table.columns.map((c, i) => readValue(engine, c.type, r[`c${i}`]));
  const aliased = table.columns.map((c, i) => `${selectExpression(engine, c.name, c.type)} AS c${i}`).join(', ');
  if (engine === 'duckdb') {
    // Row-id ranges, not `rowid > x ORDER BY rowid LIMIT n`: that sorts every remaining row for
    // each page. Deleted rows leave gaps, so a range may come back short or empty.
    const last = (await tx.query(`SELECT max(rowid) AS m FROM ${from}`))[0]!.m;
    if (last === null || last === undefined) return;
    const end = BigInt(last as bigint | number);
    for (let lo = 0n; lo <= end; lo += BigInt(PAGE_ROWS)) {
      const rows = await tx.query(`SELECT ${aliased} FROM ${from} WHERE rowid >= $1 AND rowid < $2 ORDER BY rowid`, [lo, lo + BigInt(PAGE_ROWS)]);
      if (rows.length) yield rows.map(toArray);
    }
    return;
  }
  await tx.query(`DECLARE hexwatch_backup NO SCROLL CURSOR FOR SELECT ${aliased} FROM ${from}`);
  try {
    for (;;) {
      const rows = await tx.query(`FETCH FORWARD ${PAGE_ROWS} FROM hexwatch_backup`);
      if (!rows.length) return;
      yield rows.map(toArray);
    }
  } finally {
    await tx.query(`CLOSE hexwatch_backup`);
  }
}

function checkRow(row: unknown[], table: CatalogTable): unknown[] {
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new Error(`backup cannot carry ${table.name}.${table.columns[i]!.name} = ${v} (not a finite number)`);
    }
  }
  return row;
}

/**
 * Writes a backup of `store` to `opts.out`. Refuses to overwrite an existing file.
 * @throws Error when the catalog holds something the format cannot carry (./catalog.ts) or the
 *   file cannot be written; no file is left under `opts.out` then.
 */
export async function runBackup(
  store: IncidentStore,
  opts: { out: string; signal?: AbortSignal },
  progress: ProgressFn = () => undefined,
): Promise<BackupResult> {
  const out = resolve(opts.out);
  if (await stat(out).then(() => true, () => false)) throw new Error(`backup: ${out} already exists; choose another --out`);
  const partial = `${out}.partial`;
  const engine = store.engine;
  const db = store.sqlForTools();
  try {
    const result = await db.transaction(async (tx) => {
      // must be the transaction's first statement on PostgreSQL; DuckDB transactions are snapshots already
      if (engine === 'postgres') await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const catalog = await readCatalog(tx, engine);
      const applied = await tx.query(`SELECT version, name FROM schema_migrations ORDER BY version`);
      const migrations = applied.map((r) => ({ version: num(r.version), name: String(r.name) }));
      const known = new Set(loadMigrations(engine).map((m) => m.version));
      const unknown = migrations.filter((m) => !known.has(m.version));
      if (unknown.length) throw new Error(`backup: the database has migrations this Hexwatch does not know (${unknown.map((m) => `${m.version}_${m.name}`).join(', ')})`);
      const tables: Manifest['tables'] = [];
      for (const t of catalog.tables) {
        const rows = num((await tx.query(`SELECT count(*) AS n FROM ${quoteIdent(t.name)}`))[0]!.n);
        tables.push({ name: t.name, columns: t.columns.map(({ name, type }) => ({ name, type })), rows });
      }
      const sequences = [];
      for (const name of catalog.sequences) sequences.push({ name, lastValue: await sequenceLastValue(tx, engine, name) });
      const manifest: Manifest = {
        format: BACKUP_FORMAT,
        formatVersion: BACKUP_FORMAT_VERSION,
        createdAt: new Date().toISOString(),
        engine,
        schemaVersion: migrations.length ? migrations[migrations.length - 1]!.version : 0,
        migrations,
        tables,
        sequences,
      };
      const total = tables.reduce((s, t) => s + t.rows, 0);
      let done = 0;
      progress({ phase: 'backup', done, total, message: `backup: ${tables.length} tables, ${total} rows (${engine}, schema ${manifest.schemaVersion})` });

      async function* lines(): AsyncGenerator<string> {
        yield `${JSON.stringify({ manifest })}\n`;
        for (const [i, table] of catalog.tables.entries()) {
          yield `${JSON.stringify({ table: table.name })}\n`;
          let written = 0;
          for await (const page of readTable(tx, engine, table)) {
            opts.signal?.throwIfAborted();
            yield page.map((row) => JSON.stringify(checkRow(row, table))).join('\n') + '\n';
            written += page.length;
            done += page.length;
            progress({ phase: 'backup', table: table.name, done, total, message: `backup: ${table.name} ${written}/${tables[i]!.rows} rows` });
          }
          // the snapshot makes this hold; a mismatch means the read was not consistent
          if (written !== tables[i]!.rows) throw new Error(`backup: ${table.name} gave ${written} rows where the snapshot counted ${tables[i]!.rows}`);
        }
        yield `${JSON.stringify({ end: { tables: tables.length, rows: total } })}\n`;
      }
      await pipeline(lines(), createGzip(), createWriteStream(partial, { flags: 'w', mode: 0o600 }));
      return { schemaVersion: manifest.schemaVersion, tables: tables.map(({ name, rows }) => ({ name, rows })), rows: total };
    });
    // durable before it gets its name: a crash leaves either no backup or a whole one
    const handle = await open(partial, 'r');
    await handle.sync();
    await handle.close();
    await rename(partial, out);
    const dir = await open(dirname(out), 'r');
    await dir.sync().catch(() => undefined);
    await dir.close();
    const bytes = (await stat(out)).size;
    progress({ phase: 'backup', done: result.rows, total: result.rows, message: `backup: wrote ${out} (${result.rows} rows, ${bytes} bytes)` });
    return { file: out, bytes, ...result };
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
