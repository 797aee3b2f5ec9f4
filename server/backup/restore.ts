/**
 * `runRestore`: loads a backup (./format.ts) into an empty database of either engine. The target
 * is migrated to the backup's schema version, every row goes in within one transaction (a crash
 * or a bad line leaves the database empty, as it was), sequences continue past the restored ids,
 * and then the migrations newer than the backup run as they would on any older database.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { loadMigrations } from '../store/migrations.js';
import type { SqlDb, SqlValue } from '../store/sql-db.js';
import { num } from '../store/sql-db.js';
import type { IncidentStore } from '../store/types.js';
import type { ProgressFn } from './backup.js';
import { advanceSequence, quoteIdent, readCatalog } from './catalog.js';
import type { Catalog, NeutralType } from './catalog.js';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, checkValue, insertPlaceholder } from './format.js';
import type { Manifest, ManifestTable } from './format.js';

export interface RestoreResult {
  file: string;
  schemaVersion: number;
  tables: Array<{ name: string; rows: number }>;
  rows: number;
}

/** The file's lines, numbered from 1; gunzip and read errors surface as the iteration's error. */
async function* readLines(file: string): AsyncGenerator<{ n: number; text: string }> {
  const gunzip = createGunzip();
  createReadStream(file)
    .on('error', (error) => gunzip.destroy(error))
    .pipe(gunzip);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let n = 0;
  for await (const chunk of gunzip) {
    const parts = (rest + decoder.write(chunk as Buffer)).split('\n');
    rest = parts.pop()!;
    for (const text of parts) yield { n: ++n, text };
  }
  rest += decoder.end();
  if (rest) yield { n: n + 1, text: rest };
}

function parseLine(line: { n: number; text: string }, file: string): unknown {
  try {
    return JSON.parse(line.text);
  } catch {
    throw new Error(`restore: ${file} line ${line.n} is not JSON (the file is damaged)`);
  }
}

function checkManifest(value: unknown, file: string): Manifest {
  const m = (value as { manifest?: Manifest } | null)?.manifest;
  if (!m || m.format !== BACKUP_FORMAT || !Array.isArray(m.tables) || !Array.isArray(m.migrations)) {
    throw new Error(`restore: ${file} is not a Hexwatch backup (no manifest on its first line)`);
  }
  if (m.formatVersion > BACKUP_FORMAT_VERSION) {
    throw new Error(`restore: ${file} has backup format ${m.formatVersion}; this Hexwatch reads up to ${BACKUP_FORMAT_VERSION}. Upgrade Hexwatch first.`);
  }
  return m;
}

/** Every table of the target that already holds a row (restore only fills an empty database). */
async function nonEmptyTables(db: SqlDb, catalog: Catalog): Promise<string[]> {
  const names = [...catalog.tables.map((t) => t.name)];
  const full: string[] = [];
  for (const name of names) {
    if ((await db.query(`SELECT 1 AS x FROM ${quoteIdent(name)} LIMIT 1`)).length) full.push(name);
  }
  return full;
}

/** Checks that every table and column of the backup has a home of the same type in the target. */
function checkTargetFits(manifest: Manifest, target: Catalog): void {
  const byName = new Map(target.tables.map((t) => [t.name, t]));
  for (const table of manifest.tables) {
    const into = byName.get(table.name);
    if (!into) throw new Error(`restore: the target database has no table ${table.name}`);
    for (const column of table.columns) {
      const to = into.columns.find((c) => c.name === column.name);
      if (!to) throw new Error(`restore: the target table ${table.name} has no column ${column.name}`);
      if (to.type !== column.type) {
        throw new Error(`restore: ${table.name}.${column.name} is ${column.type} in the backup but ${to.type} in the target`);
      }
    }
  }
}

/** Inserts a table's rows in batches, inside the restore's transaction. */
interface TableLoader {
  batchRows(table: ManifestTable): number;
  insert(table: ManifestTable, rows: SqlValue[][]): Promise<void>;
  close(): Promise<void>;
}

/** PostgreSQL: multi-row INSERT ... VALUES with parameters (at most 65,535 per statement). */
class SqlValuesLoader implements TableLoader {
  constructor(private readonly tx: SqlDb) {}

  batchRows(table: ManifestTable): number {
    return Math.max(1, Math.min(1000, Math.floor(20_000 / table.columns.length)));
  }

