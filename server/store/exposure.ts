/**
 * Exposure (deliveries per store and day, optionally per H3 cell), in SQL both engines run.
 * A store's deliveries on a day are its whole-store row (cell 0) when present, otherwise the sum
 * of its cell rows: a pipeline may send either, and a day is never counted twice.
 */
import { hexToCellId } from '../domain/h3-cells.js';
import type { ExposureInput } from '../ingest/profiles/deliveries.js';
import type { SqlDb, SqlValue } from './sql-db.js';
import { sqlIntList } from './sql-db.js';
import { col } from './sql-rows.js';
import type { Scope } from './types.js';

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
}
