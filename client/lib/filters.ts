/**
 * The incident filters every query shares: exactly the server's zod schema (DESIGN.md
 * "Hexbins"), taken from the router's input type so the two cannot drift apart; and the UI's
 * view of them (`FilterState`: a time preset instead of timestamps), which is what the URL holds.
 * The vocabularies are the server's own lists (server/domain/incident.ts), re-exported here for
 * the features; tests/unit/client/shared-rules.test.ts checks that they are the same objects.
 */
import { dayEndInstant, dayStartInstant } from '../../server/domain/local-day.js';
import type { Category, Kind, ReviewState, Status } from '../../server/domain/incident.js';
import type { RouterInputs } from './trpc.js';

export { CATEGORIES, CATEGORIES_BY_KIND, KINDS, REVIEW_STATES, SEVERITIES, STATUSES } from '../../server/domain/incident.js';
export type { Category, Kind, ReviewState, Status } from '../../server/domain/incident.js';

export type IncidentFilters = NonNullable<RouterInputs['map']['hexbins']['filters']>;

/** [west, south, east, north] in WGS-84 degrees. */
export type Bbox = [west: number, south: number, east: number, north: number];


/** Days back from today; `all` = no lower bound. */
export const TIME_PRESETS = [7, 30, 90, 365, 'all'] as const;
export type TimePreset = (typeof TIME_PRESETS)[number];
export const DEFAULT_TIME_PRESET: TimePreset = 90;

/** `YYYY-MM-DD`, a calendar day in the browser's zone. */
export type IsoDay = string;

export type TimeRange = { preset: TimePreset } | { from: IsoDay | null; to: IsoDay | null };

/** What the filters panel edits and the URL keeps. Empty lists mean "no restriction". */
export interface FilterState {
  time: TimeRange;
  kinds: Kind[];
  categories: Category[];
  severities: number[];
  statuses: Status[];
  /** Empty = the server's default: rejected AI detections left out, pending ones counted. */
  review: ReviewState[];
  overdueOnly: boolean;
  storeIds: number[];
  cityIds: number[];
  /** One hour of the week (the hour-of-week chart): day 0 = Monday, in each city's zone. */
  hourOfWeek: { day: number; hour: number } | null;
}

export const DEFAULT_FILTER_STATE: FilterState = {
  time: { preset: DEFAULT_TIME_PRESET },
  kinds: [],
  categories: [],
  severities: [],
  statuses: [],
  review: [],
  overdueOnly: false,
  storeIds: [],
  cityIds: [],
  hourOfWeek: null,
};

const DAY_MS = 86_400_000;

/** Local midnight of a `YYYY-MM-DD` day, or null when the text is not a real day. */
export function isoDayToDate(day: IsoDay): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getFullYear() === Number(m[1]) && d.getMonth() === Number(m[2]) - 1 && d.getDate() === Number(m[3]) ? d : null;
}

export function dateToIsoDay(d: Date): IsoDay {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * The server's filters for a UI state at `now`. A preset of N days starts at local midnight N
 * days before today, so the query (and its cache key) stays the same all day long. A custom
 * range runs from the start of `from` to the end of `to` (both inclusive), days of `timeZone`
 * (the cities' zone, as the charts count days; the browser's when null).
 */
export function toQueryFilters(state: FilterState, now: Date, timeZone: string | null = null): IncidentFilters {
  const out: IncidentFilters = {};
  if ('preset' in state.time) {
    if (state.time.preset !== 'all') {
      const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
      today.setDate(today.getDate() - state.time.preset);
      out.from = today.toISOString();
    }
  } else {
    // a day that is not a real one (a hand-edited URL) is no bound
    const real = (day: IsoDay | null) => (day && isoDayToDate(day) ? day : null);
    const start = (day: IsoDay) => (timeZone ? dayStartInstant(day, timeZone) : isoDayToDate(day)!);
    const end = (day: IsoDay) => (timeZone ? dayEndInstant(day, timeZone) : new Date(isoDayToDate(day)!.getTime() + DAY_MS - 1));
    let [fromDay, toDay] = [real(state.time.from), real(state.time.to)];
    // A reversed range would be refused by the server: read it the way the person meant it.
    if (fromDay && toDay && fromDay > toDay) [fromDay, toDay] = [toDay, fromDay];
    if (fromDay) out.from = start(fromDay).toISOString();
    if (toDay) out.to = end(toDay).toISOString();
  }
  if (state.kinds.length) out.kinds = [...state.kinds];
  if (state.categories.length) out.categories = [...state.categories];
  if (state.severities.length) out.severities = [...state.severities].sort((a, b) => a - b);
  if (state.statuses.length) out.statuses = [...state.statuses];
  if (state.review.length) out.review = [...state.review];
  if (state.overdueOnly) out.overdueOnly = true;
  if (state.storeIds.length) out.storeIds = [...state.storeIds];
  if (state.cityIds.length) out.cityIds = [...state.cityIds];
  if (state.hourOfWeek) out.hourOfWeek = { ...state.hourOfWeek };
  return out;
}

/** Adds or removes one value of a list filter, keeping the canonical order of `all`. */
export function toggleIn<T>(list: readonly T[], value: T, all: readonly T[]): T[] {
  const next = list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
  return all.filter((v) => next.includes(v));
}
