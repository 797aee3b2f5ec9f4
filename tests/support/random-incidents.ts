/**
 * Random incidents with every field varied, for correctness tests that compare the engines
 * with an independent computation. Deterministic for a seed.
 */
import { ACCIDENT_CATEGORIES, EXCEPTION_CATEGORIES, RESOLUTIONS, REVIEW_STATES, STATUSES } from '../../server/domain/incident.js';
import type { Severity } from '../../server/domain/incident.js';
import type { IncidentInput } from '../../server/store/types.js';

export function prng(seed: number) {
  let a = seed >>> 0;
  // mulberry32: small, fast, good enough to vary test data
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
    subset: <T>(xs: readonly T[]): T[] => {
      const out = xs.filter(() => next() < 0.5);
      return out.length ? out : [xs[Math.floor(next() * xs.length)]!];
    },
  };
}

export const WORDS = ['red light', 'wrong way', 'helmet', '100%_sure', 'near school', '路口', 'rain'];

export interface Place {
  cityId: number;
  storeId: number | null;
  lat: number;
  lng: number;
}

export function randomIncidents(n: number, places: Place[], now: Date, seed = 1): IncidentInput[] {
  const r = prng(seed);
  const out: IncidentInput[] = [];
  for (let k = 0; k < n; k++) {
    const place = r.pick(places);
    const ai = r.chance(0.6);
    const occurredAt = new Date(now.getTime() - r.next() * 730 * 86_400_000);
    const status = r.pick(STATUSES);
    // a spread of ~ +-5 km around the place, some points clumped to make busy cells
    const spread = r.chance(0.3) ? 0.002 : 0.05;
    out.push({
      kind: ai ? 'exception' : 'accident',
      category: ai ? r.pick(EXCEPTION_CATEGORIES) : r.pick(ACCIDENT_CATEGORIES),
      severity: r.int(1, 4) as Severity,
      occurredAt,
      lat: place.lat + (r.next() - 0.5) * spread,
      lng: place.lng + (r.next() - 0.5) * spread,
      cityId: place.cityId,
      storeId: place.storeId,
      riderId: `R-${r.int(1, 50)}`,
      description: `${r.pick(WORDS)} ${r.pick(WORDS)}`,
      photoUrls: ai ? [`/media/detections/t-${k}.svg`] : [],
      source: ai ? 'ai_vision' : 'manual',
      externalId: `t-${k}`,
      aiLabel: ai ? 'x' : null,
      aiConfidence: ai ? r.next() : null,
      review: ai ? r.pick(REVIEW_STATES) : null,
      status,
      assignee: null,
      // due times straddle now, so that overdue varies
      dueAt: r.chance(0.9) ? new Date(now.getTime() + (r.next() - 0.7) * 30 * 86_400_000) : null,
      closedAt: status === 'closed' ? now : null,
      resolution: status === 'closed' ? r.pick(RESOLUTIONS) : null,
      events: [],
    });
  }
  return out;
}
