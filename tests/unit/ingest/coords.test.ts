import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84, toWgs84, wgs84ToGcj02 } from '../../../server/ingest/coords.js';
import { distanceM } from '../../../server/domain/geo.js';

describe('GCJ-02 <-> WGS-84', () => {
  it.each([
    ['Fuzhou', 26.0745, 119.2965],
    ['Xiamen', 24.4798, 118.0894],
    ['Beijing', 39.9087, 116.3975],
  ])('%s: GCJ-02 is a few hundred metres off and round-trips to under a metre', (_city, lat, lng) => {
    const [gLng, gLat] = wgs84ToGcj02([lng, lat]);
    const offset = distanceM(lat, lng, gLat, gLng);
    expect(offset).toBeGreaterThan(200);
    expect(offset).toBeLessThan(800);
    const [bLng, bLat] = gcj02ToWgs84([gLng, gLat]);
    expect(distanceM(lat, lng, bLat, bLng)).toBeLessThan(1);
  });

  it('leaves WGS-84 input as it is', () => {
    expect(toWgs84({ lat: 26.0745, lng: 119.2965 }, 'wgs84')).toEqual({ lat: 26.0745, lng: 119.2965 });
  });

  it('keeps the labelled order: a GCJ-02 point in Fuzhou moves ~480 m west and ~345 m north', () => {
    // reference value computed once with gcoord 1.0.7; swapping lat and lng would land far away
    const w = toWgs84({ lat: 26.08, lng: 119.3 }, 'gcj02');
    expect(w.lat).toBeCloseTo(26.083110, 5);
    expect(w.lng).toBeCloseTo(119.295202, 5);
  });
});
