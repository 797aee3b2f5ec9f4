/**
 * `--assign nearest`: the nearest store whose delivery radius covers a point. A few hundred
 * stores and a million rows: a linear scan with a cheap bounding-box test before the
 * great-circle distance is fast enough (well under a microsecond per store), no index needed.
 */
import { distanceM } from '../domain/geo.js';
import type { StoreRecord } from '../store/types.js';

const EARTH_RADIUS_M = 6_371_008.8;
const M_PER_DEG_LAT = (Math.PI * EARTH_RADIUS_M) / 180;

export interface StoreLocator {
  /** The nearest store (optionally only of `cityId`) within its own radius, or null. */
  nearest(lat: number, lng: number, cityId?: number): StoreRecord | null;
}

interface Candidate {
  store: StoreRecord;
  dLat: number;
  dLng: number;
}

export function createStoreLocator(stores: readonly StoreRecord[]): StoreLocator {
  const candidates: Candidate[] = stores.map((store) => {
    const dLat = store.radiusM / M_PER_DEG_LAT;
    // Longitude degrees shrink with latitude; the 1e-6 floor keeps stores at the poles finite.
    const dLng = store.radiusM / (M_PER_DEG_LAT * Math.max(1e-6, Math.cos((store.lat * Math.PI) / 180)));
    return { store, dLat: dLat * 1.01, dLng: dLng * 1.01 };
  });
  return {
    nearest(lat, lng, cityId) {
      let best: StoreRecord | null = null;
      let bestM = Infinity;
      for (const c of candidates) {
        if (Math.abs(lat - c.store.lat) > c.dLat || Math.abs(lng - c.store.lng) > c.dLng) continue;
        if (cityId !== undefined && c.store.cityId !== cityId) continue;
        const m = distanceM(lat, lng, c.store.lat, c.store.lng);
        if (m <= c.store.radiusM && m < bestM) {
          best = c.store;
          bestM = m;
        }
      }
      return best;
    },
  };
}
