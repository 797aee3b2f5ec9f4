/**
 * Cross-filtering: what a click on a chart adds to the app's filters. Each helper returns a
 * patch of the UI filter state (`FilterState`, what the URL keeps) that the app merges into its
 * filters; clicking what is already the only selection clears it again.
 */
import type { Interval, Split } from '../../../../server/domain/stats-vocabulary.js';
import type { Category, FilterState, IsoDay, Kind } from '../../../lib/filters.js';

export type FilterPatch = Partial<Pick<FilterState, 'time' | 'kinds' | 'categories' | 'severities' | 'storeIds' | 'cityIds' | 'hourOfWeek'>>;

export type { Interval, Split };

/** The current selection as the query filters hold it (absent = no restriction). */
export interface Selection {
  kinds?: readonly string[];
  categories?: readonly string[];
  storeIds?: readonly number[];
}

const only = <T>(list: readonly T[] | undefined, value: T): boolean => list?.length === 1 && list[0] === value;

/**
 * A category bar. `other` exists for both kinds, so its bar also picks the kind; any other
 * category belongs to one kind and picks only the category.
 */
export function categoryPatch(selection: Selection, item: { kind: Kind; category: Category }): FilterPatch {
  const shared = item.category === 'other';
  const selected = only(selection.categories, item.category) && (!shared || only(selection.kinds, item.kind));
  if (selected) return shared ? { categories: [], kinds: [] } : { categories: [] };
  return shared ? { categories: [item.category], kinds: [item.kind] } : { categories: [item.category] };
}

/** Whether a category bar is the current selection (drawn highlighted). */
export function isCategorySelected(selection: Selection, item: { kind: string; category: string }): boolean {
  if (!only(selection.categories, item.category)) return false;
  return item.category !== 'other' || !selection.kinds?.length || only(selection.kinds, item.kind);
}

/** A store row: that store only (and no city restriction), or back to all when it already is. */
export function storePatch(selection: Selection, storeId: number): FilterPatch {
  return only(selection.storeIds, storeId) ? { storeIds: [] } : { storeIds: [storeId], cityIds: [] };
}

function dayToUtc(day: IsoDay): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

function utcToDay(date: Date): IsoDay {
  return date.toISOString().slice(0, 10);
}

/**
 * The calendar days (both inclusive) of a time-series bucket that starts on `start`
 * (`YYYY-MM-DD`): one day, a week of seven, or the rest of the month.
 * @throws Error when `start` is not a `YYYY-MM-DD` day.
 */
export function bucketDays(start: IsoDay, interval: Interval): { from: IsoDay; to: IsoDay } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || Number.isNaN(dayToUtc(start).getTime())) throw new Error(`not a day: ${start}`);
  const from = dayToUtc(start);
  // Calendar arithmetic in UTC: no daylight-saving hour can shift a day.
  const to =
    interval === 'day'
      ? from
      : interval === 'week'
        ? new Date(from.getTime() + 6 * 86_400_000)
        : new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 0));
  return { from: utcToDay(from), to: utcToDay(to) };
}

/**
 * A time-series bar: its period, and its kind or severity when the series are split.
 * `seriesKey` is the server's key (`all`, a kind, or a severity as text).
 */
export function bucketPatch(bucket: IsoDay, interval: Interval, split: Split, seriesKey: string): FilterPatch {
  const patch: FilterPatch = { time: bucketDays(bucket, interval) };
  if (split === 'kind' && (seriesKey === 'accident' || seriesKey === 'exception')) patch.kinds = [seriesKey];
  if (split === 'severity' && /^[1-4]$/.test(seriesKey)) patch.severities = [Number(seriesKey)];
  return patch;
}

/**
 * A month of the closure-rate chart (`YYYY-MM`): the filter's time becomes that month, its days
 * in the cities' zone (see toQueryFilters), as the chart counts the month.
 * @throws Error when `month` is not `YYYY-MM`.
 */
export function monthPatch(month: string): FilterPatch {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new Error(`not a month: ${month}`);
  return { time: bucketDays(`${month}-01`, 'month') };
}

/**
 * A cell of the hour-of-week grid (day 0 = Monday): that hour of the week, in each city's zone;
 * clicking the cell already chosen clears it.
 */
export function hourOfWeekPatch(current: { day: number; hour: number } | null | undefined, day: number, hour: number): FilterPatch {
  return current?.day === day && current.hour === hour ? { hourOfWeek: null } : { hourOfWeek: { day, hour } };
}

/** The filters a chart asks for when it shows its own dimension whole and highlights the selection. */
export function withoutDimension<F extends { categories?: unknown; storeIds?: unknown; hourOfWeek?: unknown }>(filters: F, dimension: 'categories' | 'storeIds' | 'hourOfWeek'): F {
  const { [dimension]: _dropped, ...rest } = filters;
  return rest as F;
}
