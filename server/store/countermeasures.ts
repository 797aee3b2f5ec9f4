/**
 * Countermeasures on H3 cells and the counts their before/after evaluation needs, in SQL both
 * engines run. The statistics live in ../domain/countermeasures.ts; this file only counts.
 *
 * Exposure: when the store has deliveries for every day of both windows (per store, not per cell),
 * the rates are compared per delivery.
 *
 * What is counted: incidents of the countermeasure's store that one of its cells contains (the
 * cell column of that cell's resolution: the hexbins' and the drill-down's rule), that occurred
 * in the window, of the chosen kind,
 * with rejected and pending AI detections left out (as the closure rate does).
 */
import { confirmedIncidentSql } from '../domain/closure.js';
import { BadInputError } from '../domain/errors.js';
import type { CountermeasureEvaluation, CountermeasureKind, WindowFigures } from '../domain/countermeasures.js';
import { evaluateWindows, evaluationWindows, localDateToInstant } from '../domain/countermeasures.js';
import type { IncidentKindCounted } from '../domain/countermeasure-vocabulary.js';
import { CellError, cellIdResolution, cellIdToHex, hexToCellId } from '../domain/h3-cells.js';
import { cellColumn } from './cell-columns.js';
import { SqlExposureStore } from './exposure.js';
import type { SqlDb, SqlRow } from './sql-db.js';
import { num, sqlIntList } from './sql-db.js';
import { col } from './sql-rows.js';
import type { Scope } from './types.js';

export interface CountermeasureInput {
  storeId: number;
  title: string;
  kind: CountermeasureKind;
  /** What the evaluation counts (default accidents). */
  incidentKind: IncidentKindCounted;
  /** YYYY-MM-DD in the store's city zone. */
  startDate: string;
  owner: string;
  note: string | null;
  /** h3-js ids at resolutions 5..11. */
  cells: string[];
}

export type CountermeasurePatch = Partial<Omit<CountermeasureInput, 'storeId'>>;

export interface Countermeasure extends CountermeasureInput {
  id: number;
  storeCode: string;
  storeName: string;
  cityId: number;
  /** Local midnight of startDate in the city's zone. */
  startsAt: Date;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** An update that raced another: the caller's version is not the stored one. */
export class CountermeasureConflictError extends Error {
  constructor(readonly current: number) {
    super(`version: the countermeasure was changed meanwhile (now version ${current}); reload it and try again`);
  }
}

export interface CountermeasureListQuery {
  scope: Scope;
  storeIds?: readonly number[];
  cityId?: number;
  limit: number;
}

export interface CountermeasureStore {
  /** @throws BadInputError for an unknown store, a store outside the scope, a bad cell or date */
  create(input: CountermeasureInput, createdBy: string, scope: Scope, now: Date): Promise<Countermeasure>;
  /** Newest first. */
  list(query: CountermeasureListQuery): Promise<Countermeasure[]>;
  /** Null when absent or outside the scope. */
  byId(id: number, scope: Scope): Promise<Countermeasure | null>;
  /**
   * Null when absent or outside the scope.
   * @throws CountermeasureConflictError when `version` is not the stored version
   * @throws BadInputError for a bad cell or date
   */
  update(id: number, version: number, patch: CountermeasurePatch, scope: Scope, now: Date): Promise<Countermeasure | null>;
  /** Equal windows before and after the start, compared (../domain/countermeasures.ts). */
  evaluate(countermeasure: Countermeasure, now: Date, windowDays?: number): Promise<CountermeasureEvaluation>;
}

function scopeSql(scope: Scope, alias: string): string {
  return scope.all ? 'TRUE' : `${alias}.store_id IN ${sqlIntList(scope.storeIds)}`;
}

/** Valid, distinct cells as ids, in the order given. @throws BadInputError naming the cell */
function readCells(cells: readonly string[]): bigint[] {
  const ids = new Map<bigint, true>();
  cells.forEach((hex, k) => {
    let id: bigint;
    try {
      id = hexToCellId(hex);
    } catch (error) {
      throw new BadInputError(`cells.${k}`, error instanceof CellError ? error.message : 'is not an H3 cell');
    }
    const r = cellIdResolution(id);
    if (r < 5 || r > 11) throw new BadInputError(`cells.${k}`, `resolution ${r} is outside 5..11`);
    ids.set(id, true);
  });
  if (!ids.size) throw new BadInputError('cells', 'needs at least one cell');
  return [...ids.keys()];
}

/** `YYYY-MM-DD` shifted by whole days (calendar arithmetic, no zone involved). */
function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function readStart(date: string, tz: string): Date {
  try {
    return localDateToInstant(date, tz);
  } catch (error) {
    throw new BadInputError('startDate', (error as Error).message);
  }
}

const SELECT = `
  SELECT m.*, s.code AS store_code, s.name AS store_name
  FROM countermeasure m JOIN store s ON s.id = m.store_id`;

function text(r: SqlRow, column: string): string {
  const v = r[column];
  if (typeof v !== 'string') throw new TypeError(`countermeasure row: ${column} is ${typeof v}, not text`);
  return v;
}

export class SqlCountermeasureStore implements CountermeasureStore {
  constructor(private readonly db: SqlDb) {}

