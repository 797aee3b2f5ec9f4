import { describe, expect, test } from 'vitest';
import { DEFAULT_FILTER_STATE, toQueryFilters, toggleIn, isoDayToDate, dateToIsoDay, STATUSES } from '../../../../client/lib/filters.js';
import type { FilterState } from '../../../../client/lib/filters.js';
import { parseUrlState, serializeUrlState } from '../../../../client/lib/url-state.js';
import type { UrlState } from '../../../../client/lib/url-state.js';

const FULL: UrlState = {
  view: { lat: 26.07451, lng: 119.29654, zoom: 12.25 },
  cell: '8941b530a7bffff',
  incident: 9998,
  countermeasure: 17,
  metric: 'closure',
  mode: 'emerging',
  extruded: true,
  filters: {
    time: { preset: 365 },
    kinds: ['exception'],
    categories: ['wrong_way', 'red_light'],
    severities: [3, 4],
    statuses: ['open', 'in_progress'],
    review: ['pending'],
    overdueOnly: true,
    storeIds: [12],
    cityIds: [],
    hourOfWeek: { day: 6, hour: 23 },
  },
};

describe('url state', () => {
  test('round trip: everything a shared link holds comes back', () => {
    expect(parseUrlState(serializeUrlState('', FULL))).toEqual(FULL);
  });

  test('a custom range round-trips, and a custom range without days stays custom', () => {
    const withDays: FilterState = { ...DEFAULT_FILTER_STATE, time: { from: '2025-01-01', to: '2025-03-31' } };
    expect(parseUrlState(serializeUrlState('', { filters: withDays })).filters).toEqual(withDays);
    const typing: FilterState = { ...DEFAULT_FILTER_STATE, time: { from: null, to: null } };
    expect(parseUrlState(serializeUrlState('', { filters: typing })).filters.time).toEqual({ from: null, to: null });
  });

  test('defaults are left out of the link', () => {
    expect(serializeUrlState('', { metric: 'count', mode: 'hexbins', extruded: false, filters: DEFAULT_FILTER_STATE, cell: null, incident: null, countermeasure: null })).toBe('');
    expect(parseUrlState('')).toEqual({ view: null, cell: null, incident: null, countermeasure: null, metric: 'count', mode: 'hexbins', extruded: false, filters: DEFAULT_FILTER_STATE });
  });

  test('writing one part keeps the others and unknown parameters', () => {
    const search = serializeUrlState('?utm=feishu', FULL);
    const next = serializeUrlState(search, { cell: null });
    const state = parseUrlState(next);
    expect(state.cell).toBeNull();
    expect(state.filters).toEqual(FULL.filters);
    expect(new URLSearchParams(next).get('utm')).toBe('feishu');
  });

  test.each([
    ['?lat=91&lng=119&z=10', 'view', null],
    ['?lat=26&lng=119', 'view', null],
    ['?cell=not-a-cell', 'cell', null],
    ['?incident=-3', 'incident', null],
    ['?incident=1.5', 'incident', null],
    ['?cm=0', 'countermeasure', null],
    ['?cm=x', 'countermeasure', null],
    ['?metric=danger', 'metric', 'count'],
    ['?mode=kde', 'mode', 'hexbins'],
  ] as const)('hostile or broken %s gives a safe %s', (search, key, expected) => {
    expect(parseUrlState(search)[key]).toEqual(expected);
  });

  test('unknown filter values are dropped, known ones kept in canonical order', () => {
    const f = parseUrlState('?kind=exception,robbery,accident&sev=9,2,x&st=closed,open&rv=maybe&store=5,5,-1,abc&t=12&from=2025-02-30').filters;
    expect(f.kinds).toEqual(['accident', 'exception']);
    expect(f.severities).toEqual([2]);
    expect(f.statuses).toEqual(['open', 'closed']);
    expect(f.review).toEqual([]);
    expect(f.storeIds).toEqual([5]);
    expect(f.time).toEqual({ preset: 90 });
  });
});

describe('filters for the server', () => {
  const now = new Date(2026, 10, 26, 15, 30); // 26 Nov 2026, 15:30 local

  test('a preset starts at local midnight N days back, whatever the time of day', () => {
    const morning = toQueryFilters({ ...DEFAULT_FILTER_STATE, time: { preset: 7 } }, new Date(2026, 10, 26, 0, 5));
    const evening = toQueryFilters({ ...DEFAULT_FILTER_STATE, time: { preset: 7 } }, new Date(2026, 10, 26, 23, 55));
    expect(morning).toEqual(evening);
    expect(new Date(morning.from!).getTime()).toBe(new Date(2026, 10, 19).getTime());
    expect(morning.to).toBeUndefined();
  });

  test('all time has no bounds; empty lists are no restriction', () => {
    expect(toQueryFilters({ ...DEFAULT_FILTER_STATE, time: { preset: 'all' } }, now)).toEqual({});
  });

  test('a custom range covers both days whole, and a reversed one is read the right way round', () => {
    const f = toQueryFilters({ ...DEFAULT_FILTER_STATE, time: { from: '2026-01-01', to: '2026-01-31' } }, now);
    expect(new Date(f.from!).getTime()).toBe(new Date(2026, 0, 1).getTime());
    expect(new Date(f.to!).getTime()).toBe(new Date(2026, 1, 1).getTime() - 1);
    const reversed = toQueryFilters({ ...DEFAULT_FILTER_STATE, time: { from: '2026-01-31', to: '2026-01-01' } }, now);
    expect(reversed).toEqual(f);
  });

  test('lists, overdue, stores and the hour of week pass through', () => {
    expect(toQueryFilters({ ...FULL.filters, time: { preset: 'all' } }, now)).toEqual({
      kinds: ['exception'],
      categories: ['wrong_way', 'red_light'],
      severities: [3, 4],
      statuses: ['open', 'in_progress'],
      review: ['pending'],
      overdueOnly: true,
      storeIds: [12],
      hourOfWeek: { day: 6, hour: 23 },
    });
  });

  test('days: only real calendar days parse', () => {
    expect(isoDayToDate('2026-02-29')).toBeNull();
    expect(isoDayToDate('2024-02-29')).not.toBeNull();
    expect(dateToIsoDay(isoDayToDate('2026-11-26')!)).toBe('2026-11-26');
  });

  test('toggleIn adds and removes in canonical order', () => {
    expect(toggleIn(['closed'], 'open', STATUSES)).toEqual(['open', 'closed']);
    expect(toggleIn(['open', 'closed'], 'open', STATUSES)).toEqual(['closed']);
  });
});
