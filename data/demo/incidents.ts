/**
 * The incident stream of a demo plan, generated lazily in time order (ids then grow with time,
 * as in a live system, and DuckDB's per-block min/max on occurred_at prunes time filters).
 *
 * Where: road corridors (most at intersections), hot spots near some stores, and background
 * noise inside delivery areas. What: ~25 % accidents reported by stores, ~75 % exceptions
 * flagged by the AI pipeline. Severity leans to 1-2, accidents heavier.
 */
import { dueAt, type Category, type Kind, type Severity } from '../../server/domain/incident.js';
import type { IncidentInput } from '../../server/store/types.js';
import { localMonthKey, sampleDayInstants } from './calendar.js';
import { isOnLand, type CitySpec } from './cities.js';
import { distanceM, gaussianAround, M_PER_DEG_LAT, offsetM, pointInDisc, roundCoord, type LatLng } from './geo.js';
import { simulateLifecycle } from './lifecycle.js';
import { hotSpotIntensity, type DemoPlan, type HotSpot } from './plan.js';
import { cumulative, Rng } from './random.js';
import { StoreLocator, type StoreSpec } from './stores.js';
import { accidentDescription, exceptionDescription } from './text.js';
import { ANALYST_IDS, managerIdForStore } from './users.js';

/** Database ids of the plan's cities and stores, in plan order. */
export interface DemoIds {
  cityIds: readonly number[];
  storeIds: readonly number[];
}

type Mode = 'corridor' | 'hot_spot' | 'background';

const MODE_SHARE: readonly (readonly [Mode, number])[] = [
  ['corridor', 0.4],
  ['hot_spot', 0.22],
  ['background', 0.38],
];

const ACCIDENT_SHARE: Record<Mode, number> = { corridor: 0.28, hot_spot: 0.25, background: 0.22 };

const ACCIDENT_WEIGHTS: readonly (readonly [Category, number])[] = [
  ['vehicle_collision', 30],
  ['non_motor_collision', 25],
  ['pedestrian_collision', 8],
  ['single_vehicle_fall', 25],
  ['property_damage', 8],
  ['other', 4],
];

const EXCEPTION_WEIGHTS: readonly (readonly [Category, number])[] = [
  ['wrong_way', 26],
  ['red_light', 20],
  ['no_helmet', 16],
  ['phone_while_riding', 10],
  ['speeding', 10],
  ['sidewalk_riding', 10],
  ['carrying_passenger', 4],
  ['other', 4],
];

/** On main roads riders run lights and speed; in the side streets they ride on the sidewalk. */
const EXCEPTION_BOOST: Record<Mode, Partial<Record<Category, number>>> = {
  corridor: { red_light: 1.6, speeding: 1.5 },
  hot_spot: {},
  background: { sidewalk_riding: 1.6, wrong_way: 1.3 },
};

const SEVERITY_WEIGHTS: Record<Kind, readonly number[]> = {
  accident: [33, 37, 23, 7],
  exception: [62, 30, 7, 1],
};

/** A weighted list with its cumulative table built once (the hot loop runs millions of times). */
class Table<T> {
  private readonly cdf: Float64Array;
  constructor(private readonly items: readonly T[], weights: readonly number[]) {
    this.cdf = cumulative(weights);
  }
  static of<T>(pairs: readonly (readonly [T, number])[]): Table<T> {
    return new Table(pairs.map(([x]) => x), pairs.map(([, w]) => w));
  }
  draw(rng: Rng): T {
    return this.items[rng.pickIndex(this.cdf)]!;
  }
}

const MODES = Table.of(MODE_SHARE);
const SEVERITY: Record<Kind, Table<Severity>> = {
  accident: new Table<Severity>([1, 2, 3, 4], SEVERITY_WEIGHTS.accident),
  exception: new Table<Severity>([1, 2, 3, 4], SEVERITY_WEIGHTS.exception),
};
const ACCIDENT_CATEGORIES_TABLE = Table.of(ACCIDENT_WEIGHTS);
const EXCEPTION_TABLES: Record<Mode, Table<Category>> = {
  corridor: Table.of(EXCEPTION_WEIGHTS.map(([c, w]) => [c, w * (EXCEPTION_BOOST.corridor[c] ?? 1)] as const)),
  hot_spot: Table.of(EXCEPTION_WEIGHTS),
  background: Table.of(EXCEPTION_WEIGHTS.map(([c, w]) => [c, w * (EXCEPTION_BOOST.background[c] ?? 1)] as const)),
};

const RIDERS_PER_STORE = 80;

/** Pseudonymous rider id: a bijection of 0..99999 so ids look unrelated to their store. */
/**
 * The AI model that made a demo detection: the pipeline switched models 60 % into the history
 * (a deterministic split on time, no random draw, so the rest of the demo is unchanged), which
 * gives the AI trust page two model versions to compare.
 */
