/**
 * The naive baseline: what a client-side map tool does. Fetch the matching rows (through the
 * same filter SQL, from the same DuckDB file), ship them as JSON, and aggregate them in
 * JavaScript with h3-js. No server-side aggregation, no bit arithmetic.
 */
import { cellToBoundary, latLngToCell } from 'h3-js';
import { readBbox } from '../../server/domain/hexbin-box.js';
import { SEVERITY_WEIGHT } from '../../server/domain/incident.js';
import type { Severity } from '../../server/domain/incident.js';
import { filterWhere } from '../../server/store/filter-sql.js';
import type { SqlDb, SqlValue } from '../../server/store/sql-db.js';
import type { BenchContext, BenchQuery } from './queries.js';

const WIRE_ROWS = 100_000;

interface RawRow {
  id: number;
  lat: number;
  lng: number;
  severity: number;
  status: string;
  due: number | null;
  occurred: number;
}

async function fetchRows(db: SqlDb, input: ReturnType<BenchQuery['input']>, now: Date): Promise<RawRow[]> {
  const params: SqlValue[] = [];
  let bbox = input.bbox && readBbox(input.bbox, input.resolution ?? 9);
  if (input.cell) {
    // the cell's bounding box, then exact membership in JS
    const ring = cellToBoundary(input.cell);
    const lats = ring.map((p) => p[0]);
    const lngs = ring.map((p) => p[1]);
    bbox = [Math.min(...lngs), Math.min(...lats), Math.max(...lngs), Math.max(...lats)];
  }
  const { where } = filterWhere({ filters: input.filters, scope: { all: true }, now, bbox }, params);
  const rows = await db.query(
    `SELECT i.id, i.lat, i.lng, i.severity, i.status, epoch_ms(i.due_at) AS due, epoch_ms(i.occurred_at) AS occurred
     FROM incident i WHERE ${where}`,
    params,
  );
  // The wire: rows serialised and parsed again, as a browser would receive them, in slices of
  // WIRE_ROWS (millions of rows do not fit one JavaScript string, so a tool must stream them).
  const out: RawRow[] = [];
  for (let k = 0; k < rows.length; k += WIRE_ROWS) {
    const slice = JSON.stringify(rows.slice(k, k + WIRE_ROWS), (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
    for (const row of JSON.parse(slice) as RawRow[]) out.push(row);
  }
  return out;
}

export async function runNaive(db: SqlDb, query: BenchQuery, c: BenchContext): Promise<number> {
  const input = query.input(c);
  const rows = await fetchRows(db, input, c.now);
  const nowMs = c.now.getTime();
  if (query.procedure === 'incidents.list') {
    const inCell = rows.filter((r) => latLngToCell(r.lat, r.lng, 9) === input.cell);
    inCell.sort((a, b) => b.occurred - a.occurred || b.id - a.id);
    return inCell.slice(0, input.limit ?? 50).length;
  }
  const cells = new Map<string, { count: number; weighted: number; closed: number; overdue: number }>();
  for (const r of rows) {
    const cell = latLngToCell(r.lat, r.lng, input.resolution!);
    const agg = cells.get(cell) ?? { count: 0, weighted: 0, closed: 0, overdue: 0 };
    agg.count++;
    agg.weighted += SEVERITY_WEIGHT[r.severity as Severity];
    const final = r.status === 'closed' || r.status === 'dismissed';
    if (final) agg.closed++;
    else if (r.due !== null && r.due < nowMs) agg.overdue++;
    cells.set(cell, agg);
  }
  return cells.size;
}
