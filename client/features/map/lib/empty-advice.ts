/**
 * What the map says when nothing matches in view (issue 19): advice that fits the cause. A store
 * chosen in the ranking while the map stood in another city used to get "widen the time range".
 * Pure: the filters, the chosen store's place and the box in view decide.
 */
import type { Bbox, IncidentFilters } from '../../../lib/filters.js';

export type EmptyCause =
  /** One store chosen, and it stands outside the box in view: the map is elsewhere. */
  | 'storeElsewhere'
  /** One store chosen, in view, with narrowing filters (kind, category, severity, status, review, text, hour, overdue). */
  | 'storeFiltered'
  /** One store chosen, in view, no narrowing filter: nothing in the time range. */
  | 'storeNoData'
  /** No single store, with narrowing filters. */
  | 'filtered'
  /** No single store and no narrowing filter: nothing at this place and time. */
  | 'noStore';

/** Filters that leave out incidents of a place and time (everything but the store, city and time range). */
export function hasNarrowingFilters(f: IncidentFilters): boolean {
  return Boolean(f.kinds || f.categories || f.severities || f.statuses || f.review || f.q || f.hourOfWeek || f.overdueOnly);
}

/** `store`: the one chosen store's place (WGS-84), when exactly one is chosen and known; `view`: the box in view. */
export function emptyCause(filters: IncidentFilters, store: { lat: number; lng: number } | null, view: Bbox | null): EmptyCause {
  const narrowed = hasNarrowingFilters(filters);
  if (store) {
    const [west, south, east, north] = view ?? [-180, -90, 180, 90];
    const inView = store.lng >= west && store.lng <= east && store.lat >= south && store.lat <= north;
    if (!inView) return 'storeElsewhere';
    return narrowed ? 'storeFiltered' : 'storeNoData';
  }
  return narrowed ? 'filtered' : 'noStore';
}
