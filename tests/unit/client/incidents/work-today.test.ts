import { describe, expect, it } from 'vitest';
import { byUrgency, endOfToday, relativeDue, splitToday } from '../../../../client/features/incidents/lib/work-today.js';

// 2026-11-30 15:00 local (the test runs in whatever zone the machine has: built from local parts)
const NOW = new Date(2026, 10, 30, 15, 0, 0);
const at = (h: number, d = 30) => new Date(2026, 10, d, h, 0, 0).toISOString();

describe('splitToday', () => {
  it('puts overdue and due-before-midnight first, most severe first, then by due time', () => {
    const items = [
      { id: 1, severity: 2, dueAt: at(9, 28) }, // overdue 2 days
      { id: 2, severity: 4, dueAt: at(22) }, // due tonight
      { id: 3, severity: 4, dueAt: at(10) }, // overdue this morning
      { id: 4, severity: 3, dueAt: at(9, 1 + 30) }, // tomorrow (Dec 1): later
      { id: 5, severity: 1, dueAt: at(23) },
      { id: 6, severity: 3, dueAt: null }, // no due time: later, last
      { id: 7, severity: 2, dueAt: at(8, 31) }, // 2 Dec ... later (invalid day 31 of Nov = Dec 1)
    ];
    const { today, later } = splitToday(items, NOW);
    expect(today.map((i) => i.id)).toEqual([3, 2, 1, 5]);
    expect(later.map((i) => i.id)).toEqual([7, 4, 6]);
  });

  it('orders ties by id, and ends the day at local midnight', () => {
    expect([{ id: 9, severity: 3, dueAt: at(12) }, { id: 8, severity: 3, dueAt: at(12) }].sort(byUrgency).map((i) => i.id)).toEqual([8, 9]);
    expect(endOfToday(NOW).getTime()).toBe(new Date(2026, 11, 1, 0, 0, 0).getTime());
  });
});

describe('relativeDue', () => {
  it.each([
    [at(12), { kind: 'overdue', unit: 'hours', value: 3 }],
    [at(20), { kind: 'left', unit: 'hours', value: 5 }],
    [new Date(NOW.getTime() - 20 * 60_000).toISOString(), { kind: 'overdue', unit: 'minutes', value: 20 }],
    [new Date(NOW.getTime() + 10_000).toISOString(), { kind: 'left', unit: 'minutes', value: 1 }],
    [at(15, 27), { kind: 'overdue', unit: 'days', value: 3 }],
    [at(14, 29), { kind: 'overdue', unit: 'hours', value: 25 }],
  ] as const)('%s', (due, expected) => {
    expect(relativeDue(due, NOW)).toEqual(expected);
  });

  it('says nothing without a due time', () => {
    expect(relativeDue(null, NOW)).toBeNull();
    expect(relativeDue('not a date', NOW)).toBeNull();
  });
});
