/**
 * The backup file: one gzip stream of UTF-8 JSON lines, the same whichever engine wrote it.
 *
 *   line 1           {"manifest": Manifest}
 *   per table        {"table": "<name>"}                  in the manifest's (foreign-key) order
 *                    [v1, v2, ...]                         one line per row, values in the manifest's column order
 *   last line        {"end": {"tables": N, "rows": M}}    a file cut short lacks it and is refused
 *
 * Values: smallint, integer, double as JSON numbers; bigint and numeric as decimal strings (H3
 * cells need all 64 bits); boolean; text and json as strings; timestamptz as ISO 8601 UTC with
 * microseconds (`2025-03-01T08:00:00.123456Z`); timestamp the same without `Z`; date `YYYY-MM-DD`;
 * SQL NULL as null.
 */
import type { Engine } from '../store/types.js';
import type { NeutralType } from './catalog.js';
import { quoteIdent } from './catalog.js';

export const BACKUP_FORMAT = 'hexwatch-backup';
export const BACKUP_FORMAT_VERSION = 1;

export interface ManifestTable {
  name: string;
  columns: Array<{ name: string; type: NeutralType }>;
  rows: number;
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  createdAt: string;
  /** The engine the backup was taken from (informative: restore works into either). */
  engine: Engine;
  /** The highest migration applied in the backed-up database. */
  schemaVersion: number;
  migrations: Array<{ version: number; name: string }>;
  tables: ManifestTable[];
  /** Each sequence's last value drawn (0 when never used). */
  sequences: Array<{ name: string; lastValue: number }>;
}

/**
 * The SELECT expression that reads a column for its JSON value (see the header); `readValue`
 * finishes the conversion. DuckDB's strftime over TIMESTAMPTZ costs ~20 µs a value (measured:
 * 0.4 s a page of 20,000 rows), so DuckDB hands timestamps over as epoch microseconds and they
 * are formatted here.
 */
export function selectExpression(engine: Engine, column: string, type: NeutralType): string {
  const c = quoteIdent(column);
  switch (type) {
    case 'smallint':
    case 'integer':
    case 'double':
    case 'boolean':
      return c;
    case 'bigint':
    case 'numeric':
    case 'text':
    case 'json':
      return `CAST(${c} AS VARCHAR)`;
    case 'timestamptz':
      return engine === 'duckdb' ? `epoch_us(${c})` : `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
    case 'timestamp':
      return engine === 'duckdb' ? `epoch_us(${c})` : `to_char(${c}, 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
    case 'date':
      return engine === 'duckdb' ? `CAST(${c} AS VARCHAR)` : `to_char(${c}, 'YYYY-MM-DD')`;
  }
}

/** Microseconds since the epoch as ISO 8601 with six fractional digits (`Z` for UTC instants). */
export function microsToIso(us: bigint, zulu: boolean): string {
  let ms = us / 1000n;
  let rest = us % 1000n;
  if (rest < 0n) {
    ms -= 1n;
    rest += 1000n;
  }
  return `${new Date(Number(ms)).toISOString().slice(0, 23)}${rest.toString().padStart(3, '0')}${zulu ? 'Z' : ''}`;
}

/** Finishes a value read with selectExpression. */
export function readValue(engine: Engine, type: NeutralType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (engine === 'duckdb' && (type === 'timestamptz' || type === 'timestamp')) {
    return microsToIso(BigInt(value as bigint | number), type === 'timestamptz');
  }
  return value;
}

/**
 * The placeholder of an inserted value. Strings that stand for numbers and times are cast
 * explicitly; text, json and numeric take the column's own type (a DuckDB ENUM, a PostgreSQL
 * numeric of any precision).
 */
export function insertPlaceholder(index: number, type: NeutralType): string {
  const p = `$${index}`;
  switch (type) {
    case 'smallint':
      return `CAST(${p} AS SMALLINT)`;
    case 'integer':
      return `CAST(${p} AS INTEGER)`;
    case 'bigint':
      return `CAST(${p} AS BIGINT)`;
    case 'double':
      return `CAST(${p} AS DOUBLE PRECISION)`;
    case 'boolean':
      return `CAST(${p} AS BOOLEAN)`;
    case 'timestamptz':
      return `CAST(${p} AS TIMESTAMPTZ)`;
    case 'timestamp':
      return `CAST(${p} AS TIMESTAMP)`;
    case 'date':
      return `CAST(${p} AS DATE)`;
    case 'numeric':
    case 'text':
    case 'json':
      return p;
  }
}

/** Checks one value read from a backup line against its column's type. */
export function checkValue(value: unknown, type: NeutralType, where: () => string): string | number | boolean | null {
  if (value === null) return null;
  const ok = (() => {
    switch (type) {
      case 'smallint':
      case 'integer':
        return Number.isSafeInteger(value);
      case 'double':
        return typeof value === 'number' && Number.isFinite(value);
      case 'boolean':
        return typeof value === 'boolean';
      case 'bigint':
        return typeof value === 'string' && /^-?\d{1,20}$/.test(value);
      case 'numeric':
        return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value);
      case 'timestamptz':
        return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(value);
      case 'timestamp':
        return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$/.test(value);
      case 'date':
        return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
      case 'text':
      case 'json':
        return typeof value === 'string';
    }
  })();
  if (!ok) throw new Error(`${where()}: ${JSON.stringify(value)} is not a valid ${type}`);
  return value as string | number | boolean;
}
