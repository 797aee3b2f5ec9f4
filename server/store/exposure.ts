/**
 * Exposure (deliveries per store and day, optionally per H3 cell), in SQL both engines run.
 * A store's deliveries on a day are its whole-store row (cell 0) when present, otherwise the sum
 * of its cell rows: a pipeline may send either, and a day is never counted twice.
 */
import type { Bbox, Filters } from '../domain/filters.js';
import { cellIdToHex, hexToCellId } from '../domain/h3-cells.js';
import { cellRates, instantToLocalDay } from '../domain/exposure.js';
import type { CellExposure, CellIncidents, CellRate } from '../domain/exposure.js';
import { cellInBbox } from '../domain/hexbin-box.js';
import type { ExposureInput } from '../ingest/profiles/deliveries.js';
import { cellColumn } from './cell-columns.js';
import { filterWhere } from './filter-sql.js';
import type { SqlDb, SqlValue } from './sql-db.js';
import { sqlIntList } from './sql-db.js';
import { col } from './sql-rows.js';
import type { Scope } from './types.js';

/** The period of a rate when the filters have no `from`: the store ranking's (server/store/stats.ts). */
export const DEFAULT_RATE_DAYS = 30;
const DAY_MS = 86_400_000;

export interface CellRatesQuery {
  filters: Filters;
  /** 5..11 */
  resolution: number;
  bbox?: Bbox;
  /** Only this cell (h3-js id at `resolution`). */
  cell?: string;
  now: Date;
}

/** Incidents per 1,000 deliveries of the cells with per-cell exposure, columnar (index k describes cells[k]). */
export interface CellRates {
  resolution: number;
  /** The period: [from, to). */
  from: string;
  to: string;
  cells: string[];
  incidents: number[];
  deliveries: number[];
  /** Raw incidents / deliveries x 1,000. */
  per1000: number[];
  /** Empirical Bayes, one prior per city over its cells (../domain/exposure.ts cellRates). */
  per1000Smoothed: number[];
  /** Stores of the scope whose per-cell exposure covers the period (0: the metric is unknown everywhere). */
  storesWithCellExposure: number;
}

export interface StoreExposure {
  storeId: number;
  deliveries: number;
  /** Days in the range with any exposure row. */
  days: number;
}

export interface ExposureStore {
  /** Upserts every row in one transaction: all stored, or none. Returns the rows written. */
  write(rows: readonly ExposureInput[], now: Date): Promise<number>;
  /**
   * Deliveries per store over the days `fromDay`..`toDay` (YYYY-MM-DD, inclusive), for the stores
   * of the scope (and of `storeIds` when given). Stores without any row are absent.
   */
  storeDeliveries(q: { fromDay: string; toDay: string; storeIds?: readonly number[] }, scope: Scope): Promise<StoreExposure[]>;
  /**
   * Incidents per 1,000 deliveries per cell where per-cell exposure covers the period (the filters'
   * from..to, else the last DEFAULT_RATE_DAYS days). A store's per-cell exposure covers the period
   * when it has cell rows on all its days in the city's zone, or all but the last (as the store
   * ranking); a day without a row for some cell means no deliveries there. The incidents are
   * those the filters keep, of the stores that reported deliveries in the cell.
   * @throws BadInputError for a malformed bbox or cell
   */
  cellRates(q: CellRatesQuery, scope: Scope): Promise<CellRates>;
}

/** Rows per INSERT: one statement per row is slow on DuckDB, and PostgreSQL caps parameters at 65,535. */
const CHUNK = 500;

export class SqlExposureStore implements ExposureStore {
  constructor(private readonly db: SqlDb) {}

