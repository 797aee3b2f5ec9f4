/** The incident vocabulary's two rules (server/domain/incident.ts), against the design's table. */
import { describe, expect, it } from 'vitest';
import { isCategoryOfKind, seesAllStores } from '../../../server/domain/incident.js';

describe('seesAllStores', () => {
  it('is true for admins and analysts, false for store managers and viewers', () => {
    expect(seesAllStores('admin')).toBe(true);
    expect(seesAllStores('analyst')).toBe(true);
    expect(seesAllStores('store_manager')).toBe(false);
    expect(seesAllStores('viewer')).toBe(false);
  });
});

describe('isCategoryOfKind', () => {
  it('takes each kind\'s own categories, other for both, and nothing else', () => {
    expect(isCategoryOfKind('accident', 'vehicle_collision')).toBe(true);
    expect(isCategoryOfKind('accident', 'single_vehicle_fall')).toBe(true);
    expect(isCategoryOfKind('exception', 'no_helmet')).toBe(true);
    expect(isCategoryOfKind('exception', 'carrying_passenger')).toBe(true);
    expect(isCategoryOfKind('accident', 'other')).toBe(true);
    expect(isCategoryOfKind('exception', 'other')).toBe(true);
    expect(isCategoryOfKind('accident', 'no_helmet')).toBe(false);
    expect(isCategoryOfKind('exception', 'vehicle_collision')).toBe(false);
    expect(isCategoryOfKind('accident', 'fire')).toBe(false);
    expect(isCategoryOfKind('accident', '')).toBe(false);
  });
});
