/**
 * The view a person would share lives in the query string: `?lat=&lng=&z=&cell=`.
 * Map moves replace the history entry (no Back-button spam); selecting a cell pushes one.
 */
import { useCallback, useMemo, useSyncExternalStore } from 'react';

export interface MapView {
  lat: number;
  lng: number;
  zoom: number;
}

export interface UrlState {
  view: MapView | null;
  cell: string | null;
}

const URL_CHANGE_EVENT = 'hexwatch:urlchange';
const H3_CELL_RE = /^[0-9a-f]{15}$/;

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
  return {
    view: valid ? { lat, lng, zoom } : null,
    cell: cell && H3_CELL_RE.test(cell) ? cell : null,
  };
}

/** Keeps unrelated parameters (filters, later) and writes only what changed. */
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
  if (patch.cell !== undefined) {
    if (patch.cell) params.set('cell', patch.cell);
    else params.delete('cell');
  }
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

export function useUrlState(): [UrlState, (patch: Partial<UrlState>, mode?: 'push' | 'replace') => void] {
  const search = useSyncExternalStore(subscribe, getSearch);
  const update = useCallback((patch: Partial<UrlState>, mode: 'push' | 'replace' = 'replace') => {
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
