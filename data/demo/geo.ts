/**
 * Small-area geometry for the demo, on WGS-84 degrees. At city scale (tens of km) an
 * equirectangular approximation is off by well under 1 %, which is plenty for placing points.
 * Points are labelled `[lat, lng]` tuples here, as h3-js orders them.
 */
import type { Rng } from './random.js';

export type LatLng = readonly [lat: number, lng: number];

export const M_PER_DEG_LAT = 111_320;

function mPerDegLng(lat: number): number {
  return M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);
}

/** The point `northM` metres north and `eastM` metres east of (lat, lng). */
export function offsetM(lat: number, lng: number, northM: number, eastM: number): LatLng {
  return [lat + northM / M_PER_DEG_LAT, lng + eastM / mPerDegLng(lat)];
}

/** Approximate ground distance in metres. */
export function distanceM(aLat: number, aLng: number, bLat: number, bLng: number): number {
  const dy = (aLat - bLat) * M_PER_DEG_LAT;
  const dx = (aLng - bLng) * mPerDegLng((aLat + bLat) / 2);
  return Math.hypot(dx, dy);
}

/** Even-odd ray casting; `ring` need not repeat its first vertex. */
export function isInRing(lat: number, lng: number, ring: readonly LatLng[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [yi, xi] = ring[i]!;
    const [yj, xj] = ring[j]!;
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export interface Bounds {
  minLat: number;
  maxLat: number;
  minLng: number;
  maxLng: number;
}

export function boundsOf(points: readonly LatLng[]): Bounds {
  const b: Bounds = { minLat: Infinity, maxLat: -Infinity, minLng: Infinity, maxLng: -Infinity };
  for (const [lat, lng] of points) {
    b.minLat = Math.min(b.minLat, lat);
    b.maxLat = Math.max(b.maxLat, lat);
    b.minLng = Math.min(b.minLng, lng);
    b.maxLng = Math.max(b.maxLng, lng);
  }
  return b;
}

/** A point scattered around (lat, lng) with a Gaussian of `sigmaM` metres on each axis. */
export function gaussianAround(rng: Rng, lat: number, lng: number, sigmaM: number): LatLng {
  return offsetM(lat, lng, rng.normal() * sigmaM, rng.normal() * sigmaM);
}

/**
 * A point in the disc of `radiusM` around (lat, lng). `power` 0.5 is uniform over the area;
 * larger values pull points toward the centre (riders are denser near their store).
 */
export function pointInDisc(rng: Rng, lat: number, lng: number, radiusM: number, power = 0.5): LatLng {
  const r = radiusM * Math.pow(rng.float(), power);
  const theta = 2 * Math.PI * rng.float();
  return offsetM(lat, lng, r * Math.sin(theta), r * Math.cos(theta));
}

export function roundCoord(x: number): number {
  // 6 decimals = about 0.1 m: more would only be noise in the demo rows.
  return Math.round(x * 1e6) / 1e6;
}
