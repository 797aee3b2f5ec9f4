/**
 * What backup and restore know about a database, read from its own catalog rather than from a
 * list in code: its tables, their columns (as engine-neutral types), the foreign keys that order
 * them, and its sequences. A table another migration adds later (countermeasures, exposure, a
 * change feed...) is therefore backed up and restored without a change here, in foreign-key order;
 * a column type this file cannot carry, or a foreign-key cycle, stops the backup with an error
 * naming the table and column instead of writing a backup that would not restore.
 */
import type { SqlDb } from '../store/sql-db.js';
import { num } from '../store/sql-db.js';
import type { Engine } from '../store/types.js';

/** The column types a backup carries, the same on both engines (see README "Backup and restore"). */
export type NeutralType =
  | 'smallint'
  | 'integer'
  | 'bigint'
  | 'double'
  | 'numeric'
  | 'boolean'
  | 'text'
  | 'json'
  | 'timestamptz'
  | 'timestamp'
  | 'date';

export interface CatalogColumn {
  name: string;
  type: NeutralType;
  /** The sequence whose nextval() is the column's default, if any. */
  sequence: string | null;
}

export interface CatalogTable {
  name: string;
  columns: CatalogColumn[];
}

export interface Catalog {
  /** Parents before children (restore inserts in this order). */
  tables: CatalogTable[];
  sequences: string[];
}

/**
 * Tables a backup leaves out: the migration record (restore re-runs the migrations) and sign-in
 * sessions (a restored database signs everyone out rather than honour cookies issued elsewhere).
 */
export const EXCLUDED_TABLES: ReadonlySet<string> = new Set(['schema_migrations', 'session']);

