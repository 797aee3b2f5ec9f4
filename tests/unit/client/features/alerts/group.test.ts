/**
 * Alert cards (issue 19): one per cell for analysts, one per store and cell for store managers,
 * the badge's count, the hot run in weeks and the strength words' cut-offs. Expectations written
 * out by hand from the rows below.
 */
import { describe, expect, it } from 'vitest';
import { cardsByCell, groupsByStore, hotRunWeeks, strengthOf, unackedCardCount } from '../../../../../client/features/alerts/lib/group.js';

const A = '8841b530adfffff';
const B = '8841b530abfffff';
const store = (id: number) => ({ storeId: id, storeCode: `FZ-00${id}`, storeName: `店${id}` });
// newest first, as alerts.list answers
const alerts = [
  { id: 9, ...store(1), cell: A, ackedAt: null },
  { id: 8, ...store(2), cell: A, ackedAt: '2026-11-30T01:00:00Z' },
  { id: 7, ...store(2), cell: B, ackedAt: null },
  { id: 6, ...store(3), cell: A, ackedAt: null },
  { id: 5, ...store(1), cell: A, ackedAt: null }, // an older episode of the same store and cell
];

describe('alert cards', () => {
  it('by cell: one card per cell in the order of its newest alert, with each store once', () => {
    const cards = cardsByCell(alerts);
    expect(cards.map((c) => [c.cell, c.alerts.map((a) => a.id), c.stores.map((s) => s.id), c.unackedIds])).toEqual([
      [A, [9, 8, 6, 5], [1, 2, 3], [9, 6, 5]],
      [B, [7], [2], [7]],
    ]);
  });

  it('by store: the stores in the order of their newest alert, each with a card per cell', () => {
    const groups = groupsByStore(alerts);
    expect(groups.map((g) => [g.storeId, g.cards.map((c) => [c.cell, c.alerts.map((a) => a.id)])])).toEqual([
      [1, [[A, [9, 5]]]],
      [2, [[A, [8]], [B, [7]]]],
      [3, [[A, [6]]]],
    ]);
  });

  it('counts the cards with something to acknowledge', () => {
    expect(unackedCardCount(alerts, 'cell')).toBe(2); // A and B
    expect(unackedCardCount(alerts, 'store')).toBe(3); // 1:A, 2:B, 3:A (2:A is acknowledged)
    expect(unackedCardCount([], 'cell')).toBe(0);
  });

  it('counts the weeks of the hot run inclusive', () => {
    expect(hotRunWeeks('2026-11-23', '2026-11-23')).toBe(1);
    expect(hotRunWeeks('2026-11-09', '2026-11-23')).toBe(3);
    expect(hotRunWeeks('2026-10-26', '2026-11-23')).toBe(5); // across the end of October
    expect(hotRunWeeks('not a day', '2026-11-23')).toBe(1);
  });

  it('words the z at the 99 % and 95 % two-sided cut-offs', () => {
    expect([3.2, 2.576, 2.5, 1.96, 1.9, 1.0].map(strengthOf)).toEqual(['much', 'much', 'clear', 'clear', 'some', 'some']);
  });
});
