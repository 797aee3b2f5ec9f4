/**
 * The first screen's requests, sent before React renders and before the map's code (MapLibre,
 * deck.gl: most of the JavaScript) is even requested. main.tsx imports this module first.
 *
 * 1. One batch: who is signed in (`auth.me`), the stores (the first camera when the URL has no
 *    view) and the deployment's configuration (basemap coordinates, the cities' time zone).
 * 2. From the URL state (lib/url-state.ts) and that answer, the map's first camera and visible
 *    box (features/map/lib/camera.ts), hence the very `map.hexbins` input the map will ask for, which is
 *    sent at once. Everything goes into TanStack Query's cache under the keys the app's hooks
 *    use, so the app adopts these answers (or the requests still in flight) and asks for
 *    nothing twice (tests/e2e/first-screen.test.ts).
 *
 * `firstScreenRequested` settles once the first hexbins request has left (or is known not to be
 * needed: signed out, a hot-spot mode, an alert link's cell, a GCJ-02 basemap); app.tsx starts
 * loading the map's code then. Never rejects: a failure here only means the app asks itself.
 * Light on purpose: no MapLibre, deck.gl or h3-js in its imports.
 */
import { hexbinsQueryOptions } from '../features/map/api/use-hexbins.js';
import { snapBbox } from '../features/map/lib/bbox.js';
import { fitCamera, LANDING_MAX_ZOOM, visibleBounds } from '../features/map/lib/camera.js';
import { zoomToResolution } from '../../server/domain/resolutions.js';
import { landingBounds } from '../features/map/lib/store-bounds.js';
import { appNow, syncServerNow } from '../lib/clock.js';
import { toQueryFilters } from '../lib/filters.js';
import { queryClient, trpc } from '../lib/trpc.js';
import { parseUrlState } from '../lib/url-state.js';
import type { MapView } from '../lib/url-state.js';

async function requestFirstScreen(): Promise<void> {
  const url = parseUrlState(window.location.search);
  // Same tick: one batched HTTP request. Signed out, `stores.list` fails inside the batch (the
  // sign-in screen never reads it, and signing in clears the cache).
  const me = queryClient.fetchQuery(trpc.auth.me.queryOptions());
  const stores = queryClient.fetchQuery(trpc.stores.list.queryOptions());
  const config = queryClient.fetchQuery(trpc.config.client.queryOptions());
  stores.catch(() => undefined);
  config.catch(() => undefined);
  if (!(await me)) return;
  if (url.mode !== 'hexbins') return;
  const { basemap, timeZone, now } = await config;
  // The filters' days are the server's days (lib/clock.ts); the same answer and arrival time the
  // app's useClientConfig adopts, so both compute the same input.
  syncServerNow(now, queryClient.getQueryState(trpc.config.client.queryKey())?.dataUpdatedAt ?? Date.now());
  // On AMap's GCJ-02 tiles the map's box is converted back to WGS-84: left to the map.
  if (basemap.crs !== 'wgs84') return;

  const size = { width: document.documentElement.clientWidth, height: document.documentElement.clientHeight };
  let view: MapView | null = url.view;
  if (!view) {
    // An alert link's cell decides the camera (its outline needs h3-js): left to the map.
    if (url.cell) return;
    const bounds = landingBounds(await stores);
    if (!bounds) return;
    view = fitCamera(bounds, size, LANDING_MAX_ZOOM);
    if (!view) return;
  }
  const input = {
    resolution: zoomToResolution(view.zoom),
    filters: toQueryFilters(url.filters, appNow(), timeZone),
    bbox: snapBbox(visibleBounds(view, size)),
  };
  void queryClient.prefetchQuery(hexbinsQueryOptions(input));
  // The tRPC link sends its batch on a zero timer: let it go before the map's code is asked for.
  await new Promise((resolve) => setTimeout(resolve));
}

export const firstScreenRequested: Promise<void> = requestFirstScreen().catch(() => undefined);
