/**
 * When demo incidents happen: two years up to `now`, growing as the business grows, with a
 * weekday/weekend rhythm, day-to-day noise (weather), and rush-hour peaks in local time.
 */
import type { Rng } from './random.js';
import { cumulative } from './random.js';

/** Asia/Shanghai is UTC+8 all year (no DST since 1991), so local time is a fixed offset. */
export const LOCAL_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;
export const HISTORY_DAYS = 730;
/** Incidents end this long before `now`: the newest ones have just been reported. */
export const REPORT_LAG_MS = 15 * 60_000;

const BIN_MS = 15 * 60_000;
const BINS_PER_DAY = 96;

/** Relative incident rate by local hour (0-23), before the half-hour refinements below. */
const WEEKDAY_BY_HOUR = [0.05, 0.03, 0.02, 0.02, 0.02, 0.05, 0.2, 0.6, 0.8, 0.7, 0.9, 2.6, 3.0, 2.4, 1.1, 1.0, 1.2, 3.0, 3.6, 3.3, 1.6, 1.0, 0.6, 0.2];
/** Weekends: later, flatter mornings, a busy afternoon, a slightly softer evening peak. */
const WEEKEND_BY_HOUR = [0.08, 0.05, 0.03, 0.02, 0.02, 0.03, 0.1, 0.3, 0.7, 1.1, 1.5, 2.4, 2.7, 2.2, 1.7, 1.6, 1.8, 2.6, 3.0, 2.7, 1.7, 1.1, 0.7, 0.3];

function profile(byHour: readonly number[]): Float64Array {
  const w: number[] = [];
  for (let bin = 0; bin < BINS_PER_DAY; bin++) {
    const minute = bin * 15;
    let x = byHour[Math.floor(minute / 60)]!;
    // The evening rush runs to 19:30, then drops off.
    if (minute >= 19 * 60 + 30 && minute < 20 * 60) x = byHour[19]! * 0.6;
    w.push(x);
  }
  return cumulative(w);
}

const WEEKDAY_CDF = profile(WEEKDAY_BY_HOUR);
const WEEKEND_CDF = profile(WEEKEND_BY_HOUR);

/** Local midnight (as a UTC instant in ms) of the local day containing `utcMs`. */
export function localDayStart(utcMs: number): number {
  return Math.floor((utcMs + LOCAL_OFFSET_MS) / DAY_MS) * DAY_MS - LOCAL_OFFSET_MS;
}

/** `YYYY-MM` of an instant in local time. */
export function localMonthKey(utcMs: number): string {
  return new Date(utcMs + LOCAL_OFFSET_MS).toISOString().slice(0, 7);
}

/** Local hour 0-23 of an instant. */
export function localHour(utcMs: number): number {
  return new Date(utcMs + LOCAL_OFFSET_MS).getUTCHours();
}

function isWeekend(dayStartUtcMs: number): boolean {
  const dow = new Date(dayStartUtcMs + LOCAL_OFFSET_MS).getUTCDay();
  return dow === 0 || dow === 6;
}

/** Share of the day's profile mass inside [from, to). */
function massWithin(cdf: Float64Array, dayStart: number, from: number, to: number): number {
  const total = cdf[BINS_PER_DAY - 1]!;
  const massBefore = (t: number): number => {
    const x = Math.min(Math.max(t - dayStart, 0), DAY_MS) / BIN_MS;
    const bin = Math.floor(x);
    if (bin >= BINS_PER_DAY) return total;
    const below = bin === 0 ? 0 : cdf[bin - 1]!;
    return below + (cdf[bin]! - below) * (x - bin);
  };
  return (massBefore(to) - massBefore(from)) / total;
}

export interface DayPlan {
  /** Local midnight of the day, UTC ms. */
  start: number;
  count: number;
  weekend: boolean;
}

export interface Timeline {
  /** First instant of the history (UTC ms). */
  from: number;
  /** Instants are before this (UTC ms): now minus the report lag. */
  to: number;
  days: DayPlan[];
}

/**
 * Spreads `total` incidents over the days of the history: weight grows 2.5x over the two years
 * (more stores, more orders), weekends are busier, and each day gets some noise.
 */
export function planTimeline(rng: Rng, total: number, nowMs: number): Timeline {
  // Whole seconds, so every partial day still contains a whole-second instant to draw.
  const to = Math.floor((nowMs - REPORT_LAG_MS) / 1000) * 1000;
  const from = to - HISTORY_DAYS * DAY_MS;
  const starts: number[] = [];
  for (let d = localDayStart(from); d < to; d += DAY_MS) starts.push(d);
  const weights = starts.map((start) => {
    const weekend = isWeekend(start);
    const s = (start - from) / (to - from);
    const growth = 1 + 1.5 * Math.min(Math.max(s, 0), 1);
    const weather = rng.logNormal(1, 0.18);
    const mass = massWithin(weekend ? WEEKEND_CDF : WEEKDAY_CDF, start, Math.max(start, from), Math.min(start + DAY_MS, to));
    return growth * (weekend ? 1.15 : 1) * weather * mass;
  });
  const cdf = cumulative(weights);
  const sum = cdf[cdf.length - 1]!;
  // Cumulative rounding: the counts add up to exactly `total`.
  let prev = 0;
  const days = starts.map((start, i) => {
    const upTo = Math.round((cdf[i]! / sum) * total);
    const count = upTo - prev;
    prev = upTo;
    return { start, count, weekend: isWeekend(start) };
  });
  return { from, to, days };
}

/** `count` instants (UTC ms, whole seconds) on one day, inside the timeline, sorted ascending. */
export function sampleDayInstants(rng: Rng, timeline: Timeline, day: DayPlan): number[] {
  const cdf = day.weekend ? WEEKEND_CDF : WEEKDAY_CDF;
  const out: number[] = [];
  while (out.length < day.count) {
    const bin = rng.pickIndex(cdf);
    const t = Math.floor((day.start + bin * BIN_MS + rng.float() * BIN_MS) / 1000) * 1000;
    // The first and last days are partial: draw again outside the history.
    if (t >= timeline.from && t < timeline.to) out.push(t);
  }
  return out.sort((a, b) => a - b);
}
