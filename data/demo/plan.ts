/**
 * The fixed part of a demo: which cities, which stores, where the hot spots are and how many
 * incidents fall on each day. Small (a few hundred objects); the incidents themselves are drawn
 * lazily from it by `generateIncidents`.
 */
import type { Category } from '../../server/domain/incident.js';
import { planTimeline, type Timeline } from './calendar.js';
import { CITY_SPECS, isOnLand, type CitySpec } from './cities.js';
import { pointInDisc, roundCoord } from './geo.js';
import { Rng } from './random.js';
import { generateCityStores, type StoreSpec } from './stores.js';

export type DemoSize = 'small' | 'default' | 'large' | 'huge';

/** Incidents per demo size. */
export const DEMO_SIZES: Record<DemoSize, number> = {
  small: 10_000,
  default: 200_000,
  large: 2_000_000,
  huge: 10_000_000,
};

/** Stores per city, in CITY_SPECS order; its length is the number of cities. */
const STORES_PER_CITY: Record<DemoSize, readonly number[]> = {
  small: [24, 16],
  default: [90, 70],
  large: [150, 110, 60],
  huge: [200, 150, 90, 50, 40],
};

export function isDemoSize(x: string): x is DemoSize {
  return Object.hasOwn(DEMO_SIZES, x);
}

/**
 * How a hot spot's intensity changes over the history, so that the emerging hot spot analysis
 * finds each class: persistent black spots, new/intensifying ones (recently opened roadworks, a
 * new mall) and diminishing ones (a junction that got fixed).
 */
export type HotSpotTrend = 'persistent' | 'emerging' | 'diminishing';

export interface HotSpot {
  cityIndex: number;
  lat: number;
  lng: number;
  sigmaM: number;
  strength: number;
  trend: HotSpotTrend;
  /** emerging: share of the history when it starts; diminishing: when it has faded out. */
  pivot: number;
  /** The category this spot is notorious for (a junction where riders run the red light). */
  category: Category;
  accidentShare: number;
}

/** Relative intensity of a hot spot at `share` of the history (0 = two years ago, 1 = now). */
export function hotSpotIntensity(spot: HotSpot, share: number): number {
  switch (spot.trend) {
    case 'persistent':
      return spot.strength;
    case 'emerging':
      return share < spot.pivot ? 0 : spot.strength * (1 + (5 * (share - spot.pivot)) / (1 - spot.pivot));
    case 'diminishing':
      return share > spot.pivot ? 0 : spot.strength * (1.5 - share / spot.pivot);
  }
}

export interface DemoPlan {
  size: DemoSize;
  seed: number;
  nowMs: number;
  total: number;
  cities: readonly CitySpec[];
  stores: readonly StoreSpec[];
  hotSpots: readonly HotSpot[];
  timeline: Timeline;
}

const HOT_CATEGORIES: readonly (readonly [Category, number])[] = [
  ['wrong_way', 3],
  ['red_light', 3],
  ['sidewalk_riding', 1],
  ['speeding', 1],
  ['no_helmet', 1],
  ['vehicle_collision', 1.5],
  ['single_vehicle_fall', 1],
];

function placeHotSpot(rng: Rng, city: CitySpec, cityIndex: number, near: StoreSpec, distanceM: number, trend: HotSpotTrend): HotSpot {
  for (let attempt = 0; ; attempt++) {
    // Shrink the ring when the store is near the shore and the first tries land in the water.
    const [lat, lng] = pointInDisc(rng, near.lat, near.lng, distanceM / (1 + attempt / 10), 1);
    if (!isOnLand(city, lat, lng) && attempt < 100) continue;
    const category = rng.weighted(HOT_CATEGORIES);
    const accidentLike = category === 'vehicle_collision' || category === 'single_vehicle_fall';
    return {
      cityIndex,
      lat: roundCoord(attempt < 100 ? lat : near.lat),
      lng: roundCoord(attempt < 100 ? lng : near.lng),
      sigmaM: rng.range(50, 150),
      strength: rng.range(0.6, 1.5),
      trend,
      pivot: trend === 'emerging' ? rng.range(0.86, 0.95) : trend === 'diminishing' ? rng.range(0.35, 0.7) : 0,
      category,
      accidentShare: accidentLike ? 0.6 : 0.2,
    };
  }
}

/** Everything but the incidents, from the seed alone (and `now` for the timeline). */
export function buildDemoPlan(size: DemoSize, seed: number, now: Date): DemoPlan {
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new Error('demo `now` is not a valid date');
  const perCity = STORES_PER_CITY[size];
  const cities = CITY_SPECS.slice(0, perCity.length);
  const storeRng = new Rng(seed, 'stores');
  const stores = cities.flatMap((city, i) => generateCityStores(storeRng, city, i, perCity[i]!));

  const spotRng = new Rng(seed, 'hot-spots');
  const hotSpots: HotSpot[] = [];
  cities.forEach((city, cityIndex) => {
    const cityStores = stores.filter((s) => s.cityIndex === cityIndex);
    // The demo managers' stores always have a black spot and a new hot spot inside their area.
    hotSpots.push(placeHotSpot(spotRng, city, cityIndex, cityStores[0]!, 700, 'persistent'));
    hotSpots.push(placeHotSpot(spotRng, city, cityIndex, cityStores[0]!, 1400, 'emerging'));
    const more = Math.max(2, Math.round(cityStores.length / 10));
    for (let i = 0; i < more; i++) {
      const trend = spotRng.weighted<HotSpotTrend>([['persistent', 6], ['emerging', 2.5], ['diminishing', 1.5]]);
      hotSpots.push(placeHotSpot(spotRng, city, cityIndex, spotRng.pick(cityStores), 1500, trend));
    }
  });

  const total = DEMO_SIZES[size];
  const timeline = planTimeline(new Rng(seed, 'timeline'), total, nowMs);
  return { size, seed, nowMs, total, cities, stores, hotSpots, timeline };
}
