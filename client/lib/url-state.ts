/**
 * The view a person would share lives in the query string (STYLE.md "State a user would share
 * lives in the URL"): camera `lat`, `lng`, `z`; `cell`, `incident` and countermeasure `cm` selected; colour `metric`
 * and `3d`; the map `mode` (`gi` or `emerging` hot spots; hexbins by default); the filters (`t` preset or `from`/`to` days, `kind`, `cat`, `sev`, `st`, `rv`,
 * `overdue`, `store`, `city`). Defaults are left out so links stay short.
 * Map moves replace the history entry (no Back-button spam); selections push one.
 */
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import {
  CATEGORIES,
  DEFAULT_TIME_PRESET,
  isoDayToDate,
  KINDS,
  REVIEW_STATES,
  SEVERITIES,
  STATUSES,
  TIME_PRESETS,
} from './filters.js';
import type { FilterState, TimePreset, TimeRange } from './filters.js';

export interface MapView {
  lat: number;
  lng: number;
  zoom: number;
}

export const METRICS = ['count', 'weighted', 'open', 'overdue', 'closure', 'pending', 'per1000'] as const;
export type Metric = (typeof METRICS)[number];

/** What the hexagons show: incident hexbins, Gi* hot spots, or emerging hot-spot classes. */
export const MAP_MODES = ['hexbins', 'gi', 'emerging'] as const;
export type MapMode = (typeof MAP_MODES)[number];

export interface UrlState {
  view: MapView | null;
  cell: string | null;
  incident: number | null;
  /** The open countermeasure panel (`cm`). */
  countermeasure: number | null;
  metric: Metric;
  mode: MapMode;
  extruded: boolean;
  filters: FilterState;
}

const URL_CHANGE_EVENT = 'hexwatch:urlchange';
const H3_CELL_RE = /^[0-9a-f]{15}$/;
const FILTER_KEYS = ['t', 'from', 'to', 'kind', 'cat', 'sev', 'st', 'rv', 'overdue', 'store', 'city', 'how'] as const;

/** Values of a comma list that belong to `allowed` (unknown ones dropped), in `allowed`'s order. */
function listOf<T extends string | number>(raw: string | null, allowed: readonly T[]): T[] {
  if (!raw) return [];
  const given = new Set(raw.split(','));
  return allowed.filter((v) => given.has(String(v)));
}

function idsOf(raw: string | null): number[] {
  if (!raw) return [];
  const ids = raw.split(',').map(Number).filter((n) => Number.isInteger(n) && n >= 1 && n <= 2_147_483_647);
  return [...new Set(ids)].slice(0, 1000);
}

function parseTime(params: URLSearchParams): TimeRange {
  const from = params.get('from');
  const to = params.get('to');
  const validFrom = from && isoDayToDate(from) ? from : null;
  const validTo = to && isoDayToDate(to) ? to : null;
  if (validFrom || validTo) return { from: validFrom, to: validTo };
  const t = params.get('t');
  // A custom range being typed in (no day chosen yet) is still a custom range.
  if (t === 'custom') return { from: null, to: null };
  const preset = TIME_PRESETS.find((p) => String(p) === t);
  return { preset: preset ?? DEFAULT_TIME_PRESET };
}

export function parseFilters(params: URLSearchParams): FilterState {
  return {
    time: parseTime(params),
    kinds: listOf(params.get('kind'), KINDS),
    categories: listOf(params.get('cat'), CATEGORIES),
    severities: listOf(params.get('sev'), SEVERITIES),
    statuses: listOf(params.get('st'), STATUSES),
    review: listOf(params.get('rv'), REVIEW_STATES),
    overdueOnly: params.get('overdue') === '1',
    storeIds: idsOf(params.get('store')),
    cityIds: idsOf(params.get('city')),
    hourOfWeek: hourOfWeekOf(params.get('how')),
  };
}

/** `how=<day>-<hour>` (day 0 = Monday .. 6, hour 0..23); anything else is no restriction. */
function hourOfWeekOf(value: string | null): FilterState['hourOfWeek'] {
  const m = /^([0-6])-(\d{1,2})$/.exec(value ?? '');
  if (!m || Number(m[2]) > 23) return null;
  return { day: Number(m[1]), hour: Number(m[2]) };
}

