import type { Bbox } from '../../../lib/filters.js';

/** Metres per degree of latitude (and of longitude at the equator). */
const M_PER_DEG = 111_320;

export interface StoreArea {
  lat: number;
  lng: number;
  radiusM: number;
}

/** The box (WGS-84) around the stores' delivery areas: each store's radius around it. */
export function storesBounds(stores: readonly StoreArea[]): Bbox {
  let [west, south, east, north] = [180, 90, -180, -90];
  for (const s of stores) {
    const dLat = s.radiusM / M_PER_DEG;
    const dLng = s.radiusM / (M_PER_DEG * Math.cos((s.lat * Math.PI) / 180));
    west = Math.min(west, s.lng - dLng);
    east = Math.max(east, s.lng + dLng);
    south = Math.min(south, s.lat - dLat);
    north = Math.max(north, s.lat + dLat);
  }
  return [west, south, east, north];
}

/** Where to look first: the stores of the city with the most of them (a manager's own stores). */
export function landingBounds<T extends StoreArea & { cityId: number }>(stores: readonly T[]): Bbox | null {
  if (stores.length === 0) return null;
  const perCity = new Map<number, number>();
  for (const s of stores) perCity.set(s.cityId, (perCity.get(s.cityId) ?? 0) + 1);
  const [cityId] = [...perCity].sort((a, b) => b[1] - a[1])[0]!;
  return storesBounds(stores.filter((s) => s.cityId === cityId));
}
