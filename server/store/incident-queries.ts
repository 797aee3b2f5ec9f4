/**
 * The map's hot queries, in SQL both engines run: hexbins at any served resolution from that
 * resolution's cell column, and keyset-paged incident lists of a cell or a filter.
 */
import { z } from 'zod';
import { BadInputError } from '../domain/errors.js';
import { assertServedResolution, CellError, cellIdResolution, cellIdToHex, hexToCellId } from '../domain/h3-cells.js';
import { cellInBbox, readBbox } from '../domain/hexbin-box.js';
import { SEVERITY_WEIGHT } from '../domain/incident.js';
import { finalStatusSql, overdueSql } from '../domain/sla.js';
import { cellColumn } from './cell-columns.js';
import { filterWhere } from './filter-sql.js';
import type { SqlDb, SqlValue } from './sql-db.js';
import { dateOrNull, num } from './sql-db.js';
import { col, rowToListItem } from './sql-rows.js';
import type { Hexbins, HexbinQuery, IncidentListItem, IncidentListQuery, IncidentPage, IncidentSort, Scope } from './types.js';

/**
 * SEVERITY_WEIGHT in SQL. The weights are the powers of two 1, 2, 4, 8, so a shift computes
 * them (measured faster than a CASE on DuckDB); the assertion keeps the two in step.
 */
export const WEIGHT_SQL = (alias = 'i') => `(1 << (${alias}.severity - 1))`;
for (const [severity, weight] of Object.entries(SEVERITY_WEIGHT)) {
  if (weight !== 1 << (Number(severity) - 1)) throw new Error('SEVERITY_WEIGHT no longer matches WEIGHT_SQL');
}

export interface HexbinSqlOptions {
  /** Citus: one level of per-cell aggregates (see below). */
  distributed?: boolean;
  /**
   * The SQL types of `incident.status` and `incident.review` when they are ENUMs (DuckDB:
   * 001_init.duckdb.sql). DuckDB compares an ENUM with a text literal by casting every row's
   * value to VARCHAR; literals of the ENUM's own type compare as one-byte codes. Measured on the
   * 2M demo (CPU time of the SQL alone, 11 interleaved runs, load average ~28): q1 93 -> 78 ms
   * with both (89 with the status alone), the other bench queries unchanged within the noise.
   */
  enumTypes?: { status: string; review: string };
}

/** Stores at most this many: the rows a query reads are few (isSelective). */
const FEW_STORES = 5;

/** Whether the filters or the scope hold the query to a few stores' rows. */
function isSelective(query: HexbinQuery, scope: Scope): boolean {
  const stores = query.filters.storeIds?.length ?? 0;
  return (stores > 0 && stores <= FEW_STORES) || (!scope.all && scope.storeIds.length <= FEW_STORES);
}

/** The review state `pending` as an SQL literal, of the column's ENUM type on DuckDB (`reviewType`). */
function pendingSql(reviewType?: string): string {
  return reviewType ? `CAST('pending' AS ${reviewType})` : `'pending'`;
}

/**
 * An AI detection's review state as a group key, and how the second step reads it. PostgreSQL:
 * one small key, 0 not an AI detection (no review state), 1 decided (confirmed or rejected),
 * 2 awaiting review, which keeps the groups few (at most 3 per severity, final and past).
 * DuckDB (`reviewType`, the column's ENUM): the review state itself (a one-byte code, four
 * values with NULL), folded in the second step: computing the key cost more than the extra
 * groups (measured on the 2M demo, SQL alone, medians of 11 interleaved, 4 rounds: q1 40.4–45.1
 * against 38.8–41.4 ms; q2 unchanged).
 */
function aiGroupSql(reviewType?: string): { key: string; isAi: string; isPending: string } {
  if (reviewType) return { key: 'i.review', isAi: 'ai IS NOT NULL', isPending: `ai = ${pendingSql(reviewType)}` };
  return { key: `CASE WHEN i.review = 'pending' THEN 2 WHEN i.review IS NOT NULL THEN 1 ELSE 0 END`, isAi: 'ai > 0', isPending: 'ai = 2' };
}

/**
 * The SQL that aggregates one resolution, in two steps: first count the rows per cell and per
 * (severity, final, past due, AI review state), then fold those few groups into the metrics. One count per row
 * instead of four conditional aggregates: measured faster on DuckDB at 2M rows.
 */