  async write(rows: readonly ExposureInput[], now: Date): Promise<number> {
    if (!rows.length) return 0;
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK);
        const params: SqlValue[] = [now];
        const values = chunk.map((r) => {
          params.push(r.storeId, r.day, r.cell === null ? 0n : hexToCellId(r.cell), r.deliveries);
          const n = params.length;
          return `($${n - 3}, $${n - 2}, $${n - 1}, $${n}, $1)`;
        });
        await tx.query(
          `INSERT INTO exposure (store_id, day, cell, deliveries, updated_at) VALUES ${values.join(', ')}
           ON CONFLICT (store_id, day, cell) DO UPDATE SET deliveries = excluded.deliveries, updated_at = excluded.updated_at`,
          params,
        );
      }
    });
    return rows.length;
  }

  async storeDeliveries(q: { fromDay: string; toDay: string; storeIds?: readonly number[] }, scope: Scope): Promise<StoreExposure[]> {
    const where = [`x.day >= $1`, `x.day <= $2`, scope.all ? 'TRUE' : `x.store_id IN ${sqlIntList(scope.storeIds)}`];
    if (q.storeIds) where.push(`x.store_id IN ${sqlIntList(q.storeIds)}`);
    const rows = await this.db.query(
      `WITH per_day AS (
         SELECT x.store_id, x.day,
                max(CASE WHEN x.cell = 0 THEN x.deliveries END) AS whole,
                sum(CASE WHEN x.cell <> 0 THEN x.deliveries ELSE 0 END) AS cells
         FROM exposure x WHERE ${where.join(' AND ')}
         GROUP BY x.store_id, x.day)
       SELECT store_id, sum(COALESCE(whole, cells)) AS deliveries, count(*) AS days
       FROM per_day GROUP BY store_id ORDER BY store_id`,
      [q.fromDay, q.toDay],
    );
    return rows.map((r) => ({ storeId: col.number(r, 'store_id'), deliveries: col.number(r, 'deliveries'), days: col.number(r, 'days') }));
  }

  async cellRates(q: CellRatesQuery, scope: Scope): Promise<CellRates> {
    const to = q.filters.to ? new Date(q.filters.to) : q.now;
    const from = q.filters.from ? new Date(q.filters.from) : new Date(to.getTime() - DEFAULT_RATE_DAYS * DAY_MS);
    const scopeSql = scope.all ? 'TRUE' : `s.id IN ${sqlIntList(scope.storeIds)}`;
    const cityFilter = q.filters.cityIds ? `s.city_id IN ${sqlIntList(q.filters.cityIds)}` : 'TRUE';
    const storeFilter = q.filters.storeIds ? `s.id IN ${sqlIntList(q.filters.storeIds)}` : 'TRUE';
    const stores = await this.db.query(
      `SELECT s.id, s.city_id, c.tz FROM store s JOIN city c ON c.id = s.city_id WHERE ${scopeSql} AND ${cityFilter} AND ${storeFilter}`,
    );
    const exposure: CellExposure[] = [];
    const covered: number[] = [];
    // per city zone: its days of the period
    const byTz = new Map<string, Array<{ id: number; cityId: number }>>();
    for (const r of stores) byTz.set(col.text(r, 'tz'), [...(byTz.get(col.text(r, 'tz')) ?? []), { id: col.number(r, 'id'), cityId: col.number(r, 'city_id') }]);
    for (const [tz, list] of byTz) {
      const fromDay = instantToLocalDay(from, tz);
      const toDay = instantToLocalDay(new Date(to.getTime() - 1), tz);
      const periodDays = Math.round((Date.parse(toDay) - Date.parse(fromDay)) / DAY_MS) + 1;
      const cityOf = new Map(list.map((s) => [s.id, s.cityId]));
      const where = `x.cell <> 0 AND x.day >= $1 AND x.day <= $2 AND x.store_id IN ${sqlIntList(list.map((s) => s.id))}`;
      const [rows, days] = await Promise.all([
        this.db.query(`SELECT x.store_id, x.cell, sum(x.deliveries) AS deliveries FROM exposure x WHERE ${where} GROUP BY x.store_id, x.cell`, [fromDay, toDay]),
        this.db.query(`SELECT x.store_id, count(DISTINCT x.day) AS days FROM exposure x WHERE ${where} GROUP BY x.store_id`, [fromDay, toDay]),
      ]);
      const storeIds = new Set(days.filter((r) => col.number(r, 'days') >= periodDays - 1).map((r) => col.number(r, 'store_id')));
      for (const r of rows) {
        const storeId = col.number(r, 'store_id');
        if (!storeIds.has(storeId)) continue;
        exposure.push({ storeId, cityId: cityOf.get(storeId)!, cell: cellIdToHex(col.bigint(r, 'cell')), deliveries: col.number(r, 'deliveries') });
      }
      covered.push(...storeIds);
    }
    const incidents: CellIncidents[] = [];
    if (covered.length) {
      const params: SqlValue[] = [];
      const { where } = filterWhere({ filters: { ...q.filters, from: undefined, to: undefined }, scope, now: q.now }, params);
      params.push(from, to);
      const rows = await this.db.query(
        `SELECT i.store_id, ${cellColumn(q.resolution)} AS cell, count(*) AS n FROM incident i
         WHERE ${where} AND i.store_id IN ${sqlIntList(covered)}
           AND i.occurred_at >= $${params.length - 1} AND i.occurred_at < $${params.length}
         GROUP BY 1, 2`,
        params,
      );
      for (const r of rows) incidents.push({ storeId: col.number(r, 'store_id'), cell: cellIdToHex(col.bigint(r, 'cell')), incidents: col.number(r, 'n') });
    }
    // the prior is fitted over every covered cell of the city, then the answer narrowed to the view
    const rates = cellRates(exposure, incidents, q.resolution).filter(
      (c: CellRate) => (!q.bbox || cellInBbox(c.cell, q.bbox, q.resolution)) && (!q.cell || c.cell === q.cell),
    );
    return {
      resolution: q.resolution,
      from: from.toISOString(),
      to: to.toISOString(),
      cells: rates.map((c) => c.cell),
      incidents: rates.map((c) => c.incidents),
      deliveries: rates.map((c) => c.deliveries),
      per1000: rates.map((c) => c.raw),
      per1000Smoothed: rates.map((c) => c.smoothed),
      storesWithCellExposure: covered.length,
    };
  }
}
