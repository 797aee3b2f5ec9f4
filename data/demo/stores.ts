/**
 * Demo stores (前置仓): codes `FZ-001`..., neighbourhood names, locations on land and denser
 * toward the city centre, delivery radius 3 km with some variation.
 */
import type { CitySpec } from './cities.js';
import { isOnLand } from './cities.js';
import { distanceM, M_PER_DEG_LAT, roundCoord } from './geo.js';
import type { Rng } from './random.js';

export const DEFAULT_RADIUS_M = 3000;

export interface StoreSpec {
  code: string;
  name: string;
  /** Index into the plan's city list. */
  cityIndex: number;
  lat: number;
  lng: number;
  radiusM: number;
  /** Relative order volume: busier stores see more incidents. */
  activity: number;
}

const ORDINALS = ['', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** Stores of one city; the first stands at `city.firstStore` (the demo managers' store). */
export function generateCityStores(rng: Rng, city: CitySpec, cityIndex: number, count: number): StoreSpec[] {
  const centre: readonly [number, number] = [city.centerLat, city.centerLng];
  const zoneCdf: number[] = [];
  let sum = 0;
  for (const z of city.land) zoneCdf.push((sum += z.weight));

  const placed: StoreSpec[] = [];
  const nameUses = new Map<string, number>();
  const nameFor = (place: string): string => {
    const n = nameUses.get(place) ?? 0;
    nameUses.set(place, n + 1);
    return `${place}${ORDINALS[n] ?? String(n + 1)}站`;
  };
  const push = (lat: number, lng: number, place: string, activity: number): void => {
    const i = placed.length + 1;
    placed.push({
      code: `${city.code}-${String(i).padStart(3, '0')}`,
      name: nameFor(place),
      cityIndex,
      lat: roundCoord(lat),
      lng: roundCoord(lng),
      radiusM: rng.chance(0.7) ? DEFAULT_RADIUS_M : rng.pick([2000, 2500, 3500, 4000]),
      activity,
    });
  };

  push(city.firstStore[0], city.firstStore[1], city.firstStorePlace, 1.6);
  placed[0]!.radiusM = DEFAULT_RADIUS_M;

  // Stores keep some distance from each other; when a zone fills up, the spacing shrinks.
  let spacingM = 900;
  let failures = 0;
  while (placed.length < count) {
    const zone = city.land[rng.pickIndex(zoneCdf)]!;
    const lats = zone.ring.map((p) => p[0]);
    const lngs = zone.ring.map((p) => p[1]);
    const lat = rng.range(Math.min(...lats), Math.max(...lats));
    const lng = rng.range(Math.min(...lngs), Math.max(...lngs));
    // Density falls off with distance from the centre: the old town is where orders are.
    const dCentre = distanceM(lat, lng, centre[0], centre[1]);
    const ok =
      isOnLand(city, lat, lng) &&
      rng.chance(0.3 + 0.7 * Math.exp(-dCentre / 7000)) &&
      placed.every((s) => distanceM(lat, lng, s.lat, s.lng) >= spacingM);
    if (!ok) {
      if (++failures > 400) {
        spacingM *= 0.85;
        failures = 0;
      }
      continue;
    }
    failures = 0;
    push(lat, lng, rng.pick(zone.places), rng.logNormal(1, 0.45));
  }
  return placed;
}

/**
 * Finds the store whose delivery area contains a point (the nearest one when areas overlap).
 * A uniform grid of ~2 km cells keeps this O(1) per incident for millions of incidents.
 */
export class StoreLocator {
  private static readonly CELL_DEG = 0.02;
  private readonly grid = new Map<number, number[]>();
  private readonly reach: number;

  constructor(private readonly stores: readonly StoreSpec[]) {
    let maxRadius = 0;
    stores.forEach((s, i) => {
      maxRadius = Math.max(maxRadius, s.radiusM);
      const key = StoreLocator.key(StoreLocator.cell(s.lat), StoreLocator.cell(s.lng));
      const list = this.grid.get(key);
      if (list) list.push(i);
      else this.grid.set(key, [i]);
    });
    // Cells to search on each side: a 0.02 degree cell is at least ~2 km wide at these latitudes.
    this.reach = Math.ceil(maxRadius / 1800);
  }

  private static cell(deg: number): number {
    return Math.floor(deg / StoreLocator.CELL_DEG);
  }

  private static key(i: number, j: number): number {
    return i * 100_000 + j;
  }

  /** Index of the containing store, or -1 when the point is outside every delivery area. */
  locate(lat: number, lng: number): number {
    const ci = StoreLocator.cell(lat);
    const cj = StoreLocator.cell(lng);
    // Squared equirectangular distances with one cosine per query: this runs per incident.
    const kLng = Math.cos((lat * Math.PI) / 180);
    let best = -1;
    let bestD2 = Infinity;
    for (let di = -this.reach; di <= this.reach; di++) {
      for (let dj = -this.reach; dj <= this.reach; dj++) {
        const list = this.grid.get(StoreLocator.key(ci + di, cj + dj));
        if (!list) continue;
        for (const idx of list) {
          const s = this.stores[idx]!;
          const dy = (lat - s.lat) * M_PER_DEG_LAT;
          const dx = (lng - s.lng) * M_PER_DEG_LAT * kLng;
          const d2 = dx * dx + dy * dy;
          if (d2 <= s.radiusM * s.radiusM && d2 < bestD2) {
            best = idx;
            bestD2 = d2;
          }
        }
      }
    }
    return best;
  }
}