export function hexbinSql(query: HexbinQuery, scope: Scope, opts: HexbinSqlOptions = {}): { sql: string; params: SqlValue[] } {
  const cell = cellColumn(query.resolution);
  const params: SqlValue[] = [];
  const { where, now } = filterWhere(
    { filters: query.filters, scope, now: query.now, bbox: query.bbox && readBbox(query.bbox, query.resolution), reviewType: opts.enumTypes?.review },
    params,
  );
  if (opts.distributed || isSelective(query, scope)) {
    // One level of per-cell aggregates. Citus: each shard computes them for its rows and the
    // coordinator adds them up (a shard then returns one row per cell); the two-step form below
    // made each shard return its (cell, severity, final, past) groups, up to 24 per cell, and
    // the coordinator fold them: measured 3x slower at 200k incidents on 32 shards. A few
    // stores' rows: the per-row conditions cost less than a second aggregation (measured on the
    // 2M demo, SQL alone, medians of 40: q3 one store 4.3 ms against 5.8; but q1, all cities,
    // 59 against 43 ms).
    const statusType = opts.enumTypes?.status;
    const sql = `
      SELECT ${cell} AS cell,
             count(*) AS n,
             sum(${WEIGHT_SQL('i')}) AS weighted,
             count(*) FILTER (WHERE ${finalStatusSql('i', statusType)}) AS closed,
             count(*) FILTER (WHERE ${overdueSql(now(), 'i', statusType)}) AS overdue,
             count(i.review) AS ai,
             count(*) FILTER (WHERE i.review = ${pendingSql(opts.enumTypes?.review)}) AS pending
      FROM incident i
      WHERE ${where}
      GROUP BY 1
      ORDER BY 1`;
    return { sql, params };
  }
  // `past` is NULL without a due time: neither true nor counted as overdue.
  const ai = aiGroupSql(opts.enumTypes?.review);
  const sql = `
    WITH groups AS (
      SELECT ${cell} AS cell,
             i.severity AS severity,
             ${finalStatusSql('i', opts.enumTypes?.status)} AS final,
             i.due_at < ${now()} AS past,
             ${ai.key} AS ai,
             count(*) AS n
      FROM incident i
      WHERE ${where}
      GROUP BY 1, 2, 3, 4, 5)
    SELECT cell,
           sum(n) AS n,
           sum(n * ${WEIGHT_SQL('groups')}) AS weighted,
           sum(CASE WHEN final THEN n ELSE 0 END) AS closed,
           sum(CASE WHEN NOT final AND past THEN n ELSE 0 END) AS overdue,
           sum(CASE WHEN ${ai.isAi} THEN n ELSE 0 END) AS ai,
           sum(CASE WHEN ${ai.isPending} THEN n ELSE 0 END) AS pending
    FROM groups
    GROUP BY cell
    ORDER BY cell`;
  return { sql, params };
}

export async function queryHexbins(db: SqlDb, query: HexbinQuery, scope: Scope, opts: Pick<HexbinSqlOptions, 'enumTypes'> = {}): Promise<Hexbins> {
  const { sql, params } = hexbinSql(query, scope, { ...opts, distributed: db.distributed });
  const rows = await db.query(sql, params);
  const out: Hexbins = { resolution: query.resolution, cells: [], count: [], weighted: [], open: [], closed: [], overdue: [], ai: [], pending: [], max: 0, total: 0 };
  for (const r of rows) {
    const cell = cellIdToHex(col.bigint(r, 'cell'));
    if (query.bbox && !cellInBbox(cell, query.bbox, query.resolution)) continue;
    const n = col.number(r, 'n');
    const closed = col.number(r, 'closed');
    out.cells.push(cell);
    out.count.push(n);
    out.weighted.push(col.number(r, 'weighted'));
    out.closed.push(closed);
    out.open.push(n - closed);
    out.overdue.push(col.number(r, 'overdue'));
    out.ai.push(col.number(r, 'ai'));
    out.pending.push(col.number(r, 'pending'));
    if (n > out.max) out.max = n;
    out.total += n;
  }
  return out;
}

interface SortKey {
  expr: string;
  dir: 'ASC' | 'DESC';
  /** `id`: a BIGINT id; `small`: a SMALLINT or 0/1 rank (PostgreSQL types the parameter after the column). */
  kind: 'time' | 'id' | 'small';
}

const FAR_FUTURE = `CAST('9999-12-31 00:00:00+00' AS TIMESTAMPTZ)`;

function sortKeys(sort: IncidentSort, now: () => string): SortKey[] {
  switch (sort) {
    case 'newest':
      return [
        { expr: 'i.occurred_at', dir: 'DESC', kind: 'time' },
        { expr: 'i.id', dir: 'DESC', kind: 'id' },
      ];
    case 'severity':
      return [
        { expr: 'i.severity', dir: 'DESC', kind: 'small' },
        { expr: 'i.occurred_at', dir: 'DESC', kind: 'time' },
        { expr: 'i.id', dir: 'DESC', kind: 'id' },
      ];
    case 'overdue':
      // overdue first, the longest overdue on top; then the rest by due time
      return [
        { expr: `CASE WHEN ${overdueSql(now())} THEN 0 ELSE 1 END`, dir: 'ASC', kind: 'small' },
        { expr: `COALESCE(i.due_at, ${FAR_FUTURE})`, dir: 'ASC', kind: 'time' },
        { expr: 'i.id', dir: 'ASC', kind: 'id' },
      ];
  }
}

function encodeCursor(values: Array<number | string>): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * A cursor's values within what both engines take for their column: ids are BIGINTs that a double
 * holds exactly, severities and the overdue rank fit a SMALLINT (PostgreSQL types the parameter
 * after the column), times lie in years 1..9999 (FAR_FUTURE is the latest). A value outside would
 * reach the engine and come back as the engine's error (`1e308`: "bigint out of int64 range"),
 * a 500 instead of the caller's 400.
 */
