/**
 * The leaf of server/store: the SQL fragments and row readers that several store modules share.
 * It imports from the rest of server/store only sql-db.ts (which imports nothing) and types, so
 * any store module can import it without forming a cycle (the lint rule import-x/no-cycle holds
 * that; README, "Code checks").
 *
 * Rows from the engines are plain objects: a misspelt column name reads as `undefined`, and
 * num(undefined) is 0. The readers of `col` take the column's name and throw naming it when the
 * row has no such column, so a typo fails the first test that reads the row instead of reading 0.
 */
import { cellIdToHex } from '../domain/h3-cells.js';
import type { Severity } from '../domain/incident.js';
import type { SqlRow } from './sql-db.js';
import { dateOrNull, num, numOrNull, sqlIntList } from './sql-db.js';
import type { Incident, IncidentListItem, Scope } from './types.js';

/** A row lacked a column that its reader asked for (a misspelt name, or a column left out of the SELECT). */
export class MissingColumnError extends Error {
  constructor(
    readonly column: string,
    row: SqlRow,
  ) {
    super(`row has no column "${column}" (it has: ${Object.keys(row).join(', ') || 'none'})`);
    this.name = 'MissingColumnError';
  }
}

/** The value of `column`, which the row must have (SQL NULL comes back as null, never undefined). */
function cell(row: SqlRow, column: string): unknown {
  const value = row[column];
  if (value === undefined && !Object.hasOwn(row, column)) throw new MissingColumnError(column, row);
  return value;
}

function notNull<T>(value: T | null, column: string, what: string): T {
  if (value === null) throw new TypeError(`column "${column}" is NULL, expected ${what}`);
  return value;
}

function textOrNull(row: SqlRow, column: string): string | null {
  const value = cell(row, column);
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new TypeError(`column "${column}" is ${typeof value}, expected text`);
  return value;
}

/**
 * Typed readers of one column of an engine row. Each throws MissingColumnError naming the column
 * when the row lacks it. Integers may come as number or bigint depending on the engine.
 */
export const col = {
  /**
   * A number (count, id, coordinate). NULL reads as 0, as an aggregate over no rows (`sum`) does
   * in the queries that use it; a missing column throws.
   * @throws MissingColumnError
   */
  number(row: SqlRow, column: string): number {
    return num(cell(row, column));
  },
  /** A number, or null for SQL NULL. @throws MissingColumnError */
  numberOrNull(row: SqlRow, column: string): number | null {
    return numOrNull(cell(row, column));
  },
  /** Text that is never NULL. @throws MissingColumnError, TypeError on NULL or a non-string */
  text(row: SqlRow, column: string): string {
    return notNull(textOrNull(row, column), column, 'text');
  },
  /** Text, or null for SQL NULL. @throws MissingColumnError, TypeError on a non-string */
  textOrNull,
  /** A timestamp that is never NULL. @throws MissingColumnError, TypeError on NULL */
  date(row: SqlRow, column: string): Date {
    return notNull(dateOrNull(cell(row, column)), column, 'a timestamp');
  },
  /** A timestamp, or null for SQL NULL. @throws MissingColumnError */
  dateOrNull(row: SqlRow, column: string): Date | null {
    return dateOrNull(cell(row, column));
  },
  /** A BIGINT (an H3 cell id) from either engine: bigint on DuckDB, a decimal string on pg. @throws MissingColumnError */
  bigint(row: SqlRow, column: string): bigint {
    const value = notNull(cell(row, column) as bigint | number | string | null, column, 'a bigint');
    return BigInt(value);
  },
  /** A boolean. @throws MissingColumnError, TypeError on NULL */
  boolean(row: SqlRow, column: string): boolean {
    return Boolean(notNull(cell(row, column), column, 'a boolean'));
  },
};

/** SQL predicate limiting `alias`'s rows to the scope (store managers never see store-less rows). */
export function scopePredicate(scope: Scope, alias = 'i'): string {
  return scope.all ? 'TRUE' : `${alias}.store_id IN ${sqlIntList(scope.storeIds)}`;
}