/** Identifiers come from the catalog, but are still checked before they are put into SQL. */
export function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][\w$]{0,62}$/.test(name)) throw new Error(`unexpected identifier in the catalog: ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/**
 * Maps a catalog type name (DuckDB's `information_schema.columns.data_type`, or PostgreSQL's) to
 * the neutral type. Enums (DuckDB `ENUM(...)`, PostgreSQL `USER-DEFINED`) travel as their text.
 * @throws Error naming the table, column and type when the type has no neutral form.
 */
export function neutralType(dataType: string, where: string): NeutralType {
  const t = dataType.trim().toLowerCase();
  if (t === 'smallint' || t === 'int2') return 'smallint';
  if (t === 'integer' || t === 'int' || t === 'int4') return 'integer';
  if (t === 'bigint' || t === 'int8') return 'bigint';
  if (t === 'double' || t === 'double precision' || t === 'float8' || t === 'real' || t === 'float' || t === 'float4') return 'double';
  if (t === 'numeric' || t.startsWith('decimal') || t.startsWith('numeric(')) return 'numeric';
  if (t === 'boolean' || t === 'bool') return 'boolean';
  if (t === 'text' || t === 'varchar' || t === 'character varying' || t.startsWith('enum(') || t === 'user-defined') return 'text';
  if (t === 'json' || t === 'jsonb') return 'json';
  if (t === 'timestamp with time zone' || t === 'timestamptz') return 'timestamptz';
  if (t === 'timestamp without time zone' || t === 'timestamp') return 'timestamp';
  if (t === 'date') return 'date';
  throw new Error(`backup cannot carry column ${where} of type ${dataType}: add the type to server/backup/catalog.ts`);
}

const SEQUENCE_DEFAULT = /nextval\('(?:"?[\w$]+"?\.)?"?([\w$]+)"?'/;

/**
 * Orders tables so that every table comes after the tables its foreign keys reference; ties by
 * name, so that two backups of the same schema list tables alike.
 * @throws Error naming the tables of a foreign-key cycle (restore could not insert them in any order).
 */
export function orderByForeignKeys(tables: readonly string[], edges: ReadonlyArray<{ child: string; parent: string }>): string[] {
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]));
  for (const { child, parent } of edges) {
    if (child === parent || !parents.has(child) || !parents.has(parent)) continue; // self-references insert in row order
    parents.get(child)!.add(parent);
  }
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = [...parents.keys()].filter((t) => !placed.has(t) && [...parents.get(t)!].every((p) => placed.has(p))).sort();
    if (!ready.length) {
      const left = [...parents.keys()].filter((t) => !placed.has(t)).sort();
      throw new Error(`backup cannot order tables ${left.join(', ')}: their foreign keys form a cycle`);
    }
    for (const t of ready) {
      ordered.push(t);
      placed.add(t);
    }
  }
  return ordered;
}

/** Reads the catalog of the current schema (DuckDB `main`, PostgreSQL the search path's first). */
export async function readCatalog(db: SqlDb, engine: Engine): Promise<Catalog> {
  const columnRows = await db.query(
    `SELECT c.table_name, c.column_name, c.data_type, c.column_default
     FROM information_schema.columns c
     JOIN information_schema.tables t
       ON t.table_catalog = c.table_catalog AND t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE t.table_type = 'BASE TABLE' AND t.table_schema = current_schema() AND t.table_catalog = current_database()
     ORDER BY c.table_name, c.ordinal_position`,
  );
  const byTable = new Map<string, CatalogColumn[]>();
  for (const r of columnRows) {
    const table = String(r.table_name);
    if (EXCLUDED_TABLES.has(table)) continue;
    const name = String(r.column_name);
    const sequence = SEQUENCE_DEFAULT.exec(String(r.column_default ?? ''))?.[1] ?? null;
    const column: CatalogColumn = { name, type: neutralType(String(r.data_type), `${table}.${name}`), sequence };
    byTable.set(table, [...(byTable.get(table) ?? []), column]);
  }
  const edgeRows = await db.query(
    engine === 'duckdb'
      ? `SELECT table_name AS child, referenced_table AS parent FROM duckdb_constraints()
         WHERE constraint_type = 'FOREIGN KEY' AND database_name = current_database() AND schema_name = current_schema()`
      : `SELECT cl.relname AS child, pr.relname AS parent
         FROM pg_constraint c
         JOIN pg_class cl ON cl.oid = c.conrelid
         JOIN pg_class pr ON pr.oid = c.confrelid
         JOIN pg_namespace n ON n.oid = cl.relnamespace
         WHERE c.contype = 'f' AND n.nspname = current_schema()`,
  );
  const order = orderByForeignKeys(
    [...byTable.keys()],
    edgeRows.map((r) => ({ child: String(r.child), parent: String(r.parent) })),
  );
  const sequenceRows = await db.query(
    engine === 'duckdb'
      ? `SELECT sequence_name AS name FROM duckdb_sequences() WHERE database_name = current_database() AND schema_name = current_schema() ORDER BY 1`
      : `SELECT sequencename AS name FROM pg_sequences WHERE schemaname = current_schema() ORDER BY 1`,
  );
  return {
    tables: order.map((name) => ({ name, columns: byTable.get(name)! })),
    sequences: sequenceRows.map((r) => String(r.name)),
  };
}

/**
 * The value the next nextval() would be preceded by (0 when the sequence was never used), so
 * that restore can continue numbering where the backed-up database stopped.
 */
export async function sequenceLastValue(db: SqlDb, engine: Engine, name: string): Promise<number> {
  quoteIdent(name);
  const rows = await db.query(
    engine === 'duckdb'
      ? `SELECT coalesce(last_value, start_value - 1) AS v FROM duckdb_sequences()
         WHERE database_name = current_database() AND schema_name = current_schema() AND sequence_name = $1`
      : `SELECT coalesce(last_value, 0) AS v FROM pg_sequences WHERE schemaname = current_schema() AND sequencename = $1`,
    [name],
  );
  if (!rows.length) throw new Error(`sequence ${name} is not in the catalog`);
  return num(rows[0]!.v);
}

/** Moves a sequence forward so that its next value is `lastValue + 1` (never backwards). */
export async function advanceSequence(db: SqlDb, engine: Engine, name: string, lastValue: number): Promise<void> {
  if (!Number.isSafeInteger(lastValue)) throw new Error(`sequence ${name}: value ${lastValue} is not an integer`);
  const current = await sequenceLastValue(db, engine, name);
  if (lastValue <= current) return;
  if (engine === 'postgres') {
    await db.query(`SELECT setval($1, $2)`, [name, lastValue]);
  } else {
    // DuckDB has no setval: draw the missing values (vectorised, ~70 ms for two million)
    await db.query(`SELECT max(nextval('${name}')) AS v FROM range(${lastValue - current})`);
  }
}