  async insert(table: ManifestTable, rows: SqlValue[][]): Promise<void> {
    const width = table.columns.length;
    const values = rows
      .map((_, r) => `(${table.columns.map((c, i) => insertPlaceholder(r * width + i + 1, c.type)).join(', ')})`)
      .join(', ');
    await this.tx.query(`INSERT INTO ${quoteIdent(table.name)} (${table.columns.map((c) => quoteIdent(c.name)).join(', ')}) VALUES ${values}`, rows.flat());
  }

  async close(): Promise<void> {}
}

/**
 * DuckDB: binding parameters costs about 2 ms a row there (measured, any batch size), so rows go
 * through a private temporary JSON-lines file that DuckDB's own reader loads, typed per column
 * (about 150,000 rows a second on 2 cores). The file holds one batch at a time.
 */
class DuckDbJsonLoader implements TableLoader {
  private constructor(
    private readonly tx: SqlDb,
    private readonly dir: string,
  ) {}

  static async open(tx: SqlDb): Promise<DuckDbJsonLoader> {
    return new DuckDbJsonLoader(tx, await mkdtemp(join(tmpdir(), 'hexwatch-restore-'))); // mode 0700
  }

  batchRows(): number {
    return 100_000;
  }

  async insert(table: ManifestTable, rows: SqlValue[][]): Promise<void> {
    const path = join(this.dir, 'batch.ndjson');
    const body = rows.map((row) => JSON.stringify(Object.fromEntries(row.map((v, i) => [`c${i}`, v])))).join('\n');
    await writeFile(path, body + '\n', { mode: 0o600 });
    const columns = table.columns.map((c, i) => `c${i}: '${DUCKDB_JSON_TYPE[c.type]}'`).join(', ');
    await this.tx.query(
      `INSERT INTO ${quoteIdent(table.name)} (${table.columns.map((c) => quoteIdent(c.name)).join(', ')})
       SELECT ${table.columns.map((_, i) => `c${i}`).join(', ')}
       FROM read_json('${path.replaceAll("'", "''")}', format = 'newline_delimited', columns = {${columns}})`,
    );
  }