  private async withCells(rows: SqlRow[], db: SqlDb = this.db): Promise<Countermeasure[]> {
    if (!rows.length) return [];
    const ids = rows.map((r) => col.number(r, 'id'));
    const cells = await db.query(
      `SELECT countermeasure_id, cell FROM countermeasure_cell WHERE countermeasure_id IN ${sqlIntList(ids)} ORDER BY cell`,
    );
    const byId = new Map<number, string[]>();
    for (const c of cells) {
      const list = byId.get(col.number(c, 'countermeasure_id')) ?? [];
      list.push(cellIdToHex(col.bigint(c, 'cell')));
      byId.set(col.number(c, 'countermeasure_id'), list);
    }
    return rows.map((r) => ({
      id: col.number(r, 'id'),
      storeId: col.number(r, 'store_id'),
      storeCode: text(r, 'store_code'),
      storeName: text(r, 'store_name'),
      cityId: col.number(r, 'city_id'),
      title: text(r, 'title'),
      kind: text(r, 'kind') as CountermeasureKind,
      incidentKind: text(r, 'incident_kind') as IncidentKindCounted,
      startDate: text(r, 'start_date'),
      startsAt: col.date(r, 'starts_at'),
      owner: text(r, 'owner'),
      note: col.textOrNull(r, 'note'),
      cells: byId.get(col.number(r, 'id')) ?? [],
      createdBy: text(r, 'created_by'),
      createdAt: col.date(r, 'created_at'),
      updatedAt: col.date(r, 'updated_at'),
      version: col.number(r, 'version'),
    }));
  }

  private async writeCells(tx: SqlDb, storeId: number, id: number, cells: bigint[]): Promise<void> {
    await tx.query(`DELETE FROM countermeasure_cell WHERE store_id = $1 AND countermeasure_id = $2`, [storeId, id]);
    for (const cell of cells) {
      await tx.query(`INSERT INTO countermeasure_cell (store_id, countermeasure_id, cell, resolution) VALUES ($1, $2, $3, $4)`, [
        storeId,
        id,
        cell,
        cellIdResolution(cell),
      ]);
    }
  }

  async create(input: CountermeasureInput, createdBy: string, scope: Scope, now: Date): Promise<Countermeasure> {
    const cells = readCells(input.cells);
    if (!scope.all && !scope.storeIds.includes(input.storeId)) {
      throw new BadInputError('storeId', `store ${input.storeId} is not one of your stores`);
    }
    const stores = await this.db.query(
      `SELECT s.id, s.city_id, c.tz FROM store s JOIN city c ON c.id = s.city_id WHERE s.id = $1 AND s.archived_at IS NULL`,
      [input.storeId],
    );
    if (!stores.length) throw new BadInputError('storeId', `no operating store ${input.storeId}`);
    const cityId = col.number(stores[0]!, 'city_id');
    const startsAt = readStart(input.startDate, text(stores[0]!, 'tz'));
    return this.db.transaction(async (tx) => {
      const id = num((await tx.query(`SELECT nextval('countermeasure_id_seq') AS id`))[0]!.id);
      await tx.query(
        `INSERT INTO countermeasure (id, store_id, city_id, title, kind, incident_kind, start_date, starts_at, owner, note,
           created_by, created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, 1)`,
        [id, input.storeId, cityId, input.title, input.kind, input.incidentKind, input.startDate, startsAt, input.owner, input.note, createdBy, now],
      );
      await this.writeCells(tx, input.storeId, id, cells);
      return (await this.withCells(await tx.query(`${SELECT} WHERE m.id = $1`, [id]), tx))[0]!;
    });
  }

