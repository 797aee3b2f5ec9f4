/**
 * The demo incident stream: deterministic, and shaped as the design's demo section asks
 * (closure rate climbing from ~50 % to ~90 %, overdue incidents now, hot spots, rush hours).
 */
import { latLngToCell } from 'h3-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { dueAt, FINAL_STATUSES, isCategoryOfKind, SOURCES } from '../../../server/domain/incident.js';
import type { IncidentInput } from '../../../server/store/types.js';
import { DAY_MS, LOCAL_OFFSET_MS, localMonthKey } from '../../../data/demo/calendar.js';
import { cityBounds, isOnLand } from '../../../data/demo/cities.js';
import { distanceM } from '../../../data/demo/geo.js';
import type { DemoPlan } from '../../../data/demo/plan.js';
import { NOW, smallDemo, streamHash } from './demo-stream.js';

let plan: DemoPlan;
let rows: IncidentInput[];
beforeAll(() => {
  ({ plan, rows } = smallDemo());
});

/**
 * Problems found by `check` in each row (first few): one assertion for 10k rows keeps the
 * report short and the test fast.
 */
function problems(list: readonly IncidentInput[], check: (r: IncidentInput) => string | false | null | undefined): string[] {
  const found: string[] = [];
  for (const r of list) {
    const p = check(r);
    if (p) found.push(`${r.externalId}: ${p}`);
    if (found.length >= 5) break;
  }
  return found;
}

const isFinal = (r: IncidentInput): boolean => FINAL_STATUSES.includes(r.status);
const now = NOW.getTime();

/**
 * Monthly closure as the design defines it, rejected and pending AI detections excluded: closed
 * or dismissed by now (`closed`), and by the end of the month of occurrence (`closedInMonth`).
 */
function closureByMonth(list: readonly IncidentInput[]): Map<string, { occurred: number; closed: number; closedInMonth: number }> {
  const months = new Map<string, { occurred: number; closed: number; closedInMonth: number }>();
  for (const r of list) {
    if (r.review === 'rejected' || r.review === 'pending') continue;
    const key = localMonthKey(r.occurredAt.getTime());
    const m = months.get(key) ?? { occurred: 0, closed: 0, closedInMonth: 0 };
    m.occurred++;
    if (isFinal(r)) m.closed++;
    if (isFinal(r) && localMonthKey(r.closedAt!.getTime()) === key) m.closedInMonth++;
    months.set(key, m);
  }
  return months;
}

describe('determinism', () => {
  it('gives the identical stream for the same seed and now', () => {
    expect(streamHash(smallDemo(1).rows)).toBe(streamHash(rows));
  });

  it('gives another stream for another seed or another now', () => {
    const hash = streamHash(rows);
    expect(streamHash(smallDemo(2).rows)).not.toBe(hash);
    expect(streamHash(smallDemo(1, new Date(NOW.getTime() + DAY_MS)).rows)).not.toBe(hash);
  });
});

