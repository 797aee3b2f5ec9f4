/**
 * Statistics for the charts and the hot-spot analysis, in SQL both engines run: the shared
 * filter (filterWhere) and store scope apply to every query, and calendar buckets (day, week,
 * month, hour of week) are taken in each city's own time zone (`occurred_at AT TIME ZONE c.tz`).
 * Zone-local timestamps come back from both drivers as the UTC Date of the wall time.
 */
import { BadInputError } from '../domain/errors.js';
import type { Filters } from '../domain/filters.js';
import { cellIdToHex } from '../domain/h3-cells.js';
import { cellColumn } from './cell-columns.js';
import type { Kind } from '../domain/incident.js';
import { instantToLocalDay, smoothRates } from '../domain/exposure.js';
import { finalStatusSql, overdueSql } from '../domain/sla.js';
import { confirmedIncidentSql, monthlyClosureRate } from '../domain/closure.js';
import { SqlExposureStore } from './exposure.js';
import { filterWhere } from './filter-sql.js';
import type { SqlDb, SqlValue } from './sql-db.js';
import { dateOrNull, sqlIntList } from './sql-db.js';
import { col } from './sql-rows.js';
import type { Scope } from './types.js';

import type { Interval, RankingSort, Split } from '../domain/stats-vocabulary.js';

/** More buckets than this is not a chart: ask for a coarser interval. */
export const MAX_BUCKETS = 1500;
const DAY_MS = 86_400_000;
const AVERAGE_MONTH_DAYS = 30.436875;
/** The ranking's period when the filter has no `from`. */
export const DEFAULT_RANKING_DAYS = 30;

export interface TimeSeries {
  interval: Interval;
  split: Split;
  /** Bucket starts as YYYY-MM-DD (city time), ascending, without gaps. */
  buckets: string[];
  /** One series per kind or severity (one `all` series when not split); counts[k] is buckets[k]. */
  series: Array<{ key: string; counts: number[] }>;
}

export interface CategoryCount {
  kind: Kind;
  category: string;
  count: number;
}

export interface HourOfWeek {
  /** counts[day][hour]: day 0 = Monday ... 6 = Sunday, hour 0..23, in each city's zone. */
  counts: number[][];
  max: number;
}

export interface StoreRankRow {
  storeId: number;
  code: string;
  name: string;
  cityId: number;
  incidents: number;
  perMonth: number;
  /** Closed or dismissed among the incidents (rejected and pending AI detections excluded); null when none. */
  closureRate: number | null;
  /** Of the period's incidents, open and past due now. */
  overdue: number;
  previous: number;
  /** (incidents - previous) / previous; null when the previous period had none. */
  change: number | null;
  /** Deliveries in the period; null when the store's exposure does not cover it (see storeRanking). */
  deliveries: number | null;
  /** Raw incidents per 1,000 deliveries; null without exposure. */
  per1000: number | null;
  /** Per 1,000 deliveries, smoothed by empirical Bayes over the city's stores (../domain/exposure.ts); null without exposure. */
  per1000Smoothed: number | null;
}

export interface StoreRanking {
  from: string;
  to: string;
  previousFrom: string;
  rows: StoreRankRow[];
  /** Stores of the ranking whose exposure covers the period (the others fall back to counts). */
  withExposure: number;
}

export interface CellCounts {
  cityId: number;
  cells: string[];
  counts: number[];
}

export interface CellWeeks {
  cityId: number;
  /** Mondays (YYYY-MM-DD, city time) of the complete weeks analysed, oldest first. */
  weeks: string[];
  /** The study area: cells with incidents in any of the weeks. */
  cells: string[];
  /** counts[week][k] for cells[k]. */
  counts: number[][];
}

export interface StatsStore {
  /** @throws BadInputError when the range holds more than MAX_BUCKETS buckets */
  timeseries(q: { filters: Filters; interval: Interval; split: Split; now: Date }, scope: Scope): Promise<TimeSeries>;
  categories(q: { filters: Filters; now: Date }, scope: Scope): Promise<CategoryCount[]>;
  hourOfWeek(q: { filters: Filters; now: Date }, scope: Scope): Promise<HourOfWeek>;
  /** The filter's period (default: the last 30 days) against the period of equal length before it. */
  storeRanking(q: { filters: Filters; sort: RankingSort; limit: number; now: Date }, scope: Scope): Promise<StoreRanking>;
  /** Incidents per cell at `resolution`, per city. */
  cellCounts(q: { filters: Filters; resolution: number; now: Date }, scope: Scope): Promise<CellCounts[]>;
  /** Incidents per cell and complete week (the `weeks` before the week containing `end`), per city. */
  cellWeeks(q: { filters: Filters; resolution: number; weeks: number; end: Date; now: Date }, scope: Scope): Promise<CellWeeks[]>;
}

