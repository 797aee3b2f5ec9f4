import { latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { applyChangeToHexbins } from '../../../../../../client/features/live/lib/apply-change.js';
import type { HexbinColumns, LiveChange } from '../../../../../../client/features/live/lib/apply-change.js';

const NOW = Date.parse('2026-01-10T12:00:00Z');
const HERE = { lat: 26.0801, lng: 119.2902 };
const THERE = { lat: 26.0502, lng: 119.3101 };
const R = 8;
const cellHere = latLngToCell(HERE.lat, HERE.lng, R);
const cellThere = latLngToCell(THERE.lat, THERE.lng, R);

function change(o: Partial<LiveChange> = {}): LiveChange {
  return {
    type: 'incident.created',
    id: 1,
    storeId: 1,
    cityId: 1,
    cell: latLngToCell(HERE.lat, HERE.lng, 11),
    ...HERE,
    status: 'open',
    review: null,
    dueAt: '2026-01-11T12:00:00Z',
    previous: null,
    kind: 'accident',
    category: 'vehicle_collision',
    externalId: 'x-1',
    severity: 3,
    occurredAt: '2026-01-10T11:00:00Z',
    changedAt: '2026-01-10T11:00:01Z',
    ...o,
  };
}

/** One cell (HERE) with 2 incidents: one open (severity 1), one closed (severity 2). */
const base = (): HexbinColumns => ({ resolution: R, cells: [cellHere], count: [2], weighted: [3], open: [1], closed: [1], overdue: [0], ai: [0], pending: [0], max: 2, total: 2 });

describe('applyChangeToHexbins', () => {
  it('adds a created incident to its hexagon: count, severity weight (3 -> 4), open', () => {
    const after = applyChangeToHexbins(base(), change(), {}, undefined, NOW, latLngToCell);
    expect(after).toEqual({ ...base(), count: [3], weighted: [7], open: [2], max: 3, total: 3 });
  });

  it('moves a closure from open to closed without changing the count', () => {
    const closed = change({ type: 'incident.updated', status: 'closed', previous: { status: 'open', review: null, dueAt: '2026-01-11T12:00:00Z' } });
    expect(applyChangeToHexbins(base(), closed, {}, undefined, NOW, latLngToCell)).toEqual({ ...base(), open: [0], closed: [2] });
  });

  it('takes an incident out when it leaves the filtered statuses, dropping an emptied cell', () => {
    const onlyOpen: HexbinColumns = { resolution: R, cells: [cellHere], count: [1], weighted: [4], open: [1], closed: [0], overdue: [1], ai: [0], pending: [0], max: 1, total: 1 };
    const closed = change({ type: 'incident.updated', status: 'closed', previous: { status: 'open', review: null, dueAt: '2026-01-09T00:00:00Z' } });
    expect(applyChangeToHexbins(onlyOpen, closed, { statuses: ['open'] }, undefined, NOW, latLngToCell)).toEqual({
      resolution: R, cells: [], count: [], weighted: [], open: [], closed: [], overdue: [], ai: [], pending: [], max: 0, total: 0,
    });
  });

  it('brings an incident in when it enters the filtered statuses', () => {
    const onlyClosed: HexbinColumns = { resolution: R, cells: [cellHere], count: [1], weighted: [2], open: [0], closed: [1], overdue: [0], ai: [0], pending: [0], max: 1, total: 1 };
    const closed = change({ type: 'incident.updated', status: 'closed', previous: { status: 'in_progress', review: null, dueAt: null } });
    expect(applyChangeToHexbins(onlyClosed, closed, { statuses: ['closed'] }, undefined, NOW, latLngToCell)).toEqual({ ...onlyClosed, count: [2], weighted: [6], closed: [2], max: 2, total: 2 });
  });

  it('counts a dismissal as closed (final), like a closure', () => {
    const dismissed = change({ type: 'incident.updated', status: 'dismissed', previous: { status: 'assigned', review: null, dueAt: null } });
    expect(applyChangeToHexbins(base(), dismissed, {}, undefined, NOW, latLngToCell)).toEqual({ ...base(), open: [0], closed: [2] });
  });

  it('counts an overdue incident out of overdue when it is closed', () => {
    const withOverdue = { ...base(), overdue: [1] };
    const closed = change({ type: 'incident.updated', status: 'closed', previous: { status: 'open', review: null, dueAt: '2026-01-09T00:00:00Z' } });
    expect(applyChangeToHexbins(withOverdue, closed, {}, undefined, NOW, latLngToCell).overdue).toEqual([0]);
  });

  it('inserts a new hexagon in ascending cell order', () => {
    const after = applyChangeToHexbins(base(), change({ ...THERE, severity: 4 }), {}, undefined, NOW, latLngToCell);
    const expectedCells = [cellHere, cellThere].sort((a, b) => (BigInt(`0x${a}`) < BigInt(`0x${b}`) ? -1 : 1));
    expect(after.cells).toEqual(expectedCells);
    const k = after.cells.indexOf(cellThere);
    expect([after.count[k], after.weighted[k], after.open[k], after.closed[k], after.ai[k], after.pending[k]]).toEqual([1, 8, 1, 0, 0, 0]);
    // every column gains the new hexagon at the same index
    expect(after.pending).toHaveLength(2);
    expect(after.total).toBe(3);
  });

  it('leaves the answer alone for a change outside its box or outside its states before and after', () => {
    const b = base();
    expect(applyChangeToHexbins(b, change(), {}, [119.3, 26.06, 119.4, 26.1], NOW, latLngToCell)).toBe(b);
    expect(applyChangeToHexbins(b, change(), { statuses: ['closed'] }, undefined, NOW, latLngToCell)).toBe(b);
  });

  it('counts a new AI detection as awaiting review, and its confirmation out of the awaiting ones', () => {
    const detected = applyChangeToHexbins(base(), change({ review: 'pending' }), {}, undefined, NOW, latLngToCell);
    expect([detected.ai, detected.pending]).toEqual([[1], [1]]);
    const confirmed = change({ type: 'incident.updated', review: 'confirmed', previous: { status: 'open', review: 'pending', dueAt: '2026-01-11T12:00:00Z' } });
    const after = applyChangeToHexbins(detected, confirmed, {}, undefined, NOW, latLngToCell);
    expect([after.count, after.ai, after.pending]).toEqual([[3], [1], [0]]);
  });

  it('takes out an AI detection rejected by review (rejected ones are left out by default)', () => {
    const pending = { ...base(), count: [3], weighted: [7], open: [2], ai: [1], pending: [1], max: 3, total: 3 };
    const rejected = change({ type: 'incident.updated', review: 'rejected', status: 'dismissed', previous: { status: 'open', review: 'pending', dueAt: null } });
    expect(applyChangeToHexbins(pending, rejected, {}, undefined, NOW, latLngToCell)).toEqual(base());
  });
});