describe('demo rows', () => {
  it('has the size of the plan, oldest first, with unique external ids', () => {
    expect(rows).toHaveLength(10_000);
    expect(rows.every((r, i) => i === 0 || r.occurredAt >= rows[i - 1]!.occurredAt)).toBe(true);
    expect(new Set(rows.map((r) => `${r.source}/${r.externalId}`)).size).toBe(rows.length);
    expect(rows[0]!.externalId).toBe('demo-1-1');
  });

  it('spans two years up to now', () => {
    const first = rows[0]!.occurredAt.getTime();
    const last = rows.at(-1)!.occurredAt.getTime();
    expect((now - first) / DAY_MS).toBeGreaterThan(725);
    expect((now - first) / DAY_MS).toBeLessThanOrEqual(731);
    expect(now - last).toBeLessThan(DAY_MS);
    expect(last).toBeLessThan(now);
  });

  it('has categories valid for the kind, severities 1-4 and known sources', () => {
    expect(
      problems(rows, (r) =>
        !isCategoryOfKind(r.kind, r.category) ? `${r.kind}/${r.category}` : ![1, 2, 3, 4].includes(r.severity) ? `severity ${r.severity}` : !SOURCES.includes(r.source) && r.source,
      ),
    ).toEqual([]);
  });

  it('has ~25 % accidents reported by hand and ~75 % AI detections with label, confidence and photo', () => {
    const accidents = rows.filter((r) => r.kind === 'accident');
    expect(accidents.length / rows.length).toBeGreaterThan(0.22);
    expect(accidents.length / rows.length).toBeLessThan(0.28);
    expect(
      problems(rows, (r) => {
        if (!/^R-\d{5}$/.test(r.riderId ?? '')) return `rider ${r.riderId}`;
        if (!r.description) return 'no description';
        if (r.kind === 'accident') {
          return (r.source !== 'manual' || r.review !== null || r.aiLabel !== null || r.aiConfidence !== null || r.photoUrls.length > 0) && 'accident with AI fields';
        }
        if (r.source !== 'ai_vision' || r.aiLabel !== r.category || r.review === null) return 'exception without AI fields';
        if (!(r.aiConfidence! >= 0.5 && r.aiConfidence! <= 0.99)) return `confidence ${r.aiConfidence}`;
        return r.photoUrls.join() !== `/media/detections/${r.externalId}.svg` && `photos ${r.photoUrls.join()}`;
      }),
    ).toEqual([]);
  });

  it('leans to minor severities, accidents heavier', () => {
    const mean = (kind: string): number => {
      const list = rows.filter((r) => r.kind === kind);
      return list.reduce((a, r) => a + r.severity, 0) / list.length;
    };
    expect(rows.filter((r) => r.severity <= 2).length / rows.length).toBeGreaterThan(0.75);
    expect(mean('accident')).toBeGreaterThan(mean('exception') + 0.4);
  });

  it('places every incident on land in its city, and in the delivery area of its store', () => {
    expect(
      problems(rows, (r) => {
        const city = plan.cities[r.cityId - 1]!;
        const b = cityBounds(city);
        if (r.lat < b.minLat || r.lat > b.maxLat || r.lng < b.minLng || r.lng > b.maxLng) return `${r.lat},${r.lng} outside ${city.key}`;
        if (!isOnLand(city, r.lat, r.lng)) return `${r.lat},${r.lng} in the water`;
        if (r.storeId === null) return null;
        const store = plan.stores[r.storeId - 1]!;
        if (store.cityIndex !== r.cityId - 1) return `store ${store.code} of another city`;
        return distanceM(r.lat, r.lng, store.lat, store.lng) > store.radiusM + 1 && `outside the area of ${store.code}`;
      }),
    ).toEqual([]);
    const withoutStore = rows.filter((r) => r.storeId === null).length;
    expect(withoutStore / rows.length).toBeLessThan(0.05);
  });

  it('clusters: the busiest H3 res-8 cells hold many times their share', () => {
    const counts = new Map<string, number>();
    for (const r of rows) {
      const cell = latLngToCell(r.lat, r.lng, 8);
      counts.set(cell, (counts.get(cell) ?? 0) + 1);
    }
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const mean = rows.length / counts.size;
    expect(sorted[0]! / mean).toBeGreaterThan(10);
    expect(sorted.slice(0, 10).reduce((a, b) => a + b, 0) / rows.length).toBeGreaterThan(0.12);
  });

  it('has rush-hour peaks at 11-13 and 17-19:30 local time, and quiet nights', () => {
    const byHour = new Array<number>(24).fill(0);
    for (const r of rows) byHour[new Date(r.occurredAt.getTime() + LOCAL_OFFSET_MS).getUTCHours()]!++;
    const share = (hours: number[]): number => hours.reduce((a, h) => a + byHour[h]!, 0) / hours.length / rows.length;
    expect(share([11, 12, 17, 18])).toBeGreaterThan(2 * share([9, 10, 14, 15, 16, 21]));
    expect(share([0, 1, 2, 3, 4, 5])).toBeLessThan(0.005);
  });

  it('is busier on weekends and grows over the two years', () => {
    const perDay = new Map<number, number>();
    for (const r of rows) {
      const day = Math.floor((r.occurredAt.getTime() + LOCAL_OFFSET_MS) / DAY_MS);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    const days = [...perDay.entries()].slice(1, -1); // the first and last days are partial
    const avg = (list: [number, number][]): number => list.reduce((a, [, n]) => a + n, 0) / list.length;
    // Day 0 of the epoch (1970-01-01) was a Thursday.
    const weekend = days.filter(([d]) => (d + 4) % 7 === 0 || (d + 4) % 7 === 6);
    const weekday = days.filter(([d]) => (d + 4) % 7 !== 0 && (d + 4) % 7 !== 6);
    expect(avg(weekend)).toBeGreaterThan(1.05 * avg(weekday));
    expect(avg(days.slice(-180))).toBeGreaterThan(1.8 * avg(days.slice(0, 180)));
  });
});

describe('closure histories', () => {
  it('has a timeline from open to the current status, after occurrence and before now', () => {
    expect(
      problems(rows, (r) => {
        const ev = r.events;
        if (ev[0]?.fromStatus !== null || ev[0].toStatus !== 'open') return 'does not start with null -> open';
        if (ev.at(-1)!.toStatus !== r.status) return `ends in ${ev.at(-1)!.toStatus}, status ${r.status}`;
        for (let i = 0; i < ev.length; i++) {
          const at = ev[i]!.at.getTime();
          if (at < r.occurredAt.getTime() || at > now) return `event ${i} at ${ev[i]!.at.toISOString()} outside occurrence..now`;
          if (!ev[i]!.actor) return `event ${i} without actor`;
          if (i > 0 && ev[i]!.fromStatus !== ev[i - 1]!.toStatus) return `event ${i} from ${ev[i]!.fromStatus}`;
          if (i > 0 && at <= ev[i - 1]!.at.getTime()) return `event ${i} not after event ${i - 1}`;
        }
        if (r.status === 'dismissed' && !ev.at(-1)!.note) return 'dismissed without a reason';
        if ((r.status === 'closed') !== (r.resolution !== null)) return `status ${r.status} with resolution ${r.resolution}`;
        if ((r.closedAt?.getTime() ?? null) !== (isFinal(r) ? ev.at(-1)!.at.getTime() : null)) return `closedAt ${r.closedAt?.toISOString()}`;
        if ((r.assignee === null) !== !ev.some((e) => e.toStatus === 'assigned')) return `assignee ${r.assignee}`;
        if (r.dueAt?.getTime() !== dueAt(r.occurredAt, r.severity).getTime()) return `dueAt ${r.dueAt?.toISOString()}`;
        return r.createdAt?.getTime() !== ev[0].at.getTime() && 'createdAt is not the open event';
      }),
    ).toEqual([]);
    const meanEvents = rows.reduce((a, r) => a + r.events.length, 0) / rows.length;
    expect(meanEvents).toBeGreaterThan(2.5);
    expect(meanEvents).toBeLessThan(4);
  });

  it('dismisses rejected detections, leaves pending ones open, rejects ~8 %', () => {
    const ai = rows.filter((r) => r.source === 'ai_vision');
    expect(problems(ai, (r) => (r.review === 'rejected' && r.status !== 'dismissed') || (r.review === 'pending' && r.status !== 'open') ? `${r.review} but ${r.status}` : null)).toEqual([]);
    const rejected = ai.filter((r) => r.review === 'rejected').length / ai.length;
    expect(rejected).toBeGreaterThan(0.06);
    expect(rejected).toBeLessThan(0.1);
  });

  it('keeps reviews pending mostly for recent detections', () => {
    const ai = rows.filter((r) => r.source === 'ai_vision');
    const pendingShare = (list: IncidentInput[]): number => list.filter((r) => r.review === 'pending').length / list.length;
    const lastDay = ai.filter((r) => now - r.occurredAt.getTime() < DAY_MS);
    const older = ai.filter((r) => now - r.occurredAt.getTime() > 7 * DAY_MS);
    expect(pendingShare(lastDay)).toBeGreaterThan(0.1);
    expect(pendingShare(older)).toBeLessThan(0.005);
  });

  it('climbs from about 50 % closed by the end of the month two years ago to about 90 % in the last full months', () => {
    const months = [...closureByMonth(rows).entries()].sort(([a], [b]) => a.localeCompare(b));
    // The first and the current month are partial; the current one is naturally lower.
    const full = months.slice(1, -1).map(([, m]) => m.closedInMonth / m.occurred);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(full).toHaveLength(23);
    expect(mean(full.slice(0, 3))).toBeGreaterThan(0.42);
    expect(mean(full.slice(0, 3))).toBeLessThan(0.6);
    expect(mean(full.slice(-3))).toBeGreaterThan(0.84);
    expect(mean(full.slice(-3))).toBeLessThan(0.95);
    expect(mean(full.slice(12, 15))).toBeGreaterThan(mean(full.slice(0, 3)) + 0.1);
    const current = months.at(-1)![1];
    expect(current.closedInMonth / current.occurred).toBeLessThan(full.at(-1)!);
  });

  it('clears the late backlog: months older than half a year are nearly all closed by now', () => {
    const months = [...closureByMonth(rows).entries()].sort(([a], [b]) => a.localeCompare(b));
    for (const [month, m] of months.slice(0, -6)) expect(m.closed / m.occurred, month).toBeGreaterThan(0.97);
  });

  it('has a few incidents overdue now, recent ones among them', () => {
    const overdue = rows.filter((r) => !isFinal(r) && r.dueAt!.getTime() < now);
    expect(overdue.length).toBeGreaterThan(0);
    // a few: a backlog of weeks, not of years
    expect(overdue.length / rows.length).toBeLessThan(0.05);
    expect(overdue.every((r) => now - r.occurredAt.getTime() < 180 * DAY_MS)).toBe(true);
    expect(overdue.some((r) => now - r.dueAt!.getTime() < 14 * DAY_MS)).toBe(true);
    // and some still within their SLA
    expect(rows.some((r) => !isFinal(r) && r.dueAt!.getTime() > now)).toBe(true);
  });
});