const ymd = (d: Date) => d.toISOString().slice(0, 10);

/** The bucket after `d` (a UTC Date holding a wall time). */
function nextBucket(d: Date, interval: Interval): Date {
  if (interval === 'day') return new Date(d.getTime() + DAY_MS);
  if (interval === 'week') return new Date(d.getTime() + 7 * DAY_MS);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
}

export class SqlStatsStore implements StatsStore {
  constructor(private readonly db: SqlDb) {}

  async timeseries(q: { filters: Filters; interval: Interval; split: Split; now: Date }, scope: Scope): Promise<TimeSeries> {
    const params: SqlValue[] = [];
    const { where } = filterWhere({ filters: q.filters, scope, now: q.now }, params);
    const splitSql = q.split === 'kind' ? 'i.kind' : q.split === 'severity' ? 'CAST(i.severity AS TEXT)' : `'all'`;
    const rows = await this.db.query(
      `SELECT date_trunc('${q.interval}', i.occurred_at AT TIME ZONE c.tz) AS bucket, ${splitSql} AS series, count(*) AS n
       FROM incident i JOIN city c ON c.id = i.city_id
       WHERE ${where} GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
    const out: TimeSeries = { interval: q.interval, split: q.split, buckets: [], series: [] };
    if (!rows.length) return out;
    const first = col.date(rows[0]!, 'bucket');
    const last = dateOrNull(rows[rows.length - 1]!.bucket)!;
    const index = new Map<string, number>();
    for (let d = first; d <= last; d = nextBucket(d, q.interval)) {
      if (out.buckets.length >= MAX_BUCKETS) {
        throw new BadInputError('interval', `the range has more than ${MAX_BUCKETS} ${q.interval}s: choose a coarser interval or a shorter range`);
      }
      index.set(ymd(d), out.buckets.length);
      out.buckets.push(ymd(d));
    }
    const keys =
      q.split === 'kind' ? ['accident', 'exception'] : q.split === 'severity' ? ['1', '2', '3', '4'] : ['all'];
    const series = new Map(keys.map((key) => [key, new Array<number>(out.buckets.length).fill(0)]));
    for (const r of rows) {
      const counts = series.get(String(r.series));
      const k = index.get(ymd(col.date(r, 'bucket')));
      if (counts && k !== undefined) counts[k] = col.number(r, 'n');
    }
    out.series = keys.map((key) => ({ key, counts: series.get(key)! }));
    return out;
  }

  async categories(q: { filters: Filters; now: Date }, scope: Scope): Promise<CategoryCount[]> {
    const params: SqlValue[] = [];
    const { where } = filterWhere({ filters: q.filters, scope, now: q.now }, params);
    const rows = await this.db.query(
      `SELECT i.kind, i.category, count(*) AS n FROM incident i WHERE ${where}
       GROUP BY 1, 2 ORDER BY n DESC, i.kind, i.category`,
      params,
    );
    return rows.map((r) => ({ kind: col.text(r, 'kind') as Kind, category: col.text(r, 'category'), count: col.number(r, 'n') }));
  }

  async hourOfWeek(q: { filters: Filters; now: Date }, scope: Scope): Promise<HourOfWeek> {
    const params: SqlValue[] = [];
    const { where } = filterWhere({ filters: q.filters, scope, now: q.now }, params);
    const rows = await this.db.query(
      `SELECT EXTRACT(isodow FROM i.occurred_at AT TIME ZONE c.tz) AS dow, EXTRACT(hour FROM i.occurred_at AT TIME ZONE c.tz) AS hour,
              count(*) AS n
       FROM incident i JOIN city c ON c.id = i.city_id WHERE ${where} GROUP BY 1, 2`,
      params,
    );
    const counts = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    let max = 0;
    for (const r of rows) {
      const n = col.number(r, 'n');
      counts[col.number(r, 'dow') - 1]![col.number(r, 'hour')] = n;
      max = Math.max(max, n);
    }
    return { counts, max };
  }

  async storeRanking(q: { filters: Filters; sort: RankingSort; limit: number; now: Date }, scope: Scope): Promise<StoreRanking> {
    const to = q.filters.to ? new Date(q.filters.to) : q.now;
    const from = q.filters.from ? new Date(q.filters.from) : new Date(to.getTime() - DEFAULT_RANKING_DAYS * DAY_MS);
    const previousFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
    const params: SqlValue[] = [];
    // the period predicates are ours: the filter's own range would cut off the previous period
    const { where, now } = filterWhere({ filters: { ...q.filters, from: undefined, to: undefined }, scope, now: q.now }, params);
    params.push(previousFrom, from, to);
    const [pPrev, pFrom, pTo] = [params.length - 2, params.length - 1, params.length].map((n) => `$${n}`);
    const current = `i.occurred_at >= ${pFrom}`;
    const rows = await this.db.query(
      `SELECT i.store_id, s.code, s.name, s.city_id,
              count(*) FILTER (WHERE ${current}) AS incidents,
              count(*) FILTER (WHERE NOT (${current})) AS previous,
              count(*) FILTER (WHERE ${current} AND ${confirmedIncidentSql('i')}) AS eligible,
              count(*) FILTER (WHERE ${current} AND ${confirmedIncidentSql('i')} AND ${finalStatusSql('i')}) AS closed,
              count(*) FILTER (WHERE ${current} AND ${overdueSql(now())}) AS overdue
       FROM incident i JOIN store s ON s.id = i.store_id
       WHERE ${where} AND i.occurred_at >= ${pPrev} AND i.occurred_at < ${pTo}
       GROUP BY i.store_id, s.code, s.name, s.city_id`,
      params,
    );
    const months = (to.getTime() - from.getTime()) / DAY_MS / AVERAGE_MONTH_DAYS;
    const list: StoreRankRow[] = rows.map((r) => {
      const incidents = col.number(r, 'incidents');
      const previous = col.number(r, 'previous');
      const eligible = col.number(r, 'eligible');
      return {
        storeId: col.number(r, 'store_id'),
        code: col.text(r, 'code'),
        name: col.text(r, 'name'),
        cityId: col.number(r, 'city_id'),
        incidents,
        perMonth: months > 0 ? incidents / months : incidents,
        closureRate: monthlyClosureRate(col.number(r, 'closed'), eligible),
        overdue: col.number(r, 'overdue'),
        previous,
        change: previous ? (incidents - previous) / previous : null,
        deliveries: null,
        per1000: null,
        per1000Smoothed: null,
      };
    });
    await this.addExposure(list, from, to, q.filters, q.now, scope);
    // nulls rank last whatever the direction; ties by store code for a stable order
    const key = (row: StoreRankRow) => row[q.sort];
    list.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka === null || kb === null) return ka === kb ? a.code.localeCompare(b.code) : ka === null ? 1 : -1;
      return kb - ka || a.code.localeCompare(b.code);
    });
    return { from: from.toISOString(), to: to.toISOString(), previousFrom: previousFrom.toISOString(), rows: list.slice(0, q.limit), withExposure: list.slice(0, q.limit).filter((r) => r.deliveries !== null).length };
  }

  /**
   * Fills deliveries and rates per 1,000 deliveries into the ranking rows, fitting the empirical
   * Bayes prior per city over every store of the scope whose exposure covers the period (stores
   * without incidents included: they pull the city's rate down). A store's exposure covers the
   * period when it has rows for all its days in the city's zone, or all but the last (today's
   * deliveries usually arrive tomorrow).
   */
  private async addExposure(
    list: StoreRankRow[],
    from: Date,
    to: Date,
    filters: Filters,
    at: Date,
    scope: Scope,
  ): Promise<void> {
    const params: SqlValue[] = [];
    // the same filter as the ranking's counts, its period ours
    const { where } = filterWhere({ filters: { ...filters, from: undefined, to: undefined }, scope, now: at }, params);
    const cities = await this.db.query(`SELECT c.id, c.tz FROM city c WHERE c.id IN (SELECT s.city_id FROM store s)`);
    const exposure = new SqlExposureStore(this.db);
    const byStore = new Map(list.map((r) => [r.storeId, r]));
    for (const c of cities) {
      const cityId = col.number(c, 'id');
      const tz = col.text(c, 'tz');
      const fromDay = instantToLocalDay(from, tz);
      const toDay = instantToLocalDay(new Date(to.getTime() - 1), tz);
      const periodDays = Math.round((Date.parse(toDay) - Date.parse(fromDay)) / DAY_MS) + 1;
      const storeIds = (await this.db.query(`SELECT s.id FROM store s WHERE s.city_id = $1`, [cityId])).map((r) => col.number(r, 'id'));
      if (!storeIds.length) continue;
      const covered = (await exposure.storeDeliveries({ fromDay, toDay, storeIds }, scope)).filter(
        (e) => e.deliveries > 0 && e.days >= periodDays - 1,
      );
      if (!covered.length) continue;
      // incidents of the covered stores, including those that are not in the ranking (none in the period)
      const counts = new Map<number, number>();
      const rows = await this.db.query(
        `SELECT i.store_id, count(*) AS n FROM incident i
         WHERE ${where} AND i.store_id IN ${sqlIntList(covered.map((e) => e.storeId))}
           AND i.occurred_at >= $${params.length + 1} AND i.occurred_at < $${params.length + 2}
         GROUP BY i.store_id`,
        [...params, from, to],
      );
      for (const r of rows) counts.set(col.number(r, 'store_id'), col.number(r, 'n'));
      const units = covered.map((e) => ({ incidents: counts.get(e.storeId) ?? 0, deliveries: e.deliveries }));
      const { rates } = smoothRates(units);
      covered.forEach((e, k) => {
        const row = byStore.get(e.storeId);
        if (!row) return;
        row.deliveries = e.deliveries;
        row.per1000 = rates[k]!.raw;
        row.per1000Smoothed = rates[k]!.smoothed;
      });
    }
  }

  async cellCounts(q: { filters: Filters; resolution: number; now: Date }, scope: Scope): Promise<CellCounts[]> {
    const cell = cellColumn(q.resolution);
    const params: SqlValue[] = [];
    const { where } = filterWhere({ filters: q.filters, scope, now: q.now }, params);
    const rows = await this.db.query(
      `SELECT i.city_id, ${cell} AS cell, count(*) AS n FROM incident i WHERE ${where}
       GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
    const byCity = new Map<number, CellCounts>();
    for (const r of rows) {
      const cityId = col.number(r, 'city_id');
      let entry = byCity.get(cityId);
      if (!entry) byCity.set(cityId, (entry = { cityId, cells: [], counts: [] }));
      entry.cells.push(cellIdToHex(col.bigint(r, 'cell')));
      entry.counts.push(col.number(r, 'n'));
    }
    return [...byCity.values()];
  }

  async cellWeeks(
    q: { filters: Filters; resolution: number; weeks: number; end: Date; now: Date },
    scope: Scope,
  ): Promise<CellWeeks[]> {
    if (!Number.isInteger(q.weeks) || q.weeks < 1 || q.weeks > 520) throw new BadInputError('weeks', 'must be an integer in 1..520');
    const cell = cellColumn(q.resolution);
    const params: SqlValue[] = [];
    const { where } = filterWhere({ filters: q.filters, scope, now: q.now }, params);
    params.push(q.end, new Date(q.end.getTime() - (7 * q.weeks + 8) * DAY_MS));
    const pEnd = `$${params.length - 1}`;
    const pLow = `$${params.length}`;
    const weekOfEnd = `date_trunc('week', CAST(${pEnd} AS TIMESTAMPTZ) AT TIME ZONE c.tz)`;
    const local = 'i.occurred_at AT TIME ZONE c.tz';
    const [rows, cityWeeks] = await Promise.all([
      this.db.query(
        `SELECT i.city_id, ${cell} AS cell, date_trunc('week', ${local}) AS week, count(*) AS n
         FROM incident i JOIN city c ON c.id = i.city_id
         WHERE ${where}
           AND i.occurred_at >= ${pLow} AND i.occurred_at < ${pEnd}
           AND ${local} >= ${weekOfEnd} - INTERVAL '${7 * q.weeks} days' AND ${local} < ${weekOfEnd}
         GROUP BY 1, 2, 3`,
        params,
      ),
      // the sargable bound above is a day wider than any zone offset; this gives each city's week
      this.db.query(`SELECT c.id, date_trunc('week', CAST($1 AS TIMESTAMPTZ) AT TIME ZONE c.tz) AS week FROM city c`, [q.end]),
    ]);
    const weekOfEndByCity = new Map(cityWeeks.map((r) => [col.number(r, 'id'), col.date(r, 'week').getTime()]));
    const byCity = new Map<number, { weeks: string[]; cellIndex: Map<string, number>; cells: string[]; counts: number[][] }>();
    for (const r of rows) {
      const cityId = col.number(r, 'city_id');
      let entry = byCity.get(cityId);
      if (!entry) {
        const endWeek = weekOfEndByCity.get(cityId)!;
        const weeks = Array.from({ length: q.weeks }, (_, k) => ymd(new Date(endWeek - (q.weeks - k) * 7 * DAY_MS)));
        entry = { weeks, cellIndex: new Map(), cells: [], counts: weeks.map(() => []) };
        byCity.set(cityId, entry);
      }
      const cell = cellIdToHex(col.bigint(r, 'cell'));
      let k = entry.cellIndex.get(cell);
      if (k === undefined) {
        k = entry.cells.length;
        entry.cellIndex.set(cell, k);
        entry.cells.push(cell);
        for (const column of entry.counts) column.push(0);
      }
      const step = entry.weeks.indexOf(ymd(col.date(r, 'week')));
      if (step >= 0) entry.counts[step]![k] = col.number(r, 'n');
    }
    return [...byCity.entries()].map(([cityId, e]) => ({ cityId, weeks: e.weeks, cells: e.cells, counts: e.counts }));
  }
}