export function demoModelVersion(share: number): string {
  return share < 0.6 ? 'helmet-net 1.4' : 'helmet-net 2.0';
}

function riderId(n: number): string {
  return `R-${String((n * 7919 + 4099) % 100_000).padStart(5, '0')}`;
}

/** One city's geometry prepared for sampling. */
interface CitySampler {
  cityIndex: number;
  city: CitySpec;
  stores: Table<number>;
  segments: Table<readonly [LatLng, LatLng]>;
  intersections: readonly LatLng[];
  hotSpots: readonly HotSpot[];
}

function citySampler(plan: DemoPlan, cityIndex: number): CitySampler {
  const city = plan.cities[cityIndex]!;
  const storeIdx: number[] = [];
  const storeW: number[] = [];
  plan.stores.forEach((s, i) => {
    if (s.cityIndex !== cityIndex) return;
    storeIdx.push(i);
    storeW.push(s.activity);
  });
  const segs: (readonly [LatLng, LatLng])[] = [];
  const segW: number[] = [];
  for (const line of city.corridors) {
    for (let i = 1; i < line.length; i++) {
      const a = line[i - 1]!;
      const b = line[i]!;
      segs.push([a, b]);
      segW.push(distanceM(a[0], a[1], b[0], b[1]));
    }
  }
  return {
    cityIndex,
    city,
    stores: new Table(storeIdx, storeW),
    segments: new Table(segs, segW),
    intersections: city.corridors.flat(),
    hotSpots: plan.hotSpots.filter((h) => h.cityIndex === cityIndex),
  };
}

interface Place {
  lat: number;
  lng: number;
  mode: Mode;
  spot: HotSpot | null;
}

function corridorPoint(rng: Rng, c: CitySampler): LatLng {
  // A third of road incidents happen at intersections.
  if (rng.chance(0.35)) {
    const [lat, lng] = rng.pick(c.intersections);
    return gaussianAround(rng, lat, lng, 35);
  }
  const [a, b] = c.segments.draw(rng);
  const t = rng.float();
  const lat = a[0] + (b[0] - a[0]) * t;
  const lng = a[1] + (b[1] - a[1]) * t;
  // Scatter across the road (~20 m), along it the segment position already varies.
  const len = distanceM(a[0], a[1], b[0], b[1]) || 1;
  const across = rng.normal() * 20;
  // Unit vector along the road is (northUnit, eastUnit); across it is (-eastUnit, northUnit).
  const eastUnit = ((b[1] - a[1]) * M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180)) / len;
  const northUnit = ((b[0] - a[0]) * M_PER_DEG_LAT) / len;
  return offsetM(lat, lng, -eastUnit * across, northUnit * across);
}

/** The point rounded as it will be stored, when that is on the city's land; else null. */
function onLand(c: CitySampler, [lat, lng]: LatLng): LatLng | null {
  const p: LatLng = [roundCoord(lat), roundCoord(lng)];
  return isOnLand(c.city, p[0], p[1]) ? p : null;
}

function backgroundPoint(rng: Rng, c: CitySampler, stores: readonly StoreSpec[]): LatLng {
  const store = stores[c.stores.draw(rng)]!;
  for (let attempt = 0; attempt < 12; attempt++) {
    const p = onLand(c, pointInDisc(rng, store.lat, store.lng, store.radiusM, 0.6));
    if (p) return p;
  }
  // A store on a narrow strip of shore: its own doorstep is on land (stores are placed on land).
  return [store.lat, store.lng];
}

function place(rng: Rng, c: CitySampler, stores: readonly StoreSpec[], share: number): Place {
  const mode = MODES.draw(rng);
  if (mode === 'hot_spot') {
    // Each spot draws in proportion to its own intensity (nominal 1), not to its share of the
    // city's spots: while only one spot is active it must not collect every hot-spot draw.
    const weights = c.hotSpots.map((h) => hotSpotIntensity(h, share));
    const total = weights.reduce((a, b) => a + b, 0);
    if (total > 0 && rng.float() * c.hotSpots.length < total) {
      const spot = c.hotSpots[rng.pickIndex(cumulative(weights))]!;
      for (let attempt = 0; attempt < 4; attempt++) {
        const p = onLand(c, gaussianAround(rng, spot.lat, spot.lng, spot.sigmaM));
        if (p) return { lat: p[0], lng: p[1], mode, spot };
      }
    }
  } else if (mode === 'corridor') {
    for (let attempt = 0; attempt < 4; attempt++) {
      const p = onLand(c, corridorPoint(rng, c));
      if (p) return { lat: p[0], lng: p[1], mode, spot: null };
    }
  }
  const [lat, lng] = backgroundPoint(rng, c, stores);
  return { lat, lng, mode: 'background', spot: null };
}