  async close(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** How DuckDB's JSON reader reads each neutral type (numeric and text-like land in the column's own type). */
const DUCKDB_JSON_TYPE: Record<NeutralType, string> = {
  smallint: 'SMALLINT',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  numeric: 'VARCHAR',
  boolean: 'BOOLEAN',
  text: 'VARCHAR',
  json: 'VARCHAR',
  timestamptz: 'TIMESTAMPTZ',
  timestamp: 'TIMESTAMP',
  date: 'DATE',
};

/**
 * Restores `opts.file` into `store`, which must hold no rows.
 * @throws Error with a message naming the problem: not a backup, a newer schema or format, a
 *   non-empty target, a damaged or truncated file (then nothing is stored).
 */
export async function runRestore(
  store: IncidentStore,
  opts: { file: string; signal?: AbortSignal },
  progress: ProgressFn = () => undefined,
): Promise<RestoreResult> {
  const file = resolve(opts.file);
  const engine = store.engine;
  const db = store.sqlForTools();
  const lines = readLines(file);
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const first = await lines.next().catch((error: Error) => {
      throw new Error(`restore: cannot read ${file}: ${error.message}`);
    });
    if (first.done) throw new Error(`restore: ${file} is empty`);
    const manifest = checkManifest(parseLine(first.value, file), file);

    const known = new Map(loadMigrations(engine).map((m) => [m.version, m.name]));
    const latest = Math.max(0, ...known.keys());
    if (manifest.schemaVersion > latest) {
      throw new Error(`restore: the backup has schema version ${manifest.schemaVersion}, newer than this Hexwatch's ${latest}. Restore it with a newer Hexwatch.`);
    }
    const missing = manifest.migrations.filter((m) => known.get(m.version) !== m.name);
    if (missing.length) {
      throw new Error(`restore: the backup was taken with migrations this Hexwatch does not have (${missing.map((m) => `${m.version}_${m.name}`).join(', ')})`);
    }

    // Refuse before changing anything: an existing database must be empty.
    await store.migrate({ upTo: 0 }); // only creates the migration record when absent
    const full = await nonEmptyTables(db, await readCatalog(db, engine));
    if (full.length) {
      throw new Error(`restore: the target database is not empty (rows in ${full.join(', ')}). Restore into an empty DATA_DIR or a new database.`);
    }
    // The backup's own schema, so that later migrations transform its rows as they would have.
    await store.migrate({ upTo: manifest.schemaVersion });
    if (engine === 'duckdb') await db.query('CHECKPOINT'); // no DDL left in the WAL should the load be killed
    const target = await readCatalog(db, engine);
    checkTargetFits(manifest, target);

    const total = manifest.tables.reduce((s, t) => s + t.rows, 0);
    progress({ phase: 'restore', done: 0, total, message: `restore: ${manifest.tables.length} tables, ${total} rows from a ${manifest.engine} backup of ${manifest.createdAt} (schema ${manifest.schemaVersion})` });
    const counts = await db.transaction(async (tx) => {
      let done = 0;
      const counts: Array<{ name: string; rows: number }> = [];
      let index = -1;
      let table: ManifestTable | null = null;
      let batch: SqlValue[][] = [];
      let inTable = 0;
      let ended = false;

      const loader = engine === 'duckdb' ? await DuckDbJsonLoader.open(tx) : new SqlValuesLoader(tx);
      cleanups.push(() => loader.close());
      const flush = async () => {
        if (!table || !batch.length) return;
        await loader.insert(table, batch);
        done += batch.length;
        batch = [];
        opts.signal?.throwIfAborted();
        progress({ phase: 'restore', table: table.name, done, total, message: `restore: ${table.name} ${inTable}/${table.rows} rows` });
      };
      const finishTable = async () => {
        if (!table) return;
        await flush();
        if (inTable !== table.rows) throw new Error(`restore: table ${table.name} has ${inTable} rows in the file but ${table.rows} in its manifest (the file is damaged)`);
        counts.push({ name: table.name, rows: inTable });
      };

      for await (const line of lines) {
        if (ended) throw new Error(`restore: ${file} line ${line.n} follows the end marker (the file is damaged)`);
        const value = parseLine(line, file);
        if (Array.isArray(value)) {
          if (!table) throw new Error(`restore: ${file} line ${line.n} is a row outside any table`);
          const t = table;
          if (value.length !== t.columns.length) throw new Error(`restore: ${file} line ${line.n}: ${t.name} row has ${value.length} values, expected ${t.columns.length}`);
          batch.push(value.map((v, i) => checkValue(v, t.columns[i]!.type, () => `restore: ${file} line ${line.n}: ${t.name}.${t.columns[i]!.name}`)));
          inTable++;
          if (batch.length >= loader.batchRows(t)) await flush();
        } else if (value && typeof value === 'object' && 'table' in value) {
          await finishTable();
          table = manifest.tables[++index] ?? null;
          if (!table || table.name !== (value).table) {
            throw new Error(`restore: ${file} line ${line.n} starts table ${String((value).table)} where the manifest lists ${table?.name ?? 'no more tables'}`);
          }
          inTable = 0;
        } else if (value && typeof value === 'object' && 'end' in value) {
          await finishTable();
          table = null;
          ended = true;
        } else {
          throw new Error(`restore: ${file} line ${line.n} is neither a row nor a table marker`);
        }
      }
      if (!ended || counts.length !== manifest.tables.length) throw new Error(`restore: ${file} ends early (no end marker): the backup is incomplete`);

      // Sequences continue where the backed-up database stopped, and past every restored id.
      const wanted = new Map(manifest.sequences.map((s) => [s.name, s.lastValue]));
      for (const t of target.tables) {
        for (const c of t.columns) {
          if (!c.sequence) continue;
          const max = num((await tx.query(`SELECT max(${quoteIdent(c.name)}) AS m FROM ${quoteIdent(t.name)}`))[0]!.m);
          wanted.set(c.sequence, Math.max(wanted.get(c.sequence) ?? 0, max));
        }
      }
      for (const [name, lastValue] of wanted) {
        if (target.sequences.includes(name)) await advanceSequence(tx, engine, name, lastValue);
      }
      return counts;
    });

    await store.migrate(); // migrations newer than the backup
    if (engine === 'duckdb') await db.query('CHECKPOINT'); // leave no DDL or bulk load in the WAL
    progress({ phase: 'restore', done: total, total, message: `restore: ${total} rows restored into ${engine}` });
    return { file, schemaVersion: manifest.schemaVersion, tables: counts, rows: total };
  } finally {
    await lines.return(undefined);
    for (const cleanup of cleanups) await cleanup();
  }
}