/**
 * scopePredicate for the incident tables, which also name their shards: for a store's rows the
 * shard key is the store id (server/store/citus.ts), so the added test selects the same rows and
 * lets Citus send a store manager's query to one shard instead of all.
 */
export function incidentScopePredicate(scope: Scope, alias = 'i'): string {
  return scope.all ? 'TRUE' : `${scopePredicate(scope, alias)} AND ${alias}.shard_key IN ${sqlIntList(scope.storeIds)}`;
}

/** The columns rowToIncident reads, for `incident i`. */
export const INCIDENT_COLUMNS = `i.id, i.kind, i.category, i.severity, i.occurred_at, i.lat, i.lng, i.h3, i.city_id,
  i.store_id, i.rider_id, i.description, i.photo_urls, i.source, i.external_id, i.ai_label, i.ai_confidence, i.ai_model_version,
  i.review, i.status, i.assignee, i.due_at, i.closed_at, i.resolution, i.version, i.created_at, i.updated_at`;

/** An incident row (INCIDENT_COLUMNS) as the store's Incident. @throws MissingColumnError */
export function rowToIncident(r: SqlRow): Incident {
  return {
    id: col.number(r, 'id'),
    kind: col.text(r, 'kind') as Incident['kind'],
    category: col.text(r, 'category') as Incident['category'],
    severity: col.number(r, 'severity') as Severity,
    occurredAt: col.date(r, 'occurred_at'),
    lat: col.number(r, 'lat'),
    lng: col.number(r, 'lng'),
    cell: cellIdToHex(col.bigint(r, 'h3')),
    cityId: col.number(r, 'city_id'),
    storeId: col.numberOrNull(r, 'store_id'),
    riderId: col.textOrNull(r, 'rider_id'),
    description: col.textOrNull(r, 'description'),
    photoUrls: JSON.parse(col.textOrNull(r, 'photo_urls') || '[]') as string[],
    source: col.text(r, 'source') as Incident['source'],
    externalId: col.text(r, 'external_id'),
    aiLabel: col.textOrNull(r, 'ai_label'),
    aiConfidence: col.numberOrNull(r, 'ai_confidence'),
    aiModelVersion: col.textOrNull(r, 'ai_model_version'),
    review: col.textOrNull(r, 'review') as Incident['review'],
    status: col.text(r, 'status') as Incident['status'],
    assignee: col.textOrNull(r, 'assignee'),
    dueAt: col.dateOrNull(r, 'due_at'),
    closedAt: col.dateOrNull(r, 'closed_at'),
    resolution: col.textOrNull(r, 'resolution') as Incident['resolution'],
    version: col.number(r, 'version'),
    createdAt: col.date(r, 'created_at'),
    updatedAt: col.date(r, 'updated_at'),
  };
}

/**
 * An incident list row as IncidentListItem; `overdue` as the caller judged it (the list in SQL,
 * the work list by the domain rule). The work list extends this item. @throws MissingColumnError
 */
export function rowToListItem(r: SqlRow, overdue: boolean): IncidentListItem {
  return {
    id: col.number(r, 'id'),
    kind: col.text(r, 'kind') as IncidentListItem['kind'],
    category: col.text(r, 'category') as IncidentListItem['category'],
    severity: col.number(r, 'severity') as Severity,
    occurredAt: col.date(r, 'occurred_at'),
    status: col.text(r, 'status') as IncidentListItem['status'],
    review: col.textOrNull(r, 'review') as IncidentListItem['review'] | null,
    aiConfidence: col.numberOrNull(r, 'ai_confidence'),
    cityId: col.number(r, 'city_id'),
    storeId: col.numberOrNull(r, 'store_id'),
    lat: col.number(r, 'lat'),
    lng: col.number(r, 'lng'),
    cell: cellIdToHex(col.bigint(r, 'h3')),
    assignee: col.textOrNull(r, 'assignee'),
    dueAt: col.dateOrNull(r, 'due_at'),
    overdue,
    description: col.textOrNull(r, 'description'),
    photoUrl: (JSON.parse(col.textOrNull(r, 'photo_urls') || '[]') as string[])[0] ?? null,
  };
}