const CURSOR_MIN_MS = Date.parse('0001-01-01T00:00:00Z');
const CURSOR_MAX_MS = Date.parse('9999-12-31T23:59:59.999Z');
const CURSOR_VALUE_SCHEMAS = {
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  small: z.number().int().min(-32_768).max(32_767),
  time: z
    .string()
    .max(40)
    .transform((v) => new Date(v))
    .refine((d) => d.getTime() >= CURSOR_MIN_MS && d.getTime() <= CURSOR_MAX_MS),
} as const;

function decodeCursor(cursor: string, keys: SortKey[]): Array<number | Date> {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadInputError('cursor', 'is not a cursor this server issued');
  }
  if (!Array.isArray(values) || values.length !== keys.length) {
    throw new BadInputError('cursor', 'does not belong to this sort order');
  }
  return keys.map((k, i) => {
    const parsed = CURSOR_VALUE_SCHEMAS[k.kind].safeParse(values[i]);
    if (!parsed.success) throw new BadInputError('cursor', 'does not belong to this sort order');
    return parsed.data;
  });
}


/** (k1, k2, ...) strictly after the cursor row, in each key's own direction. */
function keysetPredicate(keys: SortKey[], values: Array<number | Date>, params: SqlValue[]): string {
  const placeholders = values.map((v) => {
    params.push(v);
    return `$${params.length}`;
  });
  const ors = keys.map((key, i) => {
    const equal = keys.slice(0, i).map((k, j) => `${k.expr} = ${placeholders[j]}`);
    const after = `${key.expr} ${key.dir === 'DESC' ? '<' : '>'} ${placeholders[i]}`;
    return `(${[...equal, after].join(' AND ')})`;
  });
  return `(${ors.join(' OR ')})`;
}

/** A cell of a served resolution from its h3-js id. @throws BadInputError naming `cell`. */
export function cellOf(cell: string): { resolution: number; id: bigint } {
  try {
    const id = hexToCellId(cell);
    const resolution = cellIdResolution(id);
    assertServedResolution(resolution);
    return { resolution, id };
  } catch (error) {
    if (error instanceof CellError) throw new BadInputError('cell', error.message);
    throw error;
  }
}

export async function queryIncidentPage(db: SqlDb, query: IncidentListQuery, scope: Scope): Promise<IncidentPage> {
  const params: SqlValue[] = [];
  const cell = query.cell ? cellOf(query.cell) : undefined;
  const { where, now } = filterWhere({ filters: query.filters, scope, now: query.now, cell }, params);
  const totalParams = [...params]; // the count runs the WHERE alone: only its parameters
  const keys = sortKeys(query.sort, now);
  const conditions = [where];
  if (query.cursor) conditions.push(keysetPredicate(keys, decodeCursor(query.cursor, keys), params));
  const keyColumns = keys.map((k, i) => `${k.expr} AS k${i}`).join(', ');
  // The first page counts the whole match in the same scan (a window over the filtered rows);
  // later pages, narrowed by the cursor, count with a query of their own. So does every page on
  // Citus: a window over all the matching rows cannot run on the shards, and Citus would ship
  // every matching row to the coordinator to compute it, where a count is summed from the shards.
  const firstPage = !query.cursor && !db.distributed;
  const pageQuery = db.query(
    `SELECT i.id, i.kind, i.category, i.severity, i.occurred_at, i.status, i.review, i.ai_confidence, i.city_id,
            i.store_id, i.lat, i.lng, i.h3, i.assignee, i.due_at, ${overdueSql(now())} AS overdue,
            ${query.fullDescription ? 'i.description' : 'substr(i.description, 1, 140)'} AS description, i.photo_urls, ${keyColumns}
            ${firstPage ? ', count(*) OVER () AS total_rows' : ''}
     FROM incident i WHERE ${conditions.join(' AND ')}
     ORDER BY ${keys.map((k) => `${k.expr} ${k.dir}`).join(', ')}
     LIMIT ${query.limit + 1}`,
    params,
  );
  const [rows, total] = await Promise.all([
    pageQuery,
    firstPage
      ? pageQuery.then((r) => (r.length ? col.number(r[0]!, 'total_rows') : 0))
      : db.query(`SELECT count(*) AS n FROM incident i WHERE ${where}`, totalParams).then((r) => col.number(r[0]!, 'n')),
  ]);
  const page = rows.slice(0, query.limit);
  const items: IncidentListItem[] = page.map((r) => rowToListItem(r, Boolean(r.overdue)));
  let nextCursor: string | null = null;
  if (rows.length > query.limit) {
    const last = page[page.length - 1]!;
    nextCursor = encodeCursor(
      keys.map((k, i) => {
        const v = last[`k${i}`];
        return k.kind === 'time' ? dateOrNull(v)!.toISOString() : num(v);
      }),
    );
  }
  return { items, nextCursor, total };
}
