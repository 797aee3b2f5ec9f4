/**
 * The map's camera and visible box computed without MapLibre: web mercator with 512-pixel tiles,
 * no pitch, no bearing, the way MapLibre's `fitBounds` and `getBounds` do it. It lets the boot
 * module (client/boot/first-screen.ts) ask for the first hexbins while the map's code is still
 * loading. It must agree with MapLibre to the grid `snapBbox` snaps to (an eighth of the view):
 * tests/e2e/first-screen.test.ts checks that the app then asks for nothing the boot did not.
 * hex-map.tsx takes its fit padding and the first camera's zoom limit from here.
 */
import type { Bbox } from '../../../lib/filters.js';
import type { MapView } from '../../../lib/url-state.js';

const TILE_SIZE = 512;
/** The first camera over the stores (or an alert's cell) zooms in at most this far. */
export const LANDING_MAX_ZOOM = 13;
/** MapLibre's limits: latitudes beyond this have no mercator y; zoom 0..22. */
const MAX_LAT = 85.051129;
const MAX_ZOOM = 22;

const mercatorX = (lng: number) => (180 + lng) / 360;
const mercatorY = (lat: number) => (180 - (180 / Math.PI) * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))) / 360;
const lngOf = (x: number) => x * 360 - 180;
const latOf = (y: number) => (360 / Math.PI) * Math.atan(Math.exp(((180 - y * 360) * Math.PI) / 180)) - 90;
const clampLat = (lat: number) => Math.min(MAX_LAT, Math.max(-MAX_LAT, lat));

export interface Size {
  width: number;
  height: number;
}

/** Room for the floating panels when fitting a box (pixels); on a small screen only a little. */
export function fitPadding({ width: w, height: h }: Size): { top: number; bottom: number; left: number; right: number } {
  const wide = w > 640;
  const padding = wide ? { top: 80, bottom: 60, left: 360, right: 60 } : { top: 70, bottom: 60, left: 30, right: 30 };
  if (padding.left + padding.right >= w - 40 || padding.top + padding.bottom >= h - 40) {
    padding.left = padding.right = padding.top = padding.bottom = 10;
  }
  return padding;
}

/** The camera `map.fitBounds(bounds, {padding: fitPadding(size), maxZoom})` ends at (null: no room). */
export function fitCamera([west, south, east, north]: Bbox, size: Size, maxZoom: number): MapView | null {
  const padding = fitPadding(size);
  const x0 = mercatorX(west);
  const x1 = mercatorX(east);
  const y0 = mercatorY(clampLat(north));
  const y1 = mercatorY(clampLat(south));
  const availableWidth = size.width - padding.left - padding.right;
  const availableHeight = size.height - padding.top - padding.bottom;
  if (availableWidth < 0 || availableHeight < 0 || !(x1 - x0 > 0 || y1 - y0 > 0)) return null;
  // The zoom at which the box just fits: its size in pixels is (x1 - x0) * TILE_SIZE * 2^zoom.
  const fitZoom = Math.log2(Math.min(availableWidth / ((x1 - x0) * TILE_SIZE), availableHeight / ((y1 - y0) * TILE_SIZE)));
  const zoom = Math.max(0, Math.min(fitZoom, maxZoom, MAX_ZOOM));
  // The box's middle sits in the middle of the padded area: shift the centre against the padding.
  const worldSize = TILE_SIZE * 2 ** zoom;
  const cx = (x0 + x1) / 2 - (padding.left - padding.right) / 2 / worldSize;
  const cy = (y0 + y1) / 2 - (padding.top - padding.bottom) / 2 / worldSize;
  return { lng: lngOf(cx), lat: latOf(cy), zoom };
}

/** What `map.getBounds()` gives for a camera on a map of `size` pixels (west, south, east, north). */
export function visibleBounds(view: MapView, size: Size): Bbox {
  const worldSize = TILE_SIZE * 2 ** view.zoom;
  const cx = mercatorX(view.lng);
  const cy = mercatorY(clampLat(view.lat));
  const dx = size.width / 2 / worldSize;
  const dy = size.height / 2 / worldSize;
  return [lngOf(cx - dx), latOf(cy + dy), lngOf(cx + dx), latOf(cy - dy)];
}
