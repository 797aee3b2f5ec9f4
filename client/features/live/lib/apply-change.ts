/**
 * Applies one live change (server/routers/live.ts) to a cached hexbins answer in place: the
 * incident leaves the counts of the state it was in and joins those of its new state, in the
 * hexagon that contains it at the answer's resolution (`latLngToCell`, the design's rule for
 * every resolution). The subscription already applied the filters' where/what parts (time,
 * kinds, categories, severities, stores, cities, text) on the server; the state parts (status,
 * review, overdue) and the box are checked here, before and after the change.
 *
 * The cell function is passed in (h3-js's `latLngToCell`): the live updates start with the first
 * screen, and importing h3-js here put its 61 kB gz in the first screen's bundle; the hook loads
 * it on the first change instead.
 */
import type { LiveChange } from '../../../../server/routers/live.js';
import { passesDefaultReview } from '../../../../server/domain/filters.js';
import type { Hexbins } from '../../../../server/domain/hexbin-wire.js';
import { SEVERITY_WEIGHT } from '../../../../server/domain/incident.js';
import { isFinalStatus, isOverdue } from '../../../../server/domain/sla.js';
import type { Bbox, IncidentFilters } from '../../../lib/filters.js';

export type { LiveChange };

/** h3-js's `latLngToCell`: the hexagon (hex id) containing a point at a resolution. */
export type CellOf = (lat: number, lng: number, resolution: number) => string;

/** The columnar hexbins of `map.hexbins`, decoded (the answer this module updates). */
export type HexbinColumns = Hexbins;

interface State {
  status: LiveChange['status'];
  review: LiveChange['review'];
  dueAt: string | null;
}

/** The domain's overdue rule (server/domain/sla.ts) on a change's state, due time as ISO text. */
const overdueAt = (s: State, nowMs: number) => isOverdue(s.status, s.dueAt === null ? null : new Date(s.dueAt), new Date(nowMs));

/** Whether an incident in state `s` passes the filters' state parts (as server/store/filter-sql.ts). */
export function matchesState(s: State, filters: IncidentFilters, nowMs: number): boolean {
  if (filters.statuses && !filters.statuses.includes(s.status)) return false;
  // without a review filter rejected AI detections are left out, pending ones counted
  if (filters.review ? s.review === null || !filters.review.includes(s.review) : !passesDefaultReview(s.review)) return false;
  if (filters.overdueOnly && !overdueAt(s, nowMs)) return false;
  return true;
}

function inBbox(lat: number, lng: number, bbox: Bbox | undefined): boolean {
  if (!bbox) return true;
  const [w, s, e, n] = bbox;
  return lat >= s && lat <= n && lng >= w && lng <= e;
}

/** Cells ascend by their 64-bit id; equal-length hex strings compare like the numbers. */
function insertAt(cells: readonly string[], cell: string): number {
  let lo = 0;
  let hi = cells.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cells[mid]! < cell) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The answer after the change (a new object), or the same object when the change does not
 * touch it (outside the box, or in none of the filtered states before and after).
 */
export function applyChangeToHexbins(
  hexbins: HexbinColumns,
  change: LiveChange,
  filters: IncidentFilters,
  bbox: Bbox | undefined,
  nowMs: number,
  cellOf: CellOf,
): HexbinColumns {
  if (!inBbox(change.lat, change.lng, bbox)) return hexbins;
  const after: State = change;
  const before: State | null = change.type === 'incident.created' ? null : change.previous;
  const wasIn = before !== null && matchesState(before, filters, nowMs);
  const isIn = matchesState(after, filters, nowMs);
  if (!wasIn && !isIn) return hexbins;
  const weight = SEVERITY_WEIGHT[change.severity];
  const delta = (s: State | null, included: boolean, sign: number) => ({
    count: included ? sign : 0,
    weighted: included ? sign * weight : 0,
    open: included && s && !isFinalStatus(s.status) ? sign : 0,
    closed: included && s && isFinalStatus(s.status) ? sign : 0,
    overdue: included && s && overdueAt(s, nowMs) ? sign : 0,
    ai: included && s && s.review !== null ? sign : 0,
    pending: included && s && s.review === 'pending' ? sign : 0,
  });
  const out = delta(before, wasIn, -1);
  const inn = delta(after, isIn, 1);
  const d = {
    count: out.count + inn.count,
    weighted: out.weighted + inn.weighted,
    open: out.open + inn.open,
    closed: out.closed + inn.closed,
    overdue: out.overdue + inn.overdue,
    ai: out.ai + inn.ai,
    pending: out.pending + inn.pending,
  };
  if (!d.count && !d.weighted && !d.open && !d.closed && !d.overdue && !d.ai && !d.pending) return hexbins;

  const cell = cellOf(change.lat, change.lng, hexbins.resolution);
  const next: HexbinColumns = {
    ...hexbins,
    cells: [...hexbins.cells],
    count: [...hexbins.count],
    weighted: [...hexbins.weighted],
    open: [...hexbins.open],
    closed: [...hexbins.closed],
    overdue: [...hexbins.overdue],
    ai: [...hexbins.ai],
    pending: [...hexbins.pending],
  };
  let i = next.cells.indexOf(cell);
  if (i < 0) {
    if (d.count <= 0) return hexbins; // leaving a cell this answer does not have: nothing to take away
    i = insertAt(next.cells, cell);
    next.cells.splice(i, 0, cell);
    for (const column of [next.count, next.weighted, next.open, next.closed, next.overdue, next.ai, next.pending]) column.splice(i, 0, 0);
  }
  next.count[i]! += d.count;
  next.weighted[i]! += d.weighted;
  next.open[i]! += d.open;
  next.closed[i]! += d.closed;
  next.overdue[i]! += d.overdue;
  next.ai[i]! += d.ai;
  next.pending[i]! += d.pending;
  if (next.count[i]! <= 0) {
    next.cells.splice(i, 1);
    for (const column of [next.count, next.weighted, next.open, next.closed, next.overdue, next.ai, next.pending]) column.splice(i, 1);
  }
  next.total = next.count.reduce((a, b) => a + b, 0);
  next.max = next.count.reduce((a, b) => Math.max(a, b), 0);
  return next;
}