export function parseUrlState(search: string): UrlState {
  const params = new URLSearchParams(search);
  const lat = Number(params.get('lat'));
  const lng = Number(params.get('lng'));
  const zoom = Number(params.get('z'));
  const valid =
    params.has('lat') && params.has('lng') && params.has('z') &&
    Number.isFinite(lat) && Math.abs(lat) <= 85 &&
    Number.isFinite(lng) && Math.abs(lng) <= 180 &&
    Number.isFinite(zoom) && zoom >= 0 && zoom <= 22;
  const cell = params.get('cell');
  const incident = Number(params.get('incident'));
  const countermeasure = Number(params.get('cm'));
  const metric = METRICS.find((m) => m === params.get('metric'));
  const mode = MAP_MODES.find((m) => m === params.get('mode'));
  return {
    view: valid ? { lat, lng, zoom } : null,
    cell: cell && H3_CELL_RE.test(cell) ? cell : null,
    incident: Number.isSafeInteger(incident) && incident >= 1 ? incident : null,
    countermeasure: Number.isSafeInteger(countermeasure) && countermeasure >= 1 ? countermeasure : null,
    metric: metric ?? 'count',
    mode: mode ?? 'hexbins',
    extruded: params.get('3d') === '1',
    filters: parseFilters(params),
  };
}

function setOrDelete(params: URLSearchParams, key: string, value: string | null): void {
  if (value) params.set(key, value);
  else params.delete(key);
}

function writeFilters(params: URLSearchParams, f: FilterState): void {
  for (const key of FILTER_KEYS) params.delete(key);
  if ('preset' in f.time) {
    if (f.time.preset !== DEFAULT_TIME_PRESET) params.set('t', String(f.time.preset satisfies TimePreset));
  } else {
    setOrDelete(params, 'from', f.time.from);
    setOrDelete(params, 'to', f.time.to);
    if (!f.time.from && !f.time.to) params.set('t', 'custom');
  }
  setOrDelete(params, 'kind', f.kinds.join(','));
  setOrDelete(params, 'cat', f.categories.join(','));
  setOrDelete(params, 'sev', f.severities.join(','));
  setOrDelete(params, 'st', f.statuses.join(','));
  setOrDelete(params, 'rv', f.review.join(','));
  setOrDelete(params, 'overdue', f.overdueOnly ? '1' : null);
  setOrDelete(params, 'store', f.storeIds.join(','));
  setOrDelete(params, 'city', f.cityIds.join(','));
  setOrDelete(params, 'how', f.hourOfWeek ? `${f.hourOfWeek.day}-${f.hourOfWeek.hour}` : null);
}

/** Keeps unrelated parameters and writes only what the patch names. */
export function serializeUrlState(search: string, patch: Partial<UrlState>): string {
  const params = new URLSearchParams(search);
  if (patch.view !== undefined) {
    if (patch.view) {
      // 5 decimals of a degree is about 1 m: enough to restore a view, short enough to share.
      params.set('lat', patch.view.lat.toFixed(5));
      params.set('lng', patch.view.lng.toFixed(5));
      params.set('z', patch.view.zoom.toFixed(2));
    } else {
      params.delete('lat');
      params.delete('lng');
      params.delete('z');
    }
  }
  if (patch.cell !== undefined) setOrDelete(params, 'cell', patch.cell);
  if (patch.incident !== undefined) setOrDelete(params, 'incident', patch.incident ? String(patch.incident) : null);
  if (patch.countermeasure !== undefined) setOrDelete(params, 'cm', patch.countermeasure ? String(patch.countermeasure) : null);
  if (patch.metric !== undefined) setOrDelete(params, 'metric', patch.metric === 'count' ? null : patch.metric);
  if (patch.mode !== undefined) setOrDelete(params, 'mode', patch.mode === 'hexbins' ? null : patch.mode);
  if (patch.extruded !== undefined) setOrDelete(params, '3d', patch.extruded ? '1' : null);
  if (patch.filters !== undefined) writeFilters(params, patch.filters);
  const text = params.toString();
  return text ? `?${text}` : '';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(URL_CHANGE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(URL_CHANGE_EVENT, onChange);
  };
}

const getSearch = () => window.location.search;

export type SetUrlState = (patch: Partial<UrlState>, mode?: 'push' | 'replace') => void;

export function useUrlState(): [UrlState, SetUrlState] {
  const search = useSyncExternalStore(subscribe, getSearch);
  const update = useCallback<SetUrlState>((patch, mode = 'replace') => {
    const next = serializeUrlState(window.location.search, patch);
    if (next === window.location.search) return;
    const url = `${window.location.pathname}${next}${window.location.hash}`;
    if (mode === 'push') window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
    window.dispatchEvent(new Event(URL_CHANGE_EVENT));
  }, []);
  const state = useMemo(() => parseUrlState(search), [search]);
  return [state, update];
}
