/**
 * Chart clicks select days of the cities' zone (issue 20), whatever the browser's zone: the
 * query's bounds for a day range, and the closure chart's month patch. Expected instants by hand.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTER_STATE, toQueryFilters } from '../../../../client/lib/filters.js';
import { bucketPatch, hourOfWeekPatch, monthPatch } from '../../../../client/features/stats/lib/cross-filter.js';

const NOW = new Date('2025-06-15T04:00:00Z');

describe('day ranges in the cities zone', () => {
  it('a time-series day bar is that day in Asia/Shanghai, from midnight to midnight', () => {
    const patch = bucketPatch('2025-03-03', 'day', 'none', 'all');
    const q = toQueryFilters({ ...DEFAULT_FILTER_STATE, ...patch }, NOW, 'Asia/Shanghai');
    expect(q.from).toBe('2025-03-02T16:00:00.000Z');
    expect(q.to).toBe('2025-03-03T15:59:59.999Z');
  });
  it('reads a reversed range the way it was meant', () => {
    const q = toQueryFilters({ ...DEFAULT_FILTER_STATE, time: { from: '2025-03-05', to: '2025-03-03' } }, NOW, 'UTC');
    expect([q.from, q.to]).toEqual(['2025-03-03T00:00:00.000Z', '2025-03-05T23:59:59.999Z']);
  });
  it('leaves out a day that does not exist', () => {
    const q = toQueryFilters({ ...DEFAULT_FILTER_STATE, time: { from: '2025-02-30', to: '2025-03-01' } }, NOW, 'UTC');
    expect(q.from).toBeUndefined();
    expect(q.to).toBe('2025-03-01T23:59:59.999Z');
  });
  it('a closure-rate month is its first to last day', () => {
    expect(monthPatch('2024-02')).toEqual({ time: { from: '2024-02-01', to: '2024-02-29' } });
    expect(monthPatch('2025-12')).toEqual({ time: { from: '2025-12-01', to: '2025-12-31' } });
    expect(() => monthPatch('2025-13')).toThrow(/not a month/);
  });
});

describe('hour of week', () => {
  it('a grid cell selects that hour of the week; the same cell again clears it', () => {
    expect(hourOfWeekPatch(null, 0, 8)).toEqual({ hourOfWeek: { day: 0, hour: 8 } });
    expect(hourOfWeekPatch({ day: 0, hour: 8 }, 0, 8)).toEqual({ hourOfWeek: null });
    expect(hourOfWeekPatch({ day: 0, hour: 8 }, 4, 18)).toEqual({ hourOfWeek: { day: 4, hour: 18 } });
  });
  it('goes to the query as is', () => {
    expect(toQueryFilters({ ...DEFAULT_FILTER_STATE, hourOfWeek: { day: 4, hour: 18 } }, NOW).hourOfWeek).toEqual({ day: 4, hour: 18 });
    expect(toQueryFilters(DEFAULT_FILTER_STATE, NOW).hourOfWeek).toBeUndefined();
  });
});