  async list(query: CountermeasureListQuery): Promise<Countermeasure[]> {
    const where = [scopeSql(query.scope, 'm')];
    if (query.storeIds?.length) where.push(`m.store_id IN ${sqlIntList(query.storeIds)}`);
    if (query.cityId !== undefined) where.push(`m.city_id IN ${sqlIntList([query.cityId])}`);
    const rows = await this.db.query(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY m.starts_at DESC, m.id DESC LIMIT ${Math.trunc(query.limit)}`);
    return this.withCells(rows);
  }

  async byId(id: number, scope: Scope): Promise<Countermeasure | null> {
    const rows = await this.db.query(`${SELECT} WHERE m.id = $1 AND ${scopeSql(scope, 'm')}`, [id]);
    return (await this.withCells(rows))[0] ?? null;
  }

  async update(id: number, version: number, patch: CountermeasurePatch, scope: Scope, now: Date): Promise<Countermeasure | null> {
    const cells = patch.cells ? readCells(patch.cells) : undefined;
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(
        `SELECT m.store_id, m.version, m.start_date, c.tz FROM countermeasure m JOIN city c ON c.id = m.city_id
         WHERE m.id = $1 AND ${scopeSql(scope, 'm')}`,
        [id],
      );
      if (!rows.length) return null;
      const storeId = col.number(rows[0]!, 'store_id');
      if (col.number(rows[0]!, 'version') !== version) throw new CountermeasureConflictError(col.number(rows[0]!, 'version'));
      const startDate = patch.startDate ?? text(rows[0]!, 'start_date');
      const startsAt = readStart(startDate, text(rows[0]!, 'tz'));
      const sets: string[] = [];
      const params: (string | number | Date | null)[] = [id, storeId, now, startDate, startsAt];
      const set = (column: string, value: string | null | undefined) => {
        if (value === undefined) return;
        params.push(value);
        sets.push(`${column} = $${params.length}`);
      };
      set('title', patch.title);
      set('kind', patch.kind);
      set('incident_kind', patch.incidentKind);
      set('owner', patch.owner);
      set('note', patch.note);
      await tx.query(
        `UPDATE countermeasure SET updated_at = $3, start_date = $4, starts_at = $5, version = version + 1
           ${sets.map((s) => `, ${s}`).join('')}
         WHERE id = $1 AND store_id = $2`,
        params,
      );
      if (cells) await this.writeCells(tx, storeId, id, cells);
      return (await this.withCells(await tx.query(`${SELECT} WHERE m.id = $1`, [id]), tx))[0]!;
    });
  }

  async evaluate(cm: Countermeasure, now: Date, windowDays?: number): Promise<CountermeasureEvaluation> {
    const w = evaluationWindows(cm.startsAt, now, windowDays);
    // literal ids from validated cells, each compared with the column of its own resolution
    const inCells =
      cm.cells
        .map((hex) => {
          const id = hexToCellId(hex);
          return `${cellColumn(cellIdResolution(id))} = ${id}`;
        })
        .join(' OR ') || 'FALSE';
    const kind = cm.incidentKind === 'all' ? 'TRUE' : `i.kind = '${cm.incidentKind === 'accident' ? 'accident' : 'exception'}'`;
    const rows = await this.db.query(
      `SELECT count(*) FILTER (WHERE i.occurred_at < $2) AS before,
              count(*) FILTER (WHERE i.occurred_at >= $2) AS after
       FROM incident i
       WHERE i.store_id = $4 AND i.occurred_at >= $1 AND i.occurred_at < $3 AND ${kind}
         AND ${confirmedIncidentSql('i')} AND (${inCells})`,
      [w.before.from, w.after.from, w.after.to, cm.storeId],
    );
    const weeks = w.days / 7;
    const before: WindowFigures = { incidents: col.number(rows[0]!, 'before'), weeks };
    const after: WindowFigures = { incidents: col.number(rows[0]!, 'after'), weeks };
    if (w.days > 0) {
      // the store's deliveries on the windows' days (city days: the start is local midnight)
      const exposure = new SqlExposureStore(this.db);
      const sum = async (fromDay: string, toDay: string, allowMissingLast: boolean) => {
        const [e] = await exposure.storeDeliveries({ fromDay, toDay, storeIds: [cm.storeId] }, { all: true });
        // a window counts as exposed only when every day has a row (today's may still be missing)
        return e && e.days >= w.days - (allowMissingLast ? 1 : 0) ? e.deliveries : undefined;
      };
      const b = await sum(addDays(cm.startDate, -w.days), addDays(cm.startDate, -1), false);
      const a = await sum(cm.startDate, addDays(cm.startDate, w.days - 1), true);
      if (b !== undefined && a !== undefined) {
        before.exposure = b;
        after.exposure = a;
      }
    }
    return evaluateWindows(before, after, w.days);
  }
}
