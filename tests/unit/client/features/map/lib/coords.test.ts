import { cellToBoundary, latLngToCell } from 'h3-js';
import { describe, expect, test } from 'vitest';
import { cellToMapRing, GCJ02_CRS, mapBboxToWgs84, WGS84_CRS } from '../../../../../../client/features/map/lib/coords.js';
import type { LngLat } from '../../../../../../client/features/map/lib/coords.js';
import { storesBounds, landingBounds } from '../../../../../../client/features/map/lib/store-bounds.js';

/** Metres between two [lng, lat] points (equirectangular: fine at these distances). */
function metres(a: LngLat, b: LngLat): number {
  const k = 111_320;
  const dx = (a[0] - b[0]) * k * Math.cos((a[1] * Math.PI) / 180);
  const dy = (a[1] - b[1]) * k;
  return Math.hypot(dx, dy);
}

describe('basemap coordinates', () => {
  const fuzhou: LngLat = [119.2965, 26.0745];

  test('WGS-84 basemaps draw stored coordinates as they are', () => {
    expect(WGS84_CRS.wgs84ToMap(fuzhou)).toEqual(fuzhou);
  });

  test('on a GCJ-02 basemap a point in China moves a few hundred metres, and converts back', () => {
    const shifted = GCJ02_CRS.wgs84ToMap(fuzhou);
    const d = metres(fuzhou, shifted);
    expect(d).toBeGreaterThan(200);
    expect(d).toBeLessThan(900);
    expect(metres(GCJ02_CRS.mapToWgs84(shifted), fuzhou)).toBeLessThan(2);
  });

  test.each([
    ['Fuzhou cell', latLngToCell(26.0745, 119.2965, 9)],
    ['a pentagon', '891c0000003ffff'],
  ])('%s: the outline is closed, [lng, lat], vertex by vertex converted', (_name, cell) => {
    const plain = cellToMapRing(cell, WGS84_CRS);
    const boundary = cellToBoundary(cell);
    expect(plain.length).toBe(boundary.length + 1);
    expect(plain[0]).toEqual(plain[plain.length - 1]);
    expect(plain[0]).toEqual([boundary[0]![1], boundary[0]![0]]);
    const shifted = cellToMapRing(cell, GCJ02_CRS);
    shifted.forEach((p, i) => expect(p).toEqual(GCJ02_CRS.wgs84ToMap(plain[i]!)));
  });

  test('a visible GCJ-02 box becomes the WGS-84 box that covers it', () => {
    const box = mapBboxToWgs84([119.2, 26.0, 119.4, 26.2], GCJ02_CRS);
    const corners = ([[119.2, 26.0], [119.2, 26.2], [119.4, 26.0], [119.4, 26.2]] as LngLat[]).map(GCJ02_CRS.mapToWgs84);
    // Every converted corner is inside, and each side touches one of them.
    for (const [lng, lat] of corners) {
      expect(lng).toBeGreaterThanOrEqual(box[0]);
      expect(lat).toBeGreaterThanOrEqual(box[1]);
      expect(lng).toBeLessThanOrEqual(box[2]);
      expect(lat).toBeLessThanOrEqual(box[3]);
    }
    expect(corners.some(([lng]) => lng === box[0])).toBe(true);
    expect(corners.some(([, lat]) => lat === box[3])).toBe(true);
    // About 500 m west and south of the drawn box (GCJ-02 shifts north-east here).
    expect(box[0]).toBeLessThan(119.2);
    expect(mapBboxToWgs84([1, 2, 3, 4], WGS84_CRS)).toEqual([1, 2, 3, 4]);
  });
});

describe('store bounds', () => {
  test('one store: its delivery radius around it', () => {
    const [w, s, e, n] = storesBounds([{ lat: 26, lng: 119, radiusM: 3000 }]);
    expect(metres([w, 26], [e, 26])).toBeCloseTo(6000, -1);
    expect(metres([119, s], [119, n])).toBeCloseTo(6000, -1);
  });

  test('the landing view is the city with the most stores', () => {
    const stores = [
      { cityId: 1, lat: 26.0, lng: 119.3, radiusM: 1000 },
      { cityId: 1, lat: 26.1, lng: 119.4, radiusM: 1000 },
      { cityId: 2, lat: 24.5, lng: 118.1, radiusM: 1000 },
    ];
    const [w, s, e, n] = landingBounds(stores)!;
    expect(w).toBeGreaterThan(119);
    expect(s).toBeGreaterThan(25.9);
    expect(e).toBeLessThan(119.5);
    expect(n).toBeLessThan(26.2);
    expect(landingBounds([])).toBeNull();
  });
});
