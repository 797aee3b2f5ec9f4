/**
 * The shared filter schema as a SQL WHERE clause, the same on both engines. Enumerated values
 * (kinds, categories, statuses...) were checked by zod and are inlined as literals, ids as
 * integers: literal store and city keys let Citus route a query to its shards. Times and free
 * text travel as parameters.
 */
import type { Bbox, Filters } from '../domain/filters.js';
import { defaultReviewSql } from '../domain/filters.js';
import { CATEGORIES, KINDS, REVIEW_STATES, STATUSES } from '../domain/incident.js';
import { overdueSql } from '../domain/sla.js';
import type { SqlValue } from './sql-db.js';
import { sqlIntList } from './sql-db.js';
import { cellColumn } from './cell-columns.js';
import { incidentScopePredicate } from './sql-rows.js';
import type { Scope } from './types.js';

function sqlTextList(values: readonly string[], allowed: readonly string[]): string {
  for (const v of values) if (!allowed.includes(v)) throw new TypeError(`unexpected value ${JSON.stringify(v)}`);
  return `(${values.map((v) => `'${v}'`).join(',')})`;
}

export interface FilterSqlInput {
  filters: Filters;
  scope: Scope;
  /** The instant "overdue" is judged at. */
  now: Date;
  bbox?: Bbox;
  /** Only the incidents this cell contains (its resolution's cell column). */
  cell?: { resolution: number; id: bigint };
  /** No review predicate at all, not even the default one (the change feed: a rejection is news too). */
  anyReview?: boolean;
  /**
   * The SQL type of `review` when it is an ENUM (DuckDB: `review_state`): the default predicate
   * then compares with a literal of that type, not every row's value cast to text.
   */
  reviewType?: string;
}

/**
 * The WHERE clause (without the keyword) for `alias`, appending its parameters to `params`.
 * Also returns `now()`, the placeholder of now for SELECT expressions: it adds the parameter on
 * first use only, since both engines refuse a parameter that the statement does not use.
 */
export function filterWhere(input: FilterSqlInput, params: SqlValue[], alias = 'i'): { where: string; now: () => string } {
  const f = input.filters;
  const a = alias;
  const push = (v: SqlValue) => {
    params.push(v);
    return `$${params.length}`;
  };
  let nowPlaceholder: string | null = null;
  const now = () => (nowPlaceholder ??= push(input.now));
  const parts = [incidentScopePredicate(input.scope, a)];
  // a bigint from hexToCellId: safe as a literal, and a literal lets DuckDB prune by zone maps
  if (input.cell) parts.push(`${cellColumn(input.cell.resolution, a)} = ${BigInt(input.cell.id)}`);
  if (input.bbox) {
    const [w, s, e, n] = input.bbox;
    parts.push(`${a}.lat BETWEEN ${push(s)} AND ${push(n)} AND ${a}.lng BETWEEN ${push(w)} AND ${push(e)}`);
  }
  if (f.from) parts.push(`${a}.occurred_at >= ${push(new Date(f.from))}`);
  if (f.to) parts.push(`${a}.occurred_at < ${push(new Date(f.to))}`);
  if (f.kinds) parts.push(`${a}.kind IN ${sqlTextList(f.kinds, KINDS)}`);
  if (f.categories) parts.push(`${a}.category IN ${sqlTextList(f.categories, CATEGORIES)}`);
  if (f.severities) parts.push(`${a}.severity IN ${sqlIntList(f.severities)}`);
  if (f.statuses) parts.push(`${a}.status IN ${sqlTextList(f.statuses, STATUSES)}`);
  // default: rejected AI detections are left out, pending ones counted
  if (f.review) parts.push(`${a}.review IN ${sqlTextList(f.review, REVIEW_STATES)}`);
  else if (!input.anyReview) parts.push(defaultReviewSql(a, input.reviewType));
  // the shard key names the stores' shards too (see incidentScopePredicate)
  if (f.storeIds) parts.push(`${a}.store_id IN ${sqlIntList(f.storeIds)} AND ${a}.shard_key IN ${sqlIntList(f.storeIds)}`);
  if (f.cityIds) parts.push(`${a}.city_id IN ${sqlIntList(f.cityIds)}`);
  if (f.overdueOnly) parts.push(overdueSql(now(), a));
  if (f.hourOfWeek) {
    // the city's wall clock, as the hour-of-week chart counts (stats.ts); a correlated lookup of
    // the zone keeps the fragment free of a join (isodow: Monday 1 .. Sunday 7)
    const local = `(${a}.occurred_at AT TIME ZONE (SELECT hw_c.tz FROM city hw_c WHERE hw_c.id = ${a}.city_id))`;
    parts.push(`(EXTRACT(isodow FROM ${local}) = ${Math.trunc(f.hourOfWeek.day) + 1} AND EXTRACT(hour FROM ${local}) = ${Math.trunc(f.hourOfWeek.hour)})`);
  }
  if (f.q) {
    const like = push(`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const exact = push(f.q);
    parts.push(
      `(${a}.description ILIKE ${like} ESCAPE '\\' OR ${a}.rider_id = ${exact} OR ${a}.external_id = ${exact})`,
    );
  }
  return { where: parts.join(' AND '), now };
}
