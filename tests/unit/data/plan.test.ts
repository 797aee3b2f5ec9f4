import { describe, expect, it } from 'vitest';
import { CITY_SPECS, cityBounds, isOnLand } from '../../../data/demo/cities.js';
import { distanceM } from '../../../data/demo/geo.js';
import { buildDemoPlan, DEMO_SIZES, hotSpotIntensity, type DemoSize } from '../../../data/demo/plan.js';
import { Rng } from '../../../data/demo/random.js';
import { DEFAULT_RADIUS_M, StoreLocator } from '../../../data/demo/stores.js';
import { DEMO_USER_IDS, demoUsers } from '../../../data/demo/users.js';
import { NOW } from './demo-stream.js';

describe('demo cities', () => {
  it.each(CITY_SPECS.map((c) => [c.key, c] as const))('%s: first store and every corridor vertex are on land', (_, city) => {
    expect(isOnLand(city, city.firstStore[0], city.firstStore[1])).toBe(true);
    for (const line of city.corridors) for (const [lat, lng] of line) expect(isOnLand(city, lat, lng), `${lat},${lng}`).toBe(true);
  });

  it('keeps Xiamen stores out of Yundang Lake and the strait', () => {
    const xiamen = CITY_SPECS.find((c) => c.key === 'xiamen')!;
    expect(isOnLand(xiamen, 24.484, 118.1)).toBe(false); // Yundang Lake
    expect(isOnLand(xiamen, 24.47, 118.06)).toBe(false); // the strait west of the island
    expect(isOnLand(xiamen, 24.4796, 118.1225)).toBe(true);
  });

  it('puts Fuzhou and Xiamen first, at their real centres, in Asia/Shanghai', () => {
    expect(CITY_SPECS.slice(0, 2).map((c) => [c.key, c.nameZh, c.tz])).toEqual([
      ['fuzhou', '福州', 'Asia/Shanghai'],
      ['xiamen', '厦门', 'Asia/Shanghai'],
    ]);
    expect(distanceM(CITY_SPECS[0]!.centerLat, CITY_SPECS[0]!.centerLng, 26.0745, 119.2965)).toBeLessThan(2000);
    expect(distanceM(CITY_SPECS[1]!.centerLat, CITY_SPECS[1]!.centerLng, 24.4798, 118.0894)).toBeLessThan(2000);
  });
});

describe('buildDemoPlan', () => {
  it.each(Object.keys(DEMO_SIZES) as DemoSize[])('%s: stores on land with unique codes, FZ-001 and XM-001 first', (size) => {
    const plan = buildDemoPlan(size, 1, NOW);
    const codes = plan.stores.map((s) => s.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(plan.stores.map((s) => `${s.cityIndex}:${s.name}`)).size).toBe(codes.length);
    expect(codes).toContain('FZ-001');
    expect(codes).toContain('XM-001');
    for (const s of plan.stores) {
      expect(s.code).toMatch(/^[A-Z]{2}-\d{3}$/);
      expect(isOnLand(plan.cities[s.cityIndex]!, s.lat, s.lng), s.code).toBe(true);
      expect(s.radiusM).toBeGreaterThanOrEqual(2000);
      expect(s.radiusM).toBeLessThanOrEqual(4000);
    }
    expect(plan.stores.filter((s) => s.radiusM === DEFAULT_RADIUS_M).length / plan.stores.length).toBeGreaterThan(0.55);
    expect(plan.stores.length).toBeGreaterThanOrEqual(size === 'small' ? 30 : 150);
    expect(plan.timeline.days.reduce((a, d) => a + d.count, 0)).toBe(DEMO_SIZES[size]);
  });

  it('is the same plan for the same seed and a different one for another seed', () => {
    expect(buildDemoPlan('small', 5, NOW)).toEqual(buildDemoPlan('small', 5, NOW));
    expect(buildDemoPlan('small', 6, NOW).stores).not.toEqual(buildDemoPlan('small', 5, NOW).stores);
  });

  it('puts a persistent and an emerging hot spot inside the delivery area of FZ-001 and XM-001', () => {
    const plan = buildDemoPlan('small', 1, NOW);
    for (const code of ['FZ-001', 'XM-001']) {
      const store = plan.stores.find((s) => s.code === code)!;
      const near = plan.hotSpots.filter((h) => distanceM(h.lat, h.lng, store.lat, store.lng) < store.radiusM);
      expect(near.map((h) => h.trend)).toEqual(expect.arrayContaining(['persistent', 'emerging']));
    }
    for (const h of plan.hotSpots) expect(isOnLand(plan.cities[h.cityIndex]!, h.lat, h.lng)).toBe(true);
  });

  it('gives emerging hot spots nothing before they start and rising intensity after', () => {
    const spot = buildDemoPlan('small', 1, NOW).hotSpots.find((h) => h.trend === 'emerging')!;
    expect(hotSpotIntensity(spot, spot.pivot - 0.01)).toBe(0);
    expect(hotSpotIntensity(spot, 1)).toBeGreaterThan(hotSpotIntensity(spot, spot.pivot + 0.01));
  });

  it('covers two years up to shortly before now', () => {
    const { timeline } = buildDemoPlan('small', 1, NOW);
    expect(NOW.getTime() - timeline.to).toBeLessThan(20 * 60_000);
    expect((timeline.to - timeline.from) / 86_400_000).toBe(730);
  });
});

describe('StoreLocator', () => {
  it('finds the nearest store whose delivery area contains the point', () => {
    const { stores, cities } = buildDemoPlan('small', 1, NOW);
    const locator = new StoreLocator(stores);
    const rng = new Rng(9);
    const b = cityBounds(cities[0]!);
    for (let i = 0; i < 500; i++) {
      const lat = rng.range(b.minLat - 0.05, b.maxLat + 0.05);
      const lng = rng.range(b.minLng - 0.05, b.maxLng + 0.05);
      let expected = -1;
      let bestD = Infinity;
      stores.forEach((s, idx) => {
        const d = distanceM(lat, lng, s.lat, s.lng);
        if (d <= s.radiusM && d < bestD) [expected, bestD] = [idx, d];
      });
      expect(locator.locate(lat, lng)).toBe(expected);
    }
  });
});

describe('demoUsers', () => {
  it('has the fixed demo users, scoped to FZ-001 and XM-001, and a manager for every store', () => {
    const stores = buildDemoPlan('small', 1, NOW).stores.map((s, i) => ({ id: 100 + i, code: s.code }));
    const users = demoUsers(new Rng(1, 'users'), stores);
    const byId = new Map(users.map((u) => [u.id, u]));
    const fz1 = stores.find((s) => s.code === 'FZ-001')!.id;
    const xm1 = stores.find((s) => s.code === 'XM-001')!.id;
    expect(byId.get(DEMO_USER_IDS.admin)).toMatchObject({ role: 'admin', storeIds: [] });
    expect(byId.get(DEMO_USER_IDS.analyst)).toMatchObject({ role: 'analyst' });
    expect(byId.get(DEMO_USER_IDS.viewer)).toMatchObject({ role: 'viewer', storeIds: [fz1] });
    expect(byId.get(DEMO_USER_IDS.managerFuzhou)).toMatchObject({ role: 'store_manager', storeIds: [fz1] });
    expect(byId.get(DEMO_USER_IDS.managerXiamen)).toMatchObject({ role: 'store_manager', storeIds: [xm1] });
    expect(users.filter((u) => u.role === 'store_manager')).toHaveLength(stores.length);
    expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
  });
});
