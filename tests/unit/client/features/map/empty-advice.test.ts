/** The map's empty state names the cause (issue 19): the chosen store elsewhere, filters, no data, no store. */
import { describe, expect, it } from 'vitest';
import { emptyCause } from '../../../../../client/features/map/lib/empty-advice.js';
import type { EmptyCause } from '../../../../../client/features/map/lib/empty-advice.js';
import type { Bbox, IncidentFilters } from '../../../../../client/lib/filters.js';

const FUZHOU_VIEW: Bbox = [119.2, 25.95, 119.45, 26.15];
const GULOU = { lat: 26.08, lng: 119.29 }; // in Fuzhou
const XIAMEN_STORE = { lat: 24.48, lng: 118.09 };

describe('emptyCause', () => {
  const cases: Array<[string, IncidentFilters, { lat: number; lng: number } | null, Bbox | null, EmptyCause]> = [
    ['a store chosen that stands in another city', { storeIds: [7] }, XIAMEN_STORE, FUZHOU_VIEW, 'storeElsewhere'],
    ['a store chosen, in view, narrowed by category', { storeIds: [7], categories: ['red_light'] }, GULOU, FUZHOU_VIEW, 'storeFiltered'],
    ['a store chosen, in view, overdue only', { storeIds: [7], overdueOnly: true }, GULOU, FUZHOU_VIEW, 'storeFiltered'],
    ['a store chosen, in view, only a time range', { storeIds: [7], from: '2026-11-01T00:00:00+08:00' }, GULOU, FUZHOU_VIEW, 'storeNoData'],
    ['no store, narrowed by severity', { severities: [4] }, null, FUZHOU_VIEW, 'filtered'],
    ['no store, a city and a time range only', { cityIds: [1], from: '2026-11-01T00:00:00+08:00' }, null, FUZHOU_VIEW, 'noStore'],
    ['a store chosen before the map reported its view', { storeIds: [7] }, XIAMEN_STORE, null, 'storeNoData'],
  ];
  it.each(cases)('%s', (_label, filters, store, view, expected) => {
    expect(emptyCause(filters, store, view)).toBe(expected);
  });
});