function what(rng: Rng, p: Place): { kind: Kind; category: Category } {
  if (p.spot) {
    const kind: Kind = rng.chance(p.spot.accidentShare) ? 'accident' : 'exception';
    const spotIsAccident = p.spot.category === 'vehicle_collision' || p.spot.category === 'single_vehicle_fall';
    // A hot spot is known for one thing: over half of its incidents of that kind are it.
    if (spotIsAccident === (kind === 'accident') && rng.chance(0.55)) return { kind, category: p.spot.category };
    return { kind, category: kind === 'accident' ? ACCIDENT_CATEGORIES_TABLE.draw(rng) : EXCEPTION_TABLES.hot_spot.draw(rng) };
  }
  const kind: Kind = rng.chance(ACCIDENT_SHARE[p.mode]) ? 'accident' : 'exception';
  return { kind, category: kind === 'accident' ? ACCIDENT_CATEGORIES_TABLE.draw(rng) : EXCEPTION_TABLES[p.mode].draw(rng) };
}

/**
 * The demo's incidents, oldest first. Lazy: memory stays flat for 10M rows.
 * `ids` maps plan cities and stores to database ids (tests may pass 1..n). `slaHours`: the SLA
 * in force when the demo is seeded (admin settings), as for any other source.
 */
export function* generateIncidents(plan: DemoPlan, ids: DemoIds, slaHours: Readonly<Record<Severity, number>>): Generator<IncidentInput> {
  const rng = new Rng(plan.seed, 'incidents');
  const monthNoise = new Map<string, number>();
  const noiseRng = new Rng(plan.seed, 'month-noise');
  const samplers = plan.cities.map((_, i) => citySampler(plan, i));
  const cityWeights = plan.cities.map((_, i) => plan.stores.reduce((sum, s) => sum + (s.cityIndex === i ? s.activity : 0), 0));
  const cities = new Table(samplers, cityWeights);
  const locator = new StoreLocator(plan.stores);
  const { from, to } = plan.timeline;
  let n = 0;

  for (const day of plan.timeline.days) {
    if (day.count === 0) continue;
    const month = localMonthKey(day.start);
    let noise = monthNoise.get(month);
    if (noise === undefined) {
      noise = Math.max(-0.04, Math.min(0.04, noiseRng.normal() * 0.02));
      monthNoise.set(month, noise);
    }
    for (const t of sampleDayInstants(rng, plan.timeline, day)) {
      n++;
      const share = (t - from) / (to - from);
      const c = cities.draw(rng);
      const p = place(rng, c, plan.stores, share);
      const { kind, category } = what(rng, p);
      const severity = SEVERITY[kind].draw(rng);
      const storeIndex = locator.locate(p.lat, p.lng);
      const store = storeIndex >= 0 ? plan.stores[storeIndex]! : null;
      // Riders belong to a store; a few of them account for many incidents.
      const riderNo = (storeIndex >= 0 ? storeIndex : rng.int(plan.stores.length)) * RIDERS_PER_STORE + Math.floor(RIDERS_PER_STORE * rng.float() ** 2);
      const ai = kind === 'exception';
      const aiConfidence = ai ? Math.round((0.5 + 0.49 * rng.float() ** 0.55) * 100) / 100 : null;
      const externalId = `demo-${plan.seed}-${n}`;
      const life = simulateLifecycle(rng, {
        kind,
        severity,
        occurredAt: t,
        share,
        targetNoise: noise,
        ai,
        aiConfidence,
        owner: store ? managerIdForStore(store.code) : rng.pick(ANALYST_IDS),
        nowMs: plan.nowMs,
      });
      const occurredAt = new Date(t);
      yield {
        kind,
        category,
        severity,
        occurredAt,
        lat: p.lat,
        lng: p.lng,
        cityId: ids.cityIds[c.cityIndex]!,
        storeId: storeIndex >= 0 ? ids.storeIds[storeIndex]! : null,
        riderId: riderId(riderNo),
        description: ai ? exceptionDescription(category) : accidentDescription(rng, category, severity),
        photoUrls: ai ? [`/media/detections/${externalId}.svg`] : [],
        source: ai ? 'ai_vision' : 'manual',
        externalId,
        aiLabel: ai ? category : null,
        aiConfidence,
        aiModelVersion: ai ? demoModelVersion(share) : null,
        review: life.review,
        status: life.status,
        assignee: life.assignee,
        dueAt: dueAt(occurredAt, severity, slaHours),
        closedAt: life.closedAt,
        resolution: life.resolution,
        createdAt: life.createdAt,
        events: life.events,
      };
    }
  }
}
