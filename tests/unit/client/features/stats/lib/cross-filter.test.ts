import { describe, expect, test } from 'vitest';
import { bucketDays, bucketPatch, categoryPatch, isCategorySelected, storePatch, withoutDimension } from '../../../../../../client/features/stats/lib/cross-filter.js';

describe('categoryPatch', () => {
  test('a category of one kind selects only that category', () => {
    expect(categoryPatch({}, { kind: 'exception', category: 'red_light' })).toEqual({ categories: ['red_light'] });
  });
  test('another category replaces the selection', () => {
    expect(categoryPatch({ categories: ['red_light'] }, { kind: 'exception', category: 'wrong_way' })).toEqual({ categories: ['wrong_way'] });
  });
  test('clicking the only selected category clears it', () => {
    expect(categoryPatch({ categories: ['red_light'] }, { kind: 'exception', category: 'red_light' })).toEqual({ categories: [] });
  });
  test('one of several selected categories narrows to it rather than clearing', () => {
    expect(categoryPatch({ categories: ['red_light', 'speeding'] }, { kind: 'exception', category: 'red_light' })).toEqual({ categories: ['red_light'] });
  });
  test('`other` exists for both kinds, so it picks the kind too, and clears both', () => {
    expect(categoryPatch({}, { kind: 'accident', category: 'other' })).toEqual({ categories: ['other'], kinds: ['accident'] });
    expect(categoryPatch({ categories: ['other'], kinds: ['accident'] }, { kind: 'accident', category: 'other' })).toEqual({ categories: [], kinds: [] });
    expect(categoryPatch({ categories: ['other'], kinds: ['accident'] }, { kind: 'exception', category: 'other' })).toEqual({ categories: ['other'], kinds: ['exception'] });
  });
});

describe('isCategorySelected', () => {
  test.each([
    [{}, 'exception', 'red_light', false],
    [{ categories: ['red_light'] }, 'exception', 'red_light', true],
    [{ categories: ['red_light', 'speeding'] }, 'exception', 'red_light', false],
    [{ categories: ['other'], kinds: ['accident'] }, 'accident', 'other', true],
    [{ categories: ['other'], kinds: ['accident'] }, 'exception', 'other', false],
    [{ categories: ['other'] }, 'exception', 'other', true],
  ] as const)('%j, %s/%s -> %s', (selection, kind, category, selected) => {
    expect(isCategorySelected(selection, { kind, category })).toBe(selected);
  });
});

describe('storePatch', () => {
  test('a store selects it alone and lifts the city restriction', () => {
    expect(storePatch({}, 7)).toEqual({ storeIds: [7], cityIds: [] });
    expect(storePatch({ storeIds: [3, 7] }, 7)).toEqual({ storeIds: [7], cityIds: [] });
  });
  test('the selected store again goes back to all stores', () => {
    expect(storePatch({ storeIds: [7] }, 7)).toEqual({ storeIds: [] });
  });
});

describe('bucketDays', () => {
  test.each([
    ['2026-03-09', 'day', '2026-03-09', '2026-03-09'],
    ['2026-03-09', 'week', '2026-03-09', '2026-03-15'],
    ['2025-12-29', 'week', '2025-12-29', '2026-01-04'], // across the year
    ['2024-02-01', 'month', '2024-02-01', '2024-02-29'], // leap year
    ['2026-02-01', 'month', '2026-02-01', '2026-02-28'],
    ['2026-12-01', 'month', '2026-12-01', '2026-12-31'],
    ['2026-03-23', 'week', '2026-03-23', '2026-03-29'], // a week with Europe's daylight-saving change
  ] as const)('%s by %s = %s .. %s', (start, interval, from, to) => {
    expect(bucketDays(start, interval)).toEqual({ from, to });
  });

  test.each(['2026-3-9', 'yesterday', ''])('refuses %j', (bad) => {
    expect(() => bucketDays(bad, 'day')).toThrow(/not a day/);
  });
});

describe('bucketPatch', () => {
  test('a bar of an unsplit series filters to its period', () => {
    expect(bucketPatch('2026-03-09', 'week', 'none', 'all')).toEqual({ time: { from: '2026-03-09', to: '2026-03-15' } });
  });
  test('a kind series adds the kind', () => {
    expect(bucketPatch('2026-03-01', 'month', 'kind', 'exception')).toEqual({ time: { from: '2026-03-01', to: '2026-03-31' }, kinds: ['exception'] });
  });
  test('a severity series adds the severity', () => {
    expect(bucketPatch('2026-03-09', 'day', 'severity', '4')).toEqual({ time: { from: '2026-03-09', to: '2026-03-09' }, severities: [4] });
  });
  test('an unknown series key adds nothing but the period', () => {
    expect(bucketPatch('2026-03-09', 'day', 'severity', '9')).toEqual({ time: { from: '2026-03-09', to: '2026-03-09' } });
  });
});

describe('withoutDimension', () => {
  test('drops one dimension and keeps the rest', () => {
    const filters = { categories: ['red_light' as const], storeIds: [1], cityIds: [2], from: '2026-01-01T00:00:00Z' };
    expect(withoutDimension(filters, 'categories')).toEqual({ storeIds: [1], cityIds: [2], from: '2026-01-01T00:00:00Z' });
    expect(withoutDimension(filters, 'storeIds')).toEqual({ categories: ['red_light'], cityIds: [2], from: '2026-01-01T00:00:00Z' });
    expect(filters.categories).toEqual(['red_light']);
  });
});
